"""Generate a large, valid story for benchmarks: N scenes, M meters, guarded choices."""

from __future__ import annotations

import random


def generate(scenes: int, meters: int = 3, seed: int = 1) -> str:
    rng = random.Random(seed)
    names = [f"m{i}" for i in range(meters)]
    flags = [f"f{i}" for i in range(8)]
    lines = [
        "format: 1", "id: generated", "title: Generated", "summary: A generated story for benchmarks.",
        "perspective: A tester", "content_notes: [none]", "minutes: 60", "meters:",
    ]
    lines += [f"  {m}: {{start: 5, min: 0, max: 10, label: Meter {m}}}" for m in names]
    lines += [f"flags: [{', '.join(flags)}]", "start: s0", "scenes:"]
    endings = max(3, scenes // 100)
    body = scenes - endings
    for i in range(body):
        lines += [
            f"  s{i}:",
            "    text:",
            f"      - Scene {i}. The kettle clicks off and nobody moves to pour it. " + "Words words words. " * 5,
            f"      - if: visited(s{max(0, i - 1)})",
            "        text: You remember the last room.",
            f"    thought: Scene {i} thinks.",
            "    choices:",
        ]
        for c in range(3):
            target = f"s{min(body - 1, i + rng.randint(1, 3))}" if i < body - 3 else f"e{rng.randrange(endings)}"
            m = rng.choice(names)
            lines += [f"      - text: Choice {c} of scene {i}.", f"        goto: {target}"]
            if c == 1:
                lines += [f"        if: {m} >= {rng.randint(2, 6)} and not {rng.choice(flags)}",
                          "        locked: Not yet."]
            lines += [f"        effects: {{{m}: {rng.choice(['+1', '-1', '+2'])}, set: [{rng.choice(flags)}]}}"]
    for e in range(endings):
        lines += [f"  e{e}:", f"    ending: {{title: Ending {e}, tone: hopeful}}", f"    text: Ending {e}."]
    lines += ["debrief:", "  - How did it feel?"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    print(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 100), end="")
