"""An unexpected error, told calmly: the place is saved, and the details are in a file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


class CalmErrorScreen(ModalScreen[str | None]):
    """Dismisses with "title" or "quit" (Esc tries to carry on where the player was)."""

    BINDINGS = [
        Binding("t", "dismiss('title')", "Title"),
        Binding("q", "dismiss('quit')", "Quit"),
        Binding("escape", "dismiss(None)", "Carry on", key_display="esc"),
    ]

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
                ("t", "bold $accent"), " back to the title   ", ("q", "bold $accent"), " quit   ",
                ("esc", "bold $accent"), " try to carry on"), classes="section")
        yield Footer()
