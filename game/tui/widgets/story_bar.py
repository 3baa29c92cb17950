"""The play screen's top line: the story's title and who you are in it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class StoryBar(Static):
    DEFAULT_CSS = """
    StoryBar {
        height: 1;
        width: 100%;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    _shown: tuple[str, str, str] | None = None

    def show(self, title: str, perspective: str, note: str = "") -> None:
        if self._shown == (title, perspective, note):
            return  # the same line: no redraw (this runs on every move)
        self._shown = (title, perspective, note)
        parts: list = [(title, "bold $text"), "  ·  ", f"you are {perspective}"]
        if note:
            parts += ["  ·  ", (note, "italic")]
        self.update(Content.assemble(*parts))
