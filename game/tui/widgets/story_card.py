"""What the title screen says about the highlighted story before the player starts it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from game.tui.stories import StoryEntry


def describe(entry: StoryEntry) -> Content:
    """Title, summary, who you play, play time and content notes (or why it will not open)."""
    story = entry.story
    if story is None:
        first = entry.errors[0].format().splitlines()[0] if entry.errors else ""
        count = len(entry.errors)
        return Content.assemble(
            (entry.path.name, "bold"), "\n\n",
            f"This story file has {count} problem{'s' * (count != 1)} and cannot be played yet. "
            "Press Enter to see them.\n\n",
            (first, "$text-muted"),
        )
    parts: list = [(story.title, "bold"), "\n\n", " ".join(story.summary.split()), "\n\n",
                   ("You play ", "$text-muted"), story.perspective]
    if story.minutes:
        parts += [("  ·  about ", "$text-muted"), f"{story.minutes} minute{'s' * (story.minutes != 1)}"]
    if story.content_notes:
        parts += ["\n\n", ("Content notes: ", "$text-muted"), ", ".join(story.content_notes)]
    return Content.assemble(*parts)


class StoryCard(Static):
    DEFAULT_CSS = """
    StoryCard {
        height: auto;
        width: 100%;
    }
    """

    def show(self, entry: StoryEntry | None) -> None:
        self.update(describe(entry) if entry else Content("No stories found. Add .yaml files to stories/."))
