"""Understood against inkjs on the same generated stories (run by hand).

    python bench/engine_vs_ink.py [PLAYS] [ROUNDS]

inkjs is installed into bench/ink/ from its package.json and package-lock.json (`npm ci` there;
this script runs it when node_modules is missing). For 100 and 2,000 scenes, one generator writes
the same story twice, as Understood YAML and as ink (compiled by inkjs's own compiler): each
scene has a paragraph, a conditional paragraph, and three choices, one guarded, with clamped
meter effects. Both sides play the same seeded playthroughs (MINSTD, index = state % choices
open), rendering every line of text and every open choice's text; the totals (choices, characters
rendered, meters at the ends) must match exactly, or the run stops.

It runs ROUNDS (default 5) interleaved rounds, Understood then inkjs, and prints medians, the
ratio of the medians and the range of each round's own ratio; CPU time (the timed part's user +
system time: `time.process_time()`, node's `process.cpuUsage()`, which also counts node's helper
threads) is the steadier figure on a shared machine, and wall time is printed beside it:
- choices per second through `Game` (text rendered), target >= 2x inkjs; each side plays the
  same plays once untimed first (inkjs's JIT warms up; Understood's machine grows its scenes);
- warm load of 2,000 scenes to a playable game in a fresh process (the compiled cache warm, up
  to the first scene's text and choices) against inkjs loading its compiled JSON in a fresh
  process (up to its first line), target: at least 2x faster; and the cold load (no cache:
  the YAML parsed and validated) against the same.

PLAYS (default 200) is the plays a round at 100 scenes; 2,000 scenes play a quarter as many
(their plays are about four times as long).
"""

from __future__ import annotations

import json
import os
import statistics
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


# A fresh process: imports (ours, and `transitions`, as inkjs's require) are outside the clock;
# the clock runs from reading the story to its first scene's text and choices.
LOAD = """
import json, sys, time
began, began_cpu = time.perf_counter(), time.process_time()
import transitions
from game.engine import Game
from game.story import load_story
imported, imported_cpu = time.perf_counter(), time.process_time()
game = Game(load_story(sys.argv[1]))
game.paragraphs(), game.options()
done, done_cpu = time.perf_counter(), time.process_time()
print(json.dumps({"seconds": done - imported, "cpu": done_cpu - imported_cpu,
                  "with_imports": done - began, "cpu_with_imports": done_cpu - began_cpu}))
"""


def fresh_python(path: Path, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", LOAD, str(path)], check=True, capture_output=True, text=True,
                         env=env, cwd=ROOT)
    return json.loads(out.stdout)


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def ratios(ours: list[dict], theirs: list[dict], key: str, faster_is_more: bool) -> str:
    """The ratio of medians, and the range of the rounds' own ratios (each round interleaved)."""
    def one(a: float, b: float) -> float:
        return a / b if faster_is_more else b / a
    per_round = sorted(one(o[key], t[key]) for o, t in zip(ours, theirs))
    return f"{one(median(ours, key), median(theirs, key)):.2f}x (rounds {per_round[0]:.2f}-{per_round[-1]:.2f})"


def main() -> None:
    plays = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if not (INK / "node_modules" / "inkjs").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=INK, check=True)
    work = Path(tempfile.mkdtemp(prefix="understood-ink-bench-"))
    env = {**os.environ, "UNDERSTOOD_CACHE": str(work / "cache"), "PYTHONPATH": str(ROOT)}
    os.environ["UNDERSTOOD_CACHE"] = env["UNDERSTOOD_CACHE"]
    from game.story import load_story

    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {rounds} interleaved rounds, medians; "
          f"CPU is user + system time of the timed part (node's counts its helper threads too)")
    for scenes in (100, 2000):
        count = plays if scenes <= 100 else max(1, plays // 4)  # about the same choices per round
        source, ink = generate(scenes)
        (work / f"v{scenes}.yaml").write_text(source)
        (work / f"v{scenes}.ink").write_text(ink)
        node("compile", str(work / f"v{scenes}.ink"), str(work / f"v{scenes}.json"))
        story = load_story(work / f"v{scenes}.yaml")
        play(story, count, 7)  # warm-up: the same plays as inkjs's (which warms its JIT)
        ours_runs, theirs_runs = [], []
        for _ in range(rounds):
            began, began_cpu = time.perf_counter(), time.process_time()
            ours = play(story, count, 7)
            seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
            ours_runs.append({"rate": ours["choices"] / cpu, "wall_rate": ours["choices"] / seconds})
            theirs = node("play", str(work / f"v{scenes}.json"), str(count), "7")
            theirs_s, theirs_cpu = theirs.pop("seconds"), theirs.pop("cpu")
            if ours != theirs:
                sys.exit(f"totals differ at {scenes} scenes: Understood {ours}, inkjs {theirs}")
            theirs_runs.append({"rate": theirs["choices"] / theirs_cpu, "wall_rate": theirs["choices"] / theirs_s})
        print(f"{scenes:5,} scenes, {count} plays a round, {ours['choices']:,} choices, {ours['chars']:,} characters "
              f"rendered (totals match every round)")
        print(f"   choices/s by CPU:  Understood {median(ours_runs, 'rate'):9,.0f}  inkjs "
              f"{median(theirs_runs, 'rate'):9,.0f}  {ratios(ours_runs, theirs_runs, 'rate', True)}  (target >= 2x)")
        print(f"   choices/s by wall: Understood {median(ours_runs, 'wall_rate'):9,.0f}  inkjs "
              f"{median(theirs_runs, 'wall_rate'):9,.0f}  {ratios(ours_runs, theirs_runs, 'wall_rate', True)}")

    big = work / "v2000.yaml"
    cold_env = dict(env)
    ours_cold, ours_warm, theirs_load = [], [], []
    for n in range(rounds):
        cold_env["UNDERSTOOD_CACHE"] = str(work / f"cold-{n}")  # empty: parse and validate the YAML
        ours_cold.append(fresh_python(big, cold_env))
        ours_warm.append(fresh_python(big, env))  # the compiled cache is warm (filled above)
        theirs_load.append(node("load", str(work / "v2000.json")))
    print("load of 2,000 scenes to a playable game, fresh process, imports/require outside the clock:")
    for label, key in (("CPU", "cpu"), ("wall", "seconds")):
        print(f"   {label:4} warm: Understood {median(ours_warm, key) * 1000:6.1f} ms, inkjs (its compiled JSON) "
              f"{median(theirs_load, key) * 1000:6.1f} ms: {ratios(ours_warm, theirs_load, key, False)} faster  "
              f"(target >= 2x)")
        print(f"   {label:4} cold: Understood {median(ours_cold, key) * 1000:6.1f} ms (YAML, validated, cached): "
              f"{ratios(ours_cold, theirs_load, key, False)} against inkjs's compiled JSON")
    print(f"   with imports/require, warm, CPU: Understood {median(ours_warm, 'cpu_with_imports') * 1000:.0f} ms, "
          f"inkjs {median(theirs_load, 'cpu_with_require') * 1000:.0f} ms")


if __name__ == "__main__":
    main()
