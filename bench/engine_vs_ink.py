"""Understood against inkjs on the same generated stories (run by hand).

    python bench/engine_vs_ink.py [PLAYS]

inkjs is installed into bench/ink/ from its package.json and package-lock.json (`npm ci` there;
this script runs it when node_modules is missing). For 100 and 2,000 scenes, one generator writes
the same story twice, as Understood YAML and as ink (compiled by inkjs's own compiler): each
scene has a paragraph, a conditional paragraph, and three choices, one guarded, with clamped
meter effects. Both sides play the same seeded playthroughs (MINSTD, index = state % choices
open), rendering every line of text and every open choice's text; the totals (choices, characters
rendered, meters at the ends) must match exactly, or the run stops.

It prints, each with its ratio against inkjs measured in the same run:
- choices per second through `Game` (text rendered), target >= 2x inkjs;
- warm load of 2,000 scenes to a playable game in a fresh process (the compiled cache warm, up
  to the first scene's text and choices) against inkjs loading its compiled JSON in a fresh
  process (up to its first line), target: at least 2x faster.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INK = Path(__file__).resolve().parent / "ink"
sys.path.insert(0, str(ROOT))

MAX = 10


def generate(scenes: int) -> tuple[str, str]:
    """The same story as (Understood YAML, ink source)."""
    yaml = ["format: 1", "id: versus", "title: Versus", "summary: A generated story for the ink bench.",
            "perspective: A tester", "content_notes: [none]", "minutes: 60", "meters:"]
    yaml += [f"  m{i}: {{start: 5, min: 0, max: {MAX}}}" for i in range(3)]
    yaml += ["start: s0", "scenes:"]
    ink = [f"VAR m{i} = 5" for i in range(3)] + ["-> s0"]

    def target(n: int) -> str:
        return f"s{n}" if n < scenes else ("end_a" if n == scenes else "end_b")

    for i in range(scenes):
        a, b = i % 3, (i + 1) % 3
        k = 3 + i % 5
        text = f"Scene {i}. The kettle clicks off and nobody moves to pour it."
        extra = f"You remember what m{a} meant."
        say, hold, ask = f"Say it, {i}.", f"Hold back, {i}.", f"Ask him, {i}."
        one, two = target(i + 1), target(i + 2)
        yaml += [f"  s{i}:", "    text:", f"      - {text}", f"      - if: m{a} >= {k}", f"        text: {extra}",
                 "    choices:",
                 f"      - {{text: '{say}', effects: {{m{a}: +1}}, goto: {one}}}",
                 f"      - {{text: '{hold}', effects: {{m{b}: -1}}, goto: {two}}}",
                 f"      - {{text: '{ask}', if: m{b} >= {k}, locked: Not yet., effects: {{m{b}: +2}}, goto: {one}}}"]
        ink += [f"=== s{i} ===", text, f"{{m{a} >= {k}: {extra}}}",
                f"+ [{say}]", f"  ~ m{a} = MIN(m{a} + 1, {MAX})", f"  -> {one}",
                f"+ [{hold}]", f"  ~ m{b} = MAX(m{b} - 1, 0)", f"  -> {two}",
                f"+ {{m{b} >= {k}}} [{ask}]", f"  ~ m{b} = MIN(m{b} + 2, {MAX})", f"  -> {one}"]
    for end, title in (("end_a", "A"), ("end_b", "B")):
        yaml += [f"  {end}:", f"    ending: {{title: {title}, tone: hopeful}}", "    text: The end."]
        ink += [f"=== {end} ===", "The end.", "-> END"]
    yaml += ["debrief:", "  - How did it feel?"]
    return "\n".join(yaml) + "\n", "\n".join(ink) + "\n"


def play(story, plays: int, seed: int) -> dict:
    """The Python side of the seeded rule, through `Game`, every text rendered."""
    from game.engine import Game

    state, choices, chars, meters = seed, 0, 0, 0
    for _ in range(plays):
        game = Game(story)
        while True:
            chars += sum(len(p.strip()) for p in game.paragraphs())
            if game.is_over:
                break
            open_ = [o for o in game.options() if o.available]
            chars += sum(len(o.text) for o in open_)
            state = state * 48271 % 2147483647
            game.choose(open_[state % len(open_)].number)
            choices += 1
        values = game.meters
        meters += values["m0"] + values["m1"] + values["m2"]
    return {"choices": choices, "chars": chars, "meters": meters}


def node(*args: str) -> dict:
    out = subprocess.run(["node", str(INK / "run.js"), *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout) if out.stdout.strip() else {}


WARM_LOAD = """
import json, sys, time
began = time.perf_counter()
from game.engine import Game
from game.story import load_story
imported = time.perf_counter()
game = Game(load_story(sys.argv[1]))
game.paragraphs(), game.options()
done = time.perf_counter()
print(json.dumps({"seconds": done - imported, "with_imports": done - began}))
"""


def fresh_python(path: Path, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", WARM_LOAD, str(path)], check=True, capture_output=True, text=True,
                         env=env, cwd=ROOT)
    return json.loads(out.stdout)


def median(runs: list[dict], key: str) -> float:
    values = sorted(r[key] for r in runs)
    return values[len(values) // 2]


def main() -> None:
    plays = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    if not (INK / "node_modules" / "inkjs").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=INK, check=True)
    work = Path(tempfile.mkdtemp(prefix="understood-ink-bench-"))
    env = {**os.environ, "UNDERSTOOD_CACHE": str(work / "cache"), "PYTHONPATH": str(ROOT)}
    os.environ["UNDERSTOOD_CACHE"] = env["UNDERSTOOD_CACHE"]
    from game.story import load_story

    for scenes in (100, 2000):
        source, ink = generate(scenes)
        (work / f"v{scenes}.yaml").write_text(source)
        (work / f"v{scenes}.ink").write_text(ink)
        node("compile", str(work / f"v{scenes}.ink"), str(work / f"v{scenes}.json"))
        story = load_story(work / f"v{scenes}.yaml")
        play(story, max(1, plays // 10), 7)  # warm-up, as inkjs's JIT gets one
        began = time.perf_counter()
        ours = play(story, plays, 7)
        ours_s = time.perf_counter() - began
        theirs = node("play", str(work / f"v{scenes}.json"), str(plays), "7")
        theirs_s = theirs.pop("seconds")
        if ours != theirs:
            sys.exit(f"totals differ at {scenes} scenes: Understood {ours}, inkjs {theirs}")
        ours_rate, theirs_rate = ours["choices"] / ours_s, theirs["choices"] / theirs_s
        print(f"{scenes:5,} scenes, {plays} plays, {ours['choices']:,} choices, {ours['chars']:,} characters "
              f"(totals match): Understood {ours_rate:,.0f} choices/s, inkjs {theirs_rate:,.0f} choices/s: "
              f"{ours_rate / theirs_rate:.2f}x  (target >= 2x)")

    big = work / "v2000.yaml"
    load_story(big)  # the compiled cache is warm from here on
    ours = [fresh_python(big, env) for _ in range(5)]
    theirs = [node("load", str(work / "v2000.json")) for _ in range(5)]
    ours_s, theirs_s = median(ours, "seconds"), median(theirs, "seconds")
    print(f"warm load of 2,000 scenes to a playable game, fresh process (median of 5): Understood "
          f"{ours_s * 1000:.1f} ms, inkjs {theirs_s * 1000:.1f} ms: {theirs_s / ours_s:.2f}x faster  "
          f"(target >= 2x; with imports/require: {median(ours, 'with_imports') * 1000:.0f} ms vs "
          f"{median(theirs, 'with_require') * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
