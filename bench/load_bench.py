"""Story loading and one choice: run by hand, `python bench/load_bench.py`.

Prints each figure with its target. Ratios are against a bare `yaml.load(..., CSafeLoader)`
of the same file, measured in the same run, so a busy machine moves both sides alike.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from gen_story import generate  # noqa: E402


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="understood-bench-"))
    os.environ["UNDERSTOOD_CACHE"] = str(work / "cache")
    from game.engine import Game, SaveStore
    from game.story import load_story
    from game.story.load import gc_paused

    big = work / "big.yaml"
    big.write_text(generate(5000))
    typical = work / "typical.yaml"
    typical.write_text(generate(100))
    print(f"generated story: 5,000 scenes, {big.stat().st_size / 1e6:.1f} MB")

    loader = getattr(yaml, "CSafeLoader")

    def bare_parse():
        # The garbage collector in the state the loader keeps it in while it parses (paused).
        with gc_paused():
            return yaml.load(big.read_bytes(), Loader=loader)

    bare = median_time(bare_parse, 5)
    cold = median_time(lambda: load_story(big, use_cache=False), 5)
    print(f"bare yaml.load (CSafeLoader, GC paused as the loader does): {bare * 1000:8.1f} ms")
    print(f"cold load + validate, 5,000 scenes:  {cold * 1000:8.1f} ms   ratio {cold / bare:.2f}x  (target <= 1.5x)")

    load_story(big)  # fills the cache

    def warm_to_playable():
        game = Game(load_story(big))  # a new story object each time: its machine is built anew
        game.paragraphs(), game.options()

    warm = median_time(warm_to_playable, 5)
    print(f"warm load to a playable game (cache, first Game(), first scene shown): "
          f"{warm * 1000:8.1f} ms   (target <= 100 ms)")

    typical_cold = median_time(lambda: load_story(typical, use_cache=False), 20)
    print(f"cold load + validate, 100 scenes:    {typical_cold * 1000:8.1f} ms")

    story = load_story(big)
    start = time.perf_counter()
    Game(story)
    print(f"first game (builds the machine):     {(time.perf_counter() - start) * 1000:8.1f} ms (once per story)")
    saves = SaveStore(work / "saves")
    times = []
    game = Game(story)
    for _ in range(300):
        if game.is_over:
            game = Game(story)
        option = next(o for o in game.options() if o.available)
        t0 = time.perf_counter()
        game.choose(option.number)
        saves.autosave(game)
        times.append(time.perf_counter() - t0)
    print(f"one choice incl. autosave, median:   {statistics.median(times) * 1000:8.2f} ms   (target <= 5 ms; "
          f"p90 {statistics.quantiles(times, n=10)[-1] * 1000:.2f} ms)")


if __name__ == "__main__":
    main()
