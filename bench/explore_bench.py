"""Explore throughput and peak memory on a generated story: 2,000 scenes, 6 meters (run by hand).

    python bench/explore_bench.py [SCENES] [METERS]

It prints the distinct states, states per second and moves per second (untraced), then peak
Python memory from a second, traced walk, and the process's peak RSS. Timings never run under
tracemalloc. It also times `explore` on each bundled story.
"""

from __future__ import annotations

import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.story import discover, load_story, parse_story  # noqa: E402
from game.tools.explore import explore  # noqa: E402


def generate(scenes: int = 2000, meters: int = 6, seed: int = 7) -> str:
    """A long story in chapters of 20 scenes. Each chapter leans on two meters (guards and effects)
    and one flag; a chapter's last scene resets its meters, as stories that move on tend to do."""
    rng = random.Random(seed)
    names = [f"m{i}" for i in range(meters)]
    chapters = max(1, scenes // 20)
    flags = [f"f{c}" for c in range(chapters)]
    out = ["format: 1", "id: bench", "title: Bench", "summary: A generated story for the explore bench.",
           "perspective: A tester", "content_notes: [none]", "minutes: 600", "meters:"]
    out += [f"  {m}: {{start: 5, min: 0, max: 10}}" for m in names]
    out += [f"flags: [{', '.join(flags)}]", "start: c0s0", "scenes:"]
    total = chapters * 20
    for c in range(chapters):
        a, b = rng.sample(names, 2)
        flag = flags[c]
        for i in range(20):
            sid = f"c{c}s{i}"
            last = i == 19
            nxt = f"c{c + 1}s0" if last and c + 1 < chapters else ("end_a" if last else None)
            out += [f"  {sid}:", "    text:", f"      - Chapter {c}, scene {i}. The kettle clicks off."]
            if i > 2:
                out += [f"      - if: {flag}", "        text: You remember what you said earlier."]
            if last:
                out += [f"    on_enter: {{{a}: =5, {b}: =5}}"]
            out += ["    choices:"]
            if last:
                out += [f"      - {{text: On., goto: {nxt}}}"]
                if c + 1 == chapters:
                    out += [f"      - {{text: Stop here., if: {a} >= 5, locked: Not yet., goto: end_b}}"]
                continue
            step = [f"c{c}s{min(19, i + 1)}", f"c{c}s{min(19, i + 2)}"]
            out += [f"      - {{text: Say it., effects: {{{a}: +1, {b}: -1}}, goto: {step[0]}}}",
                    f"      - {{text: Hold back., effects: {{{a}: -1}}, goto: {step[1]}}}",
                    f"      - {{text: Ask him., if: {a} >= {rng.randint(4, 7)} and not {flag}, locked: Not yet., "
                    f"effects: {{{b}: +2, set: [{flag}]}}, goto: {step[0]}}}"]
    out += ["  end_a:", "    ending: {title: A, tone: hopeful}", "    text: The end.",
            "  end_b:", "    ending: {title: B, tone: bittersweet}", "    text: Another end.",
            "debrief:", "  - How did it feel?"]
    assert total + 2 >= scenes
    return "\n".join(out) + "\n"


def measure(story, **kwargs):
    tracemalloc.start()
    began = time.perf_counter()
    found = explore(story, **kwargs)
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return found, seconds, peak


def _bundled(story_id: str):
    path = ROOT / "stories" / f"{story_id}.yaml"
    return load_story(path) if path.exists() else None


def main() -> None:
    scenes = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    meters = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    story = parse_story(generate(scenes, meters), "bench.yaml")
    print(f"generated story: {len(story.scenes):,} scenes, {len(story.meters)} meters, {len(story.flags)} flags")

    # Untraced first, for the honest time; then traced, for the peak memory.
    began = time.perf_counter()
    found = explore(story)
    seconds = time.perf_counter() - began
    _, _, peak = measure(story)
    moves = found.moves
    print(f"explore: {found.states:,} states ({'complete' if found.complete else 'INCOMPLETE'}), "
          f"{seconds:.2f} s")
    print(f"  throughput: {found.states / seconds:,.0f} states/s, {moves / seconds:,.0f} moves/s")
    print(f"  peak memory: {peak / 2**20:.1f} MiB traced by tracemalloc; "
          f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

    print("bundled stories:")
    for path in discover([ROOT / "stories"]):
        bundled = load_story(path)
        began = time.perf_counter()
        result = explore(bundled)
        took = time.perf_counter() - began
        print(f"  {path.stem:14} {result.states:9,} states  {took:6.2f} s  "
              f"{'ok, under 1 s' if took < 1 else 'OVER 1 s'}")


if __name__ == "__main__":
    main()
