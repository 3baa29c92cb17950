"""An unexpected error, told calmly: the place is saved, and the details are in a file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.widgets.key_footer import KeyFooter


class CalmErrorScreen(ModalScreen[None]):
    """Posts `Chosen("title")` (t or Esc) or `Chosen("quit")` to the app, which acts on it."""

    BINDINGS = [
        Binding("t,escape", "choose('title')", "Title", key_display="t"),
        Binding("q", "choose('quit')", "Quit"),
    ]

    class Chosen(Message):
        def __init__(self, answer: str):
            super().__init__()
            self.answer = answer

    def __init__(self, summary: str, saved: str | None, log_path: str | None):
        super().__init__()
        self.summary = summary
        self.saved = saved
        self.log_path = log_path

    def compose(self) -> ComposeResult:
        with Vertical(id="calm-error", classes="dialog"):
            yield Static("Something went wrong on our side", classes="screen-title")
            yield Static(Content(
                f"Your place is saved ({self.saved})." if self.saved else "Nothing you did caused this."),
                id="calm-error-saved")
            yield Static(Content(self.summary), classes="muted", id="calm-error-summary")
            if self.log_path:
                yield Static(Content(f"The details are in {self.log_path}, if you'd like to report it."),
                             classes="muted")
            yield Static(Content.assemble(
                ("t", "bold $accent"), " back to the title, where Continue picks up your place   ",
                ("q", "bold $accent"), " quit"), classes="section")
        yield KeyFooter()

    def action_choose(self, answer: str) -> None:
        self.post_message(self.Chosen(answer))
