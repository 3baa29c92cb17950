"""One choice in the list: its number, its words, and, when locked, the reason why.

One widget, drawn as one block of text: the number in a column of its own, the words wrapped
beside it with a hanging indent. (It was a row of two Statics; a scene's choices are redrawn on
every move, and three widgets a choice made each move slower to lay out and draw.)
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

LOCKED_MARK = "locked:"
NUMBER_WIDTH = 4  # the number column: pointer, digit, and the gap before the words


class ChoiceItem(Widget, can_focus=True):
    """A focusable row. Enter or a click asks for the choice; the screen decides what happens."""

    DEFAULT_CSS = """
    ChoiceItem {
        height: auto;
        width: 100%;
        padding: 0 1 0 0;
    }
    ChoiceItem:focus {
        background: $boost;
        text-style: bold;
    }
    ChoiceItem.-locked {
        color: $text-muted;
    }
    ChoiceItem.-locked:focus {
        text-style: none;
    }
    ChoiceItem.-locked.-asked {
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
        self._lines: tuple[tuple, list[Content]] | None = None  # (key, the words wrapped)

    def set_choice(self, number: int, text: str, reason: str | None = None, *, available: bool = True) -> None:
        """Show another choice in this row (the list reuses its rows from scene to scene)."""
        text = " ".join(text.split())
        asked = self.has_class("-asked")
        if (number, text, reason, available) == (self.number, self.text, self.reason, self.available) and not asked:
            return
        self.number, self.text, self.reason, self.available = number, text, reason, available
        self.remove_class("-asked")
        self.set_class(not available, "-locked")
        self.refresh(layout=True)

    def point_to_reason(self) -> None:
        """A locked choice was asked for: its reason, already under it, stands out."""
        if not self.available:
            self.add_class("-asked")
            self.refresh()

    # --- drawing -------------------------------------------------------------------------------

    def _words(self) -> Content:
        if self.available:
            return Content(self.text)
        asked = self.has_class("-asked")
        return Content.assemble(
            (self.text, "strike"),
            "\n",
            (f"{LOCKED_MARK} {' '.join((self.reason or '').split())}", "bold italic" if asked else "italic"),
        )

    def _wrapped(self, width: int) -> list[Content]:
        width = max(1, width - NUMBER_WIDTH)
        key = (width, self.text, self.reason, self.available, self.has_class("-asked"))
        if self._lines is None or self._lines[0] != key:
            self._lines = (key, self._words().wrap(width))
        return self._lines[1]

    def _number(self) -> Content:
        # The pointer shows focus without relying on colour.
        label = f"{'›' if self.has_focus else ' '}{self.number}".ljust(NUMBER_WIDTH)
        contrast = self.app.has_class("-high-contrast")  # no dimmed text; focus is a reversed bar
        if not self.available:
            return Content(label) if contrast else Content.styled(label, "dim")
        if self.has_focus and contrast:
            return Content.styled(label, "bold")  # on the accent-coloured focus bar
        return Content.styled(label, "bold $accent")

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._wrapped(width)) or 1

    def render(self) -> Content:
        lines = self._wrapped(self.content_size.width)
        indent = " " * NUMBER_WIDTH
        return Content("\n").join([self._number() + (lines[0] if lines else "")]
                                  + [indent + line for line in lines[1:]])

    # --- focus and keys ------------------------------------------------------------------------

    def on_focus(self) -> None:
        self.refresh()
        self.call_after_refresh(self._place_cursor)

    def on_blur(self) -> None:
        self.refresh()

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
