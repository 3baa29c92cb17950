"""A class of 30 in browsers: run by hand, `python bench/serve_class.py [--sessions 30] [--port 8790]`.

Starts `understood serve --classroom bench --story demo` on loopback, then opens the sessions at
once, as 30 browser tabs would. Once every session shows its first screen (the content notes), all
of them begin together and make 5 choices (van, tailgate, sitting, tailgate, sitting) as fast as
they can, each waiting for the next scene to be drawn: a worse case than a real class, whose
choices spread out over minutes.

Prints the time for all sessions to reach their first screen, the median time per choice, and the
resident memory of the server and its sessions (total, and per session), each with the same figure
for a single session measured in the same run as the baseline. Target: a 2-core laptop holds a class
of 30 (first screens within a few seconds, choices answered well under a second).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _webclient import BrowserSession  # noqa: E402

FIRST_SCREEN = "Sit this one out"  # the classroom content notes screen
BEGIN = "\r"  # Enter: "Play the story" has the focus
PATH = [("1", "The street lamp comes on"), ("2", "The metal is cold"), ("1", "The street lamp comes on"),
        ("2", "The metal is cold"), ("1", "The street lamp comes on")]
START_SCENE = "The van smells of cardboard"


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc)."""
    total = 0
    todo = [pid]
    seen = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(c) for c in children.read().split()]
        except (OSError, StopIteration):
            continue
    return total


async def student(base: str, results: dict, started: float, think: tuple[float, float] | None) -> None:
    rng = random.Random()
    async with BrowserSession(base, width=100, height=32) as tab:
        await tab.wait_for(FIRST_SCREEN, timeout=300)
        results["first"].append(time.perf_counter() - started)
        await results["all_in"].wait()  # the class starts together, once every screen is up
        if think:
            await asyncio.sleep(rng.uniform(0, think[1]))  # reading the content notes
        mark = tab.mark()
        await tab.press(BEGIN)
        await tab.wait_for(START_SCENE, since=mark, timeout=120)
        await tab.settle()
        for key, next_scene in PATH:
            if think:
                await asyncio.sleep(rng.uniform(*think))  # reading the scene
            mark = tab.mark()
            await tab.press(key)
            results["choice"].append(await tab.wait_for(next_scene, since=mark, timeout=120))
            await tab.settle(quiet=0.05)
        results["done"] += 1
        if results["done"] == results["sessions"]:
            results["ready"].set()
        await results["hold"].wait()  # stay open until memory is measured


async def run_class(base: str, server_pid: int, sessions: int, think: tuple[float, float] | None = None) -> dict:
    results = {"first": [], "choice": [], "sessions": sessions, "done": 0, "ready": asyncio.Event(),
               "all_in": asyncio.Event(), "hold": asyncio.Event()}
    idle = rss_kib(server_pid)
    started = time.perf_counter()
    tasks = [asyncio.create_task(student(base, results, started, think)) for _ in range(sessions)]
    while len(results["first"]) < sessions:
        await asyncio.sleep(0.05)
        for task in tasks:
            if task.done() and task.exception():
                raise task.exception()
    first_all = time.perf_counter() - started
    await asyncio.sleep(1)  # let the last screens settle
    results["all_in"].set()
    await asyncio.wait_for(results["ready"].wait(), timeout=900)
    busy = rss_kib(server_pid)
    results["hold"].set()
    await asyncio.gather(*tasks)
    choices = results["choice"]
    return {"first_all": first_all, "choice_median": statistics.median(choices),
            "choice_p90": statistics.quantiles(choices, n=10)[-1] if len(choices) > 1 else choices[0],
            "rss_total": busy, "rss_idle": idle, "rss_per_session": (busy - idle) / sessions}


def wait_for_server(port: int, timeout: float = 20) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--think", type=float, nargs=2, default=(3.0, 12.0), metavar=("MIN", "MAX"),
                        help="seconds a student reads before each choice, in the paced run (default 3 12)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="understood-serve-bench-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UNDERSTOOD_CONFIG": str(work / "config"),
           "UNDERSTOOD_CACHE": str(work / "cache")}
    server = subprocess.Popen([sys.executable, "-m", "game", "serve", "--terminal", "--port", str(args.port),
                               "--classroom", "bench", "--classes", str(work / "classes"), "--story", "demo"],
                              cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_server(args.port)
        base = f"http://127.0.0.1:{args.port}"
        one = asyncio.run(run_class(base, server.pid, 1))
        time.sleep(1)
        many = asyncio.run(run_class(base, server.pid, args.sessions))
        time.sleep(1)
        paced = asyncio.run(run_class(base, server.pid, args.sessions, tuple(args.think)))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    summaries = len(list((work / "classes" / "bench").glob("*.json")))
    shutil.rmtree(work, ignore_errors=True)

    n = args.sessions
    print(f"cpus: {os.cpu_count()}   sessions: {n}   summaries written: {summaries} (expected {2 * n + 1})")
    print(f"first screen, all sessions:  {many['first_all']:.2f} s   (1 session: {one['first_all']:.2f} s, "
          f"ratio {many['first_all'] / one['first_all']:.1f}x)")
    ratio = many["choice_median"] / one["choice_median"]
    print(f"time per choice, median:     {many['choice_median'] * 1000:.0f} ms when all choose at once   "
          f"(1 session: {one['choice_median'] * 1000:.0f} ms, ratio {ratio:.1f}x); "
          f"90th percentile {many['choice_p90'] * 1000:.0f} ms")
    print(f"  paced ({args.think[0]:.0f}-{args.think[1]:.0f} s reading before each choice): median "
          f"{paced['choice_median'] * 1000:.0f} ms (ratio {paced['choice_median'] / one['choice_median']:.1f}x), "
          f"90th percentile {paced['choice_p90'] * 1000:.0f} ms; first screens {paced['first_all']:.2f} s")
    print(f"resident memory, total:      {many['rss_total'] / 1024:.0f} MiB   (server idle: "
          f"{many['rss_idle'] / 1024:.0f} MiB; with 1 session: {one['rss_total'] / 1024:.0f} MiB)")
    print(f"resident memory per session: {many['rss_per_session'] / 1024:.0f} MiB   (1 session: "
          f"{one['rss_per_session'] / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
