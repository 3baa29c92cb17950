"""The stories the title screen offers: every story file in the story folders, loaded or not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.story import Story, StoryError, StoryLoadError, discover, load_story


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """One story file: its Story when it loads, else the errors that stop it."""

    path: Path
    story: Story | None
    errors: tuple[StoryError, ...] = ()

    @property
    def key(self) -> str:
        return self.story.id if self.story else str(self.path)

    @property
    def title(self) -> str:
        return self.story.title if self.story else self.path.name


def load_entry(path: Path) -> StoryEntry:
    try:
        return StoryEntry(path, load_story(path))
    except StoryLoadError as exc:
        return StoryEntry(path, None, tuple(exc.errors))


def scan_stories(dirs: list[Path]) -> list[StoryEntry]:
    """Every story in these folders, first one wins for each id; broken files listed last."""
    entries: list[StoryEntry] = []
    seen: set[str] = set()
    for path in discover(dirs):
        entry = load_entry(path)
        if entry.key in seen:
            continue
        seen.add(entry.key)
        entries.append(entry)
    return sorted(entries, key=lambda e: e.story is None)
