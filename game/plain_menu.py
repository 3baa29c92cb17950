"""The stories on this machine, as words: the plain player's numbered menu and `understood list`.

Both serve screen-reader users first: one story to a line, its number first, nothing decorative
to be read aloud.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from game.plain_help import MENU_HELP
from game.story import Story, StoryLoadError, discover, load_story



@dataclass(frozen=True, slots=True)
class Shelf:
    """The playable stories, first one wins for each id, and the files that do not load."""

    stories: tuple[Story, ...]
    broken: tuple[Path, ...]


def shelf(dirs: list[Path]) -> Shelf:
    stories: list[Story] = []
    broken: list[Path] = []
    seen: set[str] = set()
    for path in discover(dirs):
        try:
            story = load_story(path)
        except StoryLoadError:
            broken.append(path)
            continue
        if story.id not in seen:
            seen.add(story.id)
            stories.append(story)
    return Shelf(tuple(stories), tuple(broken))


def story_line(number: int, story: Story) -> str:
    """'1. The Last Box. You are Sam. About 5 minutes. (play demo)'"""
    about = f" About {story.minutes} minutes." if story.minutes else ""
    return f"{number}. {story.title}. You are {story.perspective}.{about} (play {story.id})"


def list_lines(found: Shelf, *, summaries: bool = True) -> list[str]:
    lines = []
    for number, story in enumerate(found.stories, 1):
        lines.append(story_line(number, story))
        if summaries:
            lines.append(f"   {story.summary}")
    for path in found.broken:
        lines.append(f"Not playable: {path} has problems (see: understood check {path})")
    return lines


def choose_story(found: Shelf, ask: Callable[[str], str | None], say: Callable[[str], None]) -> Story | None:
    """Offer the stories by number; the story picked, or None when the player quit or input ended."""
    if not found.stories:
        say("There are no stories to play here. Add a folder of stories with --stories DIR.")
        return None
    say("Stories:")
    for line in list_lines(found):
        say(line)
    count = len(found.stories)
    while True:
        line = ask(f"Choose a story, 1-{count} (or quit): " if count > 1 else "Choose 1 to play (or quit): ")
        if line is None:
            return None
        word = line.strip().lower()
        if word in ("quit", "q", "exit"):
            say("Goodbye.")
            return None
        if word.isascii() and word.isdigit() and len(word) <= 4 and 1 <= int(word) <= count:
            return found.stories[int(word) - 1]
        for story in found.stories:
            if word == story.id:
                return story
        if word in ("help", "?", "h"):
            say(MENU_HELP)
        else:
            say(f"Type a number from 1 to {count}, or 'quit'.")
