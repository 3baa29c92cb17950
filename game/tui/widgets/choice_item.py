"""One choice in the list: its number, its words, and, when locked, the reason why."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

LOCKED_MARK = "locked:"


class ChoiceItem(Horizontal, can_focus=True):
    """A focusable row. Enter or a click asks for the choice; the screen decides what happens."""

    DEFAULT_CSS = """
    ChoiceItem {
        height: auto;
        width: 100%;
        padding: 0 1 0 0;
    }
    ChoiceItem > .choice-number {
        width: 4;
        color: $accent;
        text-style: bold;
    }
    ChoiceItem > .choice-text {
        width: 1fr;
        height: auto;
    }
    ChoiceItem:focus {
        background: $boost;
    }
    ChoiceItem:focus > .choice-text {
        text-style: bold;
    }
    ChoiceItem.-locked > .choice-number {
        color: $text-muted;
        text-style: dim;
    }
    ChoiceItem.-locked > .choice-text {
        color: $text-muted;
    }
    ChoiceItem.-locked:focus > .choice-text {
        text-style: none;
    }
    ChoiceItem.-asked > .choice-text {
        color: $text;
    }
    """

    BINDINGS = [Binding("enter", "pick", "Choose", show=False)]

    class Picked(Message):
        """The player asked for this choice (which may be locked)."""

        def __init__(self, item: "ChoiceItem"):
            super().__init__()
            self.item = item

        @property
        def number(self) -> int:
            return self.item.number

    def __init__(self, number: int, text: str, reason: str | None = None, *, available: bool = True):
        super().__init__(classes="-locked" if not available else "")
        self.number = number
        self.text = " ".join(text.split())
        self.reason = reason
        self.available = available

    def compose(self) -> ComposeResult:
        yield Static(self._number_label(False), classes="choice-number")
        yield Static(self._body(), classes="choice-text")

    def set_choice(self, number: int, text: str, reason: str | None = None, *, available: bool = True) -> None:
        """Show another choice in this row (the list reuses its rows from scene to scene)."""
        text = " ".join(text.split())
        self.remove_class("-asked")
        if (number, text, reason, available) == (self.number, self.text, self.reason, self.available):
            return
        renumbered = number != self.number
        self.number, self.text, self.reason, self.available = number, text, reason, available
        self.set_class(not available, "-locked")
        if not self.is_mounted:
            return
        if renumbered:
            self.query_one(".choice-number", Static).update(self._number_label(self.has_focus))
        self.query_one(".choice-text", Static).update(self._body())

    def point_to_reason(self) -> None:
        """A locked choice was asked for: its reason, already under it, stands out."""
        if not self.available:
            self.add_class("-asked")
            self.query_one(".choice-text", Static).update(self._body())

    def _number_label(self, focused: bool) -> Content:
        # The pointer shows focus without relying on colour.
        return Content(f"{'›' if focused else ' '}{self.number}")

    def _body(self) -> Content:
        if self.available:
            return Content(self.text)
        asked = self.has_class("-asked")
        return Content.assemble(
            (self.text, "strike"),
            "\n",
            (f"{LOCKED_MARK} {' '.join((self.reason or '').split())}", "bold italic" if asked else "italic"),
        )

    def on_focus(self) -> None:
        self.query_one(".choice-number", Static).update(self._number_label(True))
        self.call_after_refresh(self._place_cursor)

    def on_blur(self) -> None:
        self.query_one(".choice-number", Static).update(self._number_label(False))

    def _place_cursor(self) -> None:
        """Put the terminal's cursor on this choice, for braille displays that follow it."""
        if self.has_focus and self.is_attached:
            region = self.content_region
            self.app.cursor_position = region.offset

    def action_pick(self) -> None:
        self.post_message(self.Picked(self))

    def on_click(self) -> None:
        self.focus()
        self.post_message(self.Picked(self))
