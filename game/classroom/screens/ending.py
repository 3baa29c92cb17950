"""The ending in classroom mode: the TUI's ending screen, plus the optional reflection."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message

from game.engine import Game
from game.tui.screens.ending import EndingScreen


class ClassroomEndingScreen(EndingScreen):
    BINDINGS = [Binding("w", "reflect", "Reflect")]

    class Reflect(Message):
        def __init__(self, game: Game):
            super().__init__()
            self.game = game

    def _next_text(self) -> Content:
        rows = super()._next_text()
        if not self.game.story.debrief:
            return rows
        first = Content.assemble(("w ", "bold $accent"), " Write a reflection: yours, unless you choose to share it")
        return Content("\n").join([first, rows])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reflect":
            return bool(self.game.story.debrief)
        return super().check_action(action, parameters)

    def action_reflect(self) -> None:
        self.post_message(self.Reflect(self.game))

    def action_export(self) -> None:
        """In class the summary is delivered to the student: a download in a browser, the Downloads
        folder in a terminal (the class machine keeps no files of it)."""
        import io

        from game.export import summary_markdown

        self.app.deliver_text(io.StringIO(summary_markdown(self.game)),
                              save_filename=f"{self.game.story.id}-summary.md", mime_type="text/markdown")
