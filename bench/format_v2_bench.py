"""Format 2's cost: run by hand, `python bench/format_v2_bench.py [SCENES]`.

The same generated story twice, in the same run: once plain (its one varying paragraph written
as two conditional paragraphs on the same flag, so both stories read the same state), once with
inline variation in every scene (a first-visit form, an inline if, a printed meter and a shuffle in the paragraphs, a
sequence in the thought, a cycle in a choice's text, a printed meter in a remember line and a
locked reason). Prints load (from source, and warm from the cache), explore, and the cost of one
choice as a player sees it (the move, then the next scene's paragraphs, thought and choices
rendered), each as a ratio of the varied story to the plain one. Target: every ratio <= 1.3.

Each figure is the median of several runs in CPU time (`time.process_time`): the machines are
shared, and CPU time is what the process itself spends, so a busy neighbour moves neither side.
The wall-clock medians are printed beside them.
"""

from __future__ import annotations

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


WALL: dict[str, float] = {}


def median(fn, runs: int, name: str = "") -> float:
    cpu, wall = [], []
    for _ in range(runs):
        start, begun = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - start)
        wall.append(time.perf_counter() - begun)
    WALL[name] = statistics.median(wall)
    return statistics.median(cpu)


def measure(path: Path, runs: int) -> dict[str, float]:
    from game.engine import Game
    from game.story import load_story
    from game.tools.explore import explore

    figures = {"load from source": median(lambda: load_story(path, use_cache=False), runs)}
    walls = {"load from source": WALL[""]}
    load_story(path)  # fill the cache
    figures["load from the cache"] = median(lambda: load_story(path), runs)
    walls["load from the cache"] = WALL[""]
    story = load_story(path, use_cache=False)
    figures["explore"] = median(lambda: explore(story), max(1, runs // 2))
    walls["explore"] = WALL[""]

    def play() -> None:
        game = Game(story)
        moves = 0
        while not game.is_over and moves < 200:
            option = next(o for o in game.options() if o.available)
            game.choose(option.number)
            # what the player sees next: the clock stops once it is rendered
            game.paragraphs(), game.thought, [(o.text, o.locked_reason) for o in game.options()]
            moves += 1
        play.moves = moves

    play()
    figures["one choice, shown"] = median(play, runs) / max(1, play.moves)
    walls["one choice, shown"] = WALL[""] / max(1, play.moves)
    return figures, walls


def main() -> None:
    scenes = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    runs = int(os.environ.get("BENCH_RUNS", "7"))
    work = Path(tempfile.mkdtemp(prefix="understood-v2-bench-"))
    os.environ["UNDERSTOOD_CACHE"] = str(work / "cache")
    plain, varied = work / "plain.yaml", work / "varied.yaml"
    plain.write_text(generate(scenes, False))
    varied.write_text(generate(scenes, True))
    (base, base_wall), (v2, v2_wall) = measure(plain, runs), measure(varied, runs)
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
