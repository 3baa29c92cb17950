"""`understood check stories/` time, against a bare load of the same stories (run by hand).

    python bench/check_bench.py [RUNS]

Issue 9's target: the bundled stories checked together in under 3 s on this machine. Each run is
a fresh process, as a writer runs it, timed until it exits (when the writer sees the result):
wall time and CPU time (user + system, from the child's rusage; the machine is shared, so CPU is
the steadier figure). The baseline, `understood check --no-explore` (load, validate and lint,
no exploration), runs interleaved with it, and the ratio of medians is printed. Then, in this
process, each story's states and CPU seconds for load, explore and the whole check.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.story import check_file, discover  # noqa: E402
from game.tools.checker import check_story  # noqa: E402
from game.tools.explore import explore  # noqa: E402

TARGET = 3.0
COMMAND = [sys.executable, "-m", "game", "check", str(ROOT / "stories")]


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one fresh process, to its exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    env_note = f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    timed(COMMAND)  # warm: the compiled cache and the OS's file cache
    check, bare = [], []
    for _ in range(runs):
        check.append(timed(COMMAND))
        bare.append(timed(COMMAND[:-1] + ["--no-explore", COMMAND[-1]]))
    wall = statistics.median(w for w, _ in check)
    cpu = statistics.median(c for _, c in check)
    bare_wall = statistics.median(w for w, _ in bare)
    bare_cpu = statistics.median(c for _, c in bare)
    print(f"understood check stories/ ({runs} runs, median; {env_note}):")
    print(f"  check:              {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    print(f"  --no-explore (base): {bare_wall:5.2f} s wall  {bare_cpu:6.2f} s CPU")
    print(f"  ratio to the base:  {wall / bare_wall:6.1f}x wall  {cpu / bare_cpu:6.1f}x CPU")
    verdict = "met" if cpu < TARGET else "NOT met"
    print(f"  target under {TARGET:.0f} s: {verdict} by CPU; {'met' if wall < TARGET else 'not met'} by wall "
          f"(wall depends on what else the machine runs)")

    print("per story (this process, CPU seconds):")
    for path in discover([ROOT / "stories"]):
        began = time.process_time()
        story, _ = check_file(path)
        load = time.process_time() - began
        began = time.process_time()
        found = explore(story)
        walk = time.process_time() - began
        began = time.process_time()
        check_story(path)
        whole = time.process_time() - began
        print(f"  {path.stem:14} {found.states:8,} states  load {load:5.2f}  explore {walk:5.2f}  check {whole:5.2f}")


if __name__ == "__main__":
    main()
