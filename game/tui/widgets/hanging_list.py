"""Rows of a marker (a bullet, a number, a key) and text that wraps under its own first word.

Rich and Textual wrap a line back to the left edge; a list whose wrapped lines run under its
bullets is hard to read. Each row here is the marker in a fixed-width column beside the text in
its own box, so every wrapped line keeps the indent.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

Text = str | Content


class HangingList(Vertical):
    DEFAULT_CSS = """
    HangingList {
        height: auto;
        width: 100%;
    }
    HangingList > Horizontal {
        height: auto;
        width: 100%;
    }
    HangingList .hanging-list--marker {
        height: auto;
    }
    HangingList .hanging-list--text {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, rows: list[tuple[Text, Text]], *, marker_style: str = "", gap: int = 2,
                 id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.rows = rows
        self.marker_style = marker_style
        self.gap = gap

    def compose(self) -> ComposeResult:
        width = max((Content(m).cell_length if isinstance(m, str) else m.cell_length for m, _ in self.rows),
                    default=0) + self.gap
        for marker, text in self.rows:
            with Horizontal():
                mark = Static(Content.styled(marker, self.marker_style) if isinstance(marker, str) else marker,
                              classes="hanging-list--marker")
                mark.styles.width = width
                yield mark
                yield Static(Content(text) if isinstance(text, str) else text, classes="hanging-list--text")


def bullets(lines: list[Text], *, id: str | None = None, classes: str | None = None) -> HangingList:
    """A bulleted list with hanging indents."""
    return HangingList([("·", line) for line in lines], id=id, classes=classes)
