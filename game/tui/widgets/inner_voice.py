"""The inner voice: what he thinks, set apart from what is said."""

from __future__ import annotations

from textual.content import Content

from game.tui.widgets.typed_text import TypedText

# Said in words, not only in style, so it reads on a monochrome terminal and in a text export.
LABEL = "Inner voice"


class InnerVoice(TypedText):
    """Dim italic text in its own block, with a rule down the side and a spoken label.

    With the typewriter on, it waits (unseen) until the narration is typed, then types itself:
    `show()` sets the thought, `begin_typing()` starts it."""

    DEFAULT_CSS = """
    InnerVoice {
        width: 100%;
        height: auto;
        margin: 1 0 0 0;
        padding: 0 0 0 1;
        border-left: outer $secondary 60%;
        color: $text-muted;
        text-style: italic;
    }
    InnerVoice.-empty, InnerVoice.-waiting {
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.thought: str | None = None
        self._speed = 0

    @property
    def waiting(self) -> bool:
        """Set to type, not yet begun (the narration is still typing)."""
        return self.has_class("-waiting")

    @property
    def revealing(self) -> bool:
        return self.waiting or super().revealing

    def show(self, thought: str | None, chars_per_second: int = 0) -> None:
        """Show the thought at once, or (with a speed) wait for `begin_typing()`."""
        self.thought = thought
        self._speed = chars_per_second
        self.set_class(not thought, "-empty")
        typed = bool(thought) and chars_per_second > 0
        self.set_class(typed, "-waiting")
        if typed:
            self._stop()
            self._content = self._words()
            self._shown = 0
            self.update("")
        else:
            self.begin(self._words() if thought else Content(""))

    def begin_typing(self) -> None:
        if self.waiting:
            self.remove_class("-waiting")
            label = len(LABEL) + 1
            self.begin(self._words(), self._speed, at_once=label)

    def complete(self) -> None:
        if self.waiting:
            self.remove_class("-waiting")
            self._shown = 0
        super().complete()

    def _words(self) -> Content:
        return Content.assemble((f"{LABEL}:", "not italic"), " ", " ".join((self.thought or "").split()))
