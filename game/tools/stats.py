"""`understood stats`: how big a story is, and how long it takes to read."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from game.story.model import Story
from game.tools.lint import prose
from game.tools.randomtest import randomtest
from game.tools.source import SourceText

WORDS_PER_MINUTE = 200     # reading on a screen, unhurried
SECONDS_PER_CHOICE = 6     # reading the options and choosing
SAMPLE_RUNS = 500


@dataclass
class StoryStats:
    story: Story
    words: int = 0
    scenes: int = 0
    choices: int = 0
    endings: Counter = field(default_factory=Counter)    # tone -> count
    locked_choices: int = 0
    guarded_choices: int = 0
    conditional_paragraphs: int = 0
    thoughts: int = 0
    remembers: int = 0
    meters: int = 0
    hidden_meters: int = 0
    flags: int = 0
    playthrough_words: list[int] = field(default_factory=list)
    playthrough_moves: list[int] = field(default_factory=list)

    @property
    def reading_minutes(self) -> float:
        """Reading every word of the story once."""
        return self.words / WORDS_PER_MINUTE

    @property
    def playthrough_minutes(self) -> float | None:
        """A typical (median) playthrough: its words, plus a moment for each choice."""
        if not self.playthrough_words:
            return None
        words = statistics.median(self.playthrough_words)
        moves = statistics.median(self.playthrough_moves)
        return words / WORDS_PER_MINUTE + moves * SECONDS_PER_CHOICE / 60

    def to_dict(self) -> dict:
        return {
            "story": self.story.id, "words": self.words, "scenes": self.scenes, "choices": self.choices,
            "endings": sum(self.endings.values()), "endings_by_tone": dict(self.endings),
            "locked_choices": self.locked_choices, "guarded_choices": self.guarded_choices,
            "conditional_paragraphs": self.conditional_paragraphs, "thoughts": self.thoughts,
            "remember_lines": self.remembers, "meters": self.meters, "hidden_meters": self.hidden_meters,
            "flags": self.flags, "reading_minutes_all": round(self.reading_minutes, 1),
            "playthrough_minutes": None if self.playthrough_minutes is None else round(self.playthrough_minutes, 1),
            "playthrough_words_median": statistics.median(self.playthrough_words) if self.playthrough_words else None,
            "declared_minutes": self.story.minutes,
        }


def story_stats(story: Story, *, sample: int = SAMPLE_RUNS) -> StoryStats:
    found = StoryStats(story)
    found.words = sum(len(item.text.split()) for item in prose(story, SourceText.empty())
                      if not item.what.startswith(("the title", "the summary", "the perspective", "a content note",
                                                   "a debrief")))
    found.scenes = len(story.scenes)
    for scene in story.scenes.values():
        if scene.ending is not None:
            found.endings[scene.ending.tone] += 1
        found.thoughts += bool(scene.thought)
        found.conditional_paragraphs += sum(1 for p in scene.text if p.condition is not None)
        for choice in scene.choices:
            found.choices += 1
            found.locked_choices += bool(choice.locked)
            found.guarded_choices += choice.condition is not None
            found.remembers += bool(choice.remember)
    found.meters = len(story.meters)
    found.hidden_meters = sum(1 for m in story.meters.values() if m.hidden)
    found.flags = len(story.flags)
    if sample:
        runs = randomtest(story, sample, seed=0, count_words=True, skips=False)
        found.playthrough_words = runs.words
        found.playthrough_moves = runs.lengths
    return found
