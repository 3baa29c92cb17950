"""The inner voice: what he thinks, set apart from what is said."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

# Said in words, not only in style, so it reads on a monochrome terminal and in a text export.
LABEL = "Inner voice"


class InnerVoice(Static):
    """Dim italic text in its own block, with a rule down the side and a spoken label."""

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
    InnerVoice.-empty {
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.thought: str | None = None

    def show(self, thought: str | None) -> None:
        self.thought = thought
        self.set_class(not thought, "-empty")
        if thought:
            self.update(Content.assemble((f"{LABEL}:", "not italic"), " ", " ".join(thought.split())))
        else:
            self.update("")
