"""The scene's prose, revealed at once or with an optional typewriter effect."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

# Unrevealed letters are drawn as this blank (not a space), so words keep their length and lines
# wrap exactly as they will when revealed: nothing jumps while the text types out.
BLANK = "\u2800"
TICKS_PER_SECOND = 30


class SceneText(Static):
    """Paragraphs of story text. `show()` starts a scene; any key calls `complete()`."""

    DEFAULT_CSS = """
    SceneText {
        width: 100%;
        height: auto;
    }
    """

    class Revealed(Message):
        """All of the scene's text is now on screen."""

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._text = ""
        self._shown = 0
        self._step = 0
        self._timer: Timer | None = None

    @property
    def text(self) -> str:
        return self._text

    @property
    def revealing(self) -> bool:
        return self._shown < len(self._text)

    def show(self, paragraphs: list[str], chars_per_second: int = 0) -> None:
        """Show a new scene's paragraphs; with a speed, type them out, else show them whole."""
        self._stop()
        self._text = "\n\n".join(" ".join(p.split()) for p in paragraphs)
        if chars_per_second <= 0 or not self._text:
            self._shown = len(self._text)
            self._render_text()
            self.post_message(self.Revealed())
            return
        self._shown = 0
        self._step = max(1, round(chars_per_second / TICKS_PER_SECOND))
        self._render_text()
        self._timer = self.set_interval(1 / TICKS_PER_SECOND, self._tick)

    def complete(self) -> None:
        """Show the rest of the text at once."""
        if not self.revealing:
            return
        self._stop()
        self._shown = len(self._text)
        self._render_text()
        self.post_message(self.Revealed())

    def _tick(self) -> None:
        self._shown = min(len(self._text), self._shown + self._step)
        self._render_text()
        if not self.revealing:
            self._stop()
            self.post_message(self.Revealed())

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _render_text(self) -> None:
        shown, rest = self._text[: self._shown], self._text[self._shown:]
        hidden = "".join(c if c.isspace() else BLANK for c in rest)
        self.update(Content(shown + hidden))
