"""Text that can type itself out: the scene's prose and the inner voice share this.

Untyped text is simply not there yet: no filler glyph stands in for it. So that a word being
typed never jumps to the next line half-way through, the typed part keeps the line breaks the
whole text will have: the breaks are worked out for the whole text at the widget's width (with
the same line-breaking Textual uses) and put into the typed part as explicit line ends. Lines
below the one being typed are not reserved (a choice of reflow over blank filler): they arrive as
the text reaches them, and only what is below the typing moves, unseen (on the play screen the
inner voice and the choices wait, hidden, until the narration is typed).
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

try:  # private: the line breaking Textual's Content uses (textual/content.py imports it too)
    from rich._wrap import divide_line
except ImportError:  # a Rich that moved it: typed text then reflows as it grows
    divide_line = None

TICKS_PER_SECOND = 30


def typed_part(content: Content, shown: int, width: int) -> Content:
    """The first `shown` characters of `content`, broken into lines where the whole content
    would break at `width` cells, so that drawing it again at that width changes nothing."""
    part = content[:shown]
    if divide_line is None or width <= 0 or shown <= 0:
        return part
    cuts: list[int] = []
    start = 0
    for line in content.plain.split("\n"):
        if start >= shown:
            break
        cuts += [start + offset for offset in divide_line(line, width, fold=True) if start + offset < shown]
        start += len(line) + 1
    if not cuts:
        return part
    pieces = part.divide(cuts)
    return Content("\n").join([piece.rstrip(" ") for piece in pieces[:-1]] + [pieces[-1]])


class TypedText(Static):
    """A Static that shows its content whole, or types it out at some characters per second.

    `begin()` starts; `complete()` shows the rest at once; `Typed` is posted once all is shown.
    """

    class Typed(Message):
        """All of this widget's text is on screen."""

        def __init__(self, widget: "TypedText"):
            super().__init__()
            self.widget = widget

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._content = Content("")
        self._shown = 0
        self._step = 1
        self._timer: Timer | None = None

    @property
    def revealing(self) -> bool:
        return self._shown < len(self._content)

    def begin(self, content: Content, chars_per_second: int = 0, *, at_once: int = 0) -> None:
        """Show `content`: whole when `chars_per_second` is 0, else typed out after its first
        `at_once` characters (a label, say)."""
        self._stop()
        self._content = content
        if chars_per_second <= 0 or not content:
            self._shown = len(content)
            self.update(content)
            self.post_message(self.Typed(self))
            return
        self._shown = min(at_once, len(content))
        self._step = max(1, round(chars_per_second / TICKS_PER_SECOND))
        self._draw()
        self._timer = self.set_interval(1 / TICKS_PER_SECOND, self._tick)

    def complete(self) -> None:
        """Show the rest at once."""
        if not self.revealing:
            return
        self._stop()
        self._shown = len(self._content)
        self.update(self._content)
        self.post_message(self.Typed(self))

    def _tick(self) -> None:
        self._shown = min(len(self._content), self._shown + self._step)
        if self.revealing:
            self._draw()
        else:
            self._stop()
            self.update(self._content)
            self.post_message(self.Typed(self))

    def _draw(self) -> None:
        self.update(typed_part(self._content, self._shown, self.content_size.width))

    def on_resize(self) -> None:
        if self.revealing:
            self._draw()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
