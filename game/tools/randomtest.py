"""Seeded random playthroughs that prefer the least-used choices (ChoiceScript's randomtest, seeded).

Each playthrough starts at the beginning and, in every scene, picks one of the choices open
there at random, weighted by 1 / (1 + times taken so far, across all playthroughs): a choice
never taken is as likely as can be, and a well-worn one fades, so rare branches get visited
without play falling into a fixed rotation. The same seed always gives the same playthroughs.
Moves are the engine's rules core (`game.engine.rules`), skips included: where a scene can be
skipped, "skip this scene" is one more move, weighted the same way.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

from game.engine import rules
from game.story.model import Choice, Story

SKIP = "skip"
DEFAULT_RUNS = 10_000
MAX_MOVES = 1_000


@dataclass
class RandomReport:
    story: Story
    runs: int
    seed: int
    endings: Counter = field(default_factory=Counter)             # ending scene -> playthroughs
    lengths: list[int] = field(default_factory=list)              # moves, for playthroughs that ended
    meters_at_endings: dict[str, Counter] = field(default_factory=dict)
    taken: Counter = field(default_factory=Counter)               # choice id -> times taken
    skipped: Counter = field(default_factory=Counter)             # scene -> times skipped
    stuck: Counter = field(default_factory=Counter)               # scene -> playthroughs with no choice open
    stuck_example: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unfinished: int = 0                                           # still going after MAX_MOVES
    unfinished_example: tuple[str, ...] = ()
    words: list[int] = field(default_factory=list)                # words read, per ended playthrough
    seconds: float = 0.0

    @property
    def never_taken(self) -> list[Choice]:
        return [c for s in self.story.scenes.values() for c in s.choices if not self.taken[c.id]]

    @property
    def problems(self) -> bool:
        return bool(self.stuck or self.unfinished)

    def length_summary(self) -> dict:
        if not self.lengths:
            return {}
        data = self.lengths
        return {"mean": statistics.fmean(data), "stdev": statistics.pstdev(data), "min": min(data),
                "median": statistics.median(data), "max": max(data)}

    def to_dict(self) -> dict:
        return {
            "story": self.story.id,
            "runs": self.runs,
            "seed": self.seed,
            "endings": {sid: {"count": n, "percent": round(100 * n / self.runs, 2)}
                        for sid, n in self.endings.most_common()},
            "length": self.length_summary(),
            "meters_at_endings": {m: dict(sorted(c.items())) for m, c in self.meters_at_endings.items()},
            "never_taken": [c.id for c in self.never_taken],
            "skipped": dict(self.skipped),
            "stuck": dict(self.stuck),
            "stuck_examples": {s: list(p) for s, p in self.stuck_example.items()},
            "unfinished": self.unfinished,
        }


def _words(text: str) -> int:
    return len(text.split())


def randomtest(story: Story, runs: int = DEFAULT_RUNS, seed: int = 0, *, max_moves: int = MAX_MOVES,
               count_words: bool = False, skips: bool = True) -> RandomReport:
    """`runs` seeded playthroughs by the engine's rules core. With `skips`, "skip this scene" is one
    of the moves where a scene has somewhere to skip to, weighted like a choice."""
    began = time.perf_counter()
    rng = random.Random(seed)
    report = RandomReport(story, runs, seed)
    report.meters_at_endings = {name: Counter() for name in story.meters}
    taken = report.taken
    skipped = report.skipped
    first = rules.begin(story)
    for _ in range(runs):
        state = first
        moves: list[str] = []
        words = 0
        while True:
            scene = story.scenes[state.scene]
            if count_words:
                words += sum(_words(p) for p in rules.paragraphs(story, state))
                words += _words(rules.thought(story, state) or "")
            if scene.ending is not None:
                report.endings[scene.id] += 1
                report.lengths.append(len(moves))
                for name, value in state.meters.items():
                    report.meters_at_endings[name][value] += 1
                if count_words:
                    report.words.append(words)
                break
            if len(moves) >= max_moves:
                report.unfinished += 1
                report.unfinished_example = report.unfinished_example or tuple(moves)
                break
            open_: list[Choice | None] = rules.open_choices(story, state)
            if not open_:
                report.stuck[scene.id] += 1
                report.stuck_example.setdefault(scene.id, tuple(moves))
                break
            if skips and scene.skip_route:
                open_.append(None)  # "skip this scene"
            if len(open_) == 1:
                choice = open_[0]
            else:  # the less a move has been made, the likelier it is now
                choice = rng.choices(open_, weights=[1 / (1 + (taken[c.id] if c else skipped[scene.id]))
                                                     for c in open_])[0]
            if choice is None:
                skipped[scene.id] += 1
                moves.append(SKIP)
                state = rules.skip(story, state)
                continue
            taken[choice.id] += 1
            moves.append(choice.id)
            if count_words:
                words += _words(rules.choice_text(story, state, choice))
            after = rules.take(story, state, choice)
            if count_words and len(after.remembered) > len(state.remembered):
                words += _words(after.remembered[-1])
            state = rules.enter(story, after, choice.goto)
    report.seconds = time.perf_counter() - began
    return report
