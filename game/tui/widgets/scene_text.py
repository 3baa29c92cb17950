"""The scene's prose, shown at once or typed out (see typed_text.py)."""

from __future__ import annotations

from textual.content import Content

from game.tui.widgets.typed_text import TypedText


class SceneText(TypedText):
    """Paragraphs of story text. `show()` starts a scene; any key calls `complete()`."""

    DEFAULT_CSS = """
    SceneText {
        width: 100%;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._text = ""

    @property
    def text(self) -> str:
        return self._text

    def show(self, paragraphs: list[str], chars_per_second: int = 0) -> None:
        """Show a new scene's paragraphs; with a speed, type them out, else show them whole."""
        self._text = "\n\n".join(" ".join(p.split()) for p in paragraphs)
        self.begin(Content(self._text), chars_per_second)
