"""What the last move or key did, said quietly between the scene and its choices.

The play screen's notes ("Remembered: ...", "Not yet: ...", "You take that back.", saved,
reloaded) live here rather than in toasts, which Textual draws over the bottom right of the
screen: over the choices. Notes about a move stay until the next move; a note about a key that
did nothing (a locked choice, a number with no choice) replaces the last such note.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

KEPT = 4  # at most this many notes at once; the oldest go first


@dataclass(frozen=True)
class Note:
    message: str
    title: str = ""
    severity: str = "information"
    passing: bool = False  # about a key that changed nothing: the next such note replaces it


class FeedbackLine(Static):
    DEFAULT_CSS = """
    FeedbackLine {
        width: 100%;
        height: auto;
        margin: 0 0 1 0;
        color: $text-muted;
    }
    FeedbackLine.-empty {
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.notes: list[Note] = []
        self.add_class("-empty")

    def say(self, message: str, *, title: str = "", severity: str = "information", passing: bool = False) -> None:
        note = Note(" ".join(str(message).split()), title, severity, passing)
        notes = [n for n in self.notes if n != note and not (passing and n.passing)]
        self.notes = (notes + [note])[-KEPT:]
        self._draw()

    def clear(self) -> None:
        if self.notes:
            self.notes = []
            self._draw()

    @property
    def lines(self) -> list[str]:
        """The notes as they read on screen, one per line."""
        return [f"{n.title}: {n.message}" if n.title else n.message for n in self.notes]

    def _draw(self) -> None:
        self.set_class(not self.notes, "-empty")
        self.update(Content("\n").join(self._line(note) for note in self.notes))

    @staticmethod
    def _line(note: Note) -> Content:
        # The title says what the note is about in words; colour only adds to it.
        colour = "$warning" if note.severity in ("warning", "error") else "$accent"
        if note.title:
            return Content.assemble((f"{note.title}: ", f"bold {colour}"), (note.message, "italic"))
        return Content.styled(note.message, f"italic {colour}" if colour == "$warning" else "italic")
