"""Format 2's cost: run by hand, `python bench/format_v2_bench.py [SCENES]`.

The same generated story twice, in the same run: once plain (its one varying paragraph written
as two conditional paragraphs on the same flag, so both stories read the same state), once with
inline variation in every scene (a first-visit form, an inline if, a printed meter and a shuffle in the paragraphs, a
sequence in the thought, a cycle in a choice's text, a printed meter in a remember line and a
locked reason). Prints load (from source, and warm from the cache), explore, and the cost of one
choice as a player sees it (the move, then the next scene's paragraphs, thought and choices
rendered), each as a ratio of the varied story to the plain one. Target: every ratio <= 1.3.

Each figure is the median of several samples in CPU time (`time.process_time`): the machines are
shared, and CPU time is what the process itself spends, so a busy neighbour moves neither side.
The wall-clock medians are printed beside them. A sample is a batch of about 20 ms of the same
work, taken after a full garbage collection, and the plain and varied samples alternate, so
neither side gets a quieter moment, a warmer cache or a cleaner heap than the other.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET = 1.3


def generate(scenes: int, varied: bool, seed: int = 7) -> str:
    """A story of `scenes` scenes in a chain of small branches; `varied` adds inline forms."""
    rng = random.Random(seed)
    lines = ["format: 2", "id: generated", "title: Generated", "summary: A generated story for benchmarks.",
             "perspective: A tester", "content_notes: [none]", "minutes: 60", "meters:",
             "  trust: {start: 5, min: 0, max: 10}", "  nerve: {start: 3, min: 0, max: 6}",
             "flags: [f0, f1]", "start: s0", "scenes:"]
    endings = max(3, scenes // 50)
    body = scenes - endings
    for i in range(body):
        flag = f"f{i % 2}"
        if varied:
            first = f"'((first: Scene {i}. The kettle clicks off. | Scene {i} again. The kettle is cold.))'"
            second = (f"\"((if {flag}: You said it. | You did not say it.)) Trust is ((trust)). "
                      f"((shuffle: A train. | A bus. | Rain.))\"")
            thought = f"'((seq: Scene {i} thinks. | It thinks again. | It stops thinking.))'"
            choice = f"'((cycle: Go on | Keep going)) from {i}.'"
            locked = "'Not yet: nerve is ((nerve)).'"
            remember = "'You will remember this, at ((trust)).'"
        else:
            first = f"Scene {i}. The kettle clicks off."
            second = None  # the same condition, as two conditional paragraphs
            thought = f"Scene {i} thinks."
            choice = f"Go on from {i}."
            locked = "Not yet."
            remember = "You will remember this."
        paragraphs = [f"      - {second}"] if second else [
            f"      - {{if: {flag}, text: You said it. Trust is high. A train.}}",
            f"      - {{if: not {flag}, text: You did not say it. Trust is high. A train.}}"]
        lines += [f"  s{i}:", "    text:", f"      - {first}", *paragraphs,
                  f"    thought: {thought}", f"    skip_to: s{min(body - 1, i + 1)}" if i < body - 1
                  else f"    skip_to: e0", "    choices:"]
        for c in range(3):
            target = f"s{min(body - 1, i + rng.randint(1, 3))}" if i < body - 3 else f"e{rng.randrange(endings)}"
            lines += [f"      - text: {choice if c == 0 else f'Choice {c} of scene {i}.'}", f"        goto: {target}"]
            if c == 1:
                lines += [f"        if: nerve >= {rng.randint(2, 5)}", f"        locked: {locked}"]
            if c == 2:
                lines += [f"        remember: {remember}"]
            lines += [f"        effects: {{{rng.choice(['trust', 'nerve'])}: {rng.choice(['+1', '-1'])}, "
                      f"set: [f{rng.randrange(2)}]}}"]
    for e in range(endings):
        lines += [f"  e{e}:", f"    ending: {{title: Ending {e}, tone: hopeful}}", f"    text: Ending {e}."]
    return "\n".join(lines) + "\n"


def tasks(path: Path) -> dict:
    """Each figure's work on one story, as (function, how many units it does)."""
    from game.engine import Game
    from game.story import load_story
    from game.tools.explore import explore

    load_story(path)  # fill the cache
    story = load_story(path, use_cache=False)

    def play() -> int:
        game = Game(story)
        moves = 0
        while not game.is_over and moves < 200:
            option = next(o for o in game.options() if o.available)
            game.choose(option.number)
            # what the player sees next: the clock stops once it is rendered
            game.paragraphs(), game.thought, [(o.text, o.locked_reason) for o in game.options()]
            moves += 1
        return moves

    moves = play()
    return {"load from source": (lambda: load_story(path, use_cache=False), 1),
            "load from the cache": (lambda: load_story(path), 1),
            "explore": (lambda: explore(story), 1),
            "one choice, shown": (play, max(1, moves))}


def sample(fn, batch: int) -> tuple[float, float]:
    """CPU and wall time of `batch` calls, after a full collection (both stories start alike)."""
    gc.collect()
    start, begun = time.process_time(), time.perf_counter()
    for _ in range(batch):
        fn()
    return time.process_time() - start, time.perf_counter() - begun


def measure(plain: Path, varied: Path, runs: int) -> tuple[dict, dict]:
    """Medians per unit of work, plain and varied samples interleaved (each batch about 20 ms,
    so a sample is not one call of a few hundred microseconds), after one warm-up each."""
    sides = {"plain": tasks(plain), "varied": tasks(varied)}
    cpu = {side: {} for side in sides}
    wall = {side: {} for side in sides}
    for name in sides["plain"]:
        fn, units = sides["plain"][name]
        once = sample(fn, 1)[0]
        batch = max(1, int(0.02 / max(once, 1e-6)))
        found = {side: ([], []) for side in sides}
        for side in sides:
            sample(sides[side][name][0], 1)  # warm-up
        for _ in range(runs):
            for side in sides:
                fn, units = sides[side][name]
                c, w = sample(fn, batch)
                found[side][0].append(c / batch / units)
                found[side][1].append(w / batch / units)
        for side in sides:
            cpu[side][name] = statistics.median(found[side][0])
            wall[side][name] = statistics.median(found[side][1])
    return cpu, wall


def main() -> None:
    scenes = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    runs = int(os.environ.get("BENCH_RUNS", "7"))
    work = Path(tempfile.mkdtemp(prefix="understood-v2-bench-"))
    os.environ["UNDERSTOOD_CACHE"] = str(work / "cache")
    plain, varied = work / "plain.yaml", work / "varied.yaml"
    plain.write_text(generate(scenes, False))
    varied.write_text(generate(scenes, True))
    cpu, wall = measure(plain, varied, runs)
    base, v2, base_wall, v2_wall = cpu["plain"], cpu["varied"], wall["plain"], wall["varied"]
    print(f"format 2 inline variation, {scenes} scenes ({runs} runs, CPU-time medians; target <= {TARGET}x)")
    worst = 0.0
    for name in base:
        ratio = v2[name] / base[name]
        worst = max(worst, ratio)
        unit, scale = ("µs", 1e6) if base[name] < 1e-3 else ("ms", 1e3)
        print(f"  {name:22} plain {base[name] * scale:9.2f} {unit}   varied {v2[name] * scale:9.2f} {unit}"
              f"   {ratio:5.2f}x  {'ok' if ratio <= TARGET else 'OVER'}"
              f"   (wall {base_wall[name] * scale:.2f} / {v2_wall[name] * scale:.2f} {unit})")
    print(f"worst ratio {worst:.2f}x")


if __name__ == "__main__":
    main()
