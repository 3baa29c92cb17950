"""Pause: a calm "Take a breath" screen. Resume, skip this scene, support, or the title."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

CHOICES = [
    ("resume", "r", "Resume", "Pick up where you were."),
    ("skip", "x", "Skip this scene", "Move on. It never costs you anything."),
    ("support", "h", "Support lines", "Free, confidential people to talk to."),
    ("title", "t", "Back to the title", "Your place is saved."),
]


class PauseScreen(ModalScreen[str | None]):
    """Dismisses with "resume", "skip", "support" or "title"; Esc resumes."""

    BINDINGS = [
        Binding("escape,p,r", "answer('resume')", "Resume", key_display="esc"),
        Binding("x", "answer('skip')", "Skip scene"),
        Binding("h", "answer('support')", "Support"),
        Binding("t", "answer('title')", "Title"),
    ]

    def __init__(self, can_skip: bool = True, skip_offer: str | None = None):
        super().__init__()
        self.can_skip = can_skip
        self.skip_offer = skip_offer  # what skipping does here (game.engine.skipping), when known

    def compose(self) -> ComposeResult:
        with Vertical(id="pause", classes="dialog"):
            yield Static("Take a breath.", classes="screen-title")
            yield Static("Nothing here is timed. Come back when you're ready.", classes="muted")
            options = [
                Option(Content.assemble((key, "bold $accent"), "  ", (label, "bold"), "\n   ", (note, "dim")),
                       id=answer, disabled=answer == "skip" and not self.can_skip)
                for answer, key, label, note in ((a, k, label, self.skip_offer if a == "skip" and self.skip_offer
                                                  else n) for a, k, label, n in CHOICES)
            ]
            yield OptionList(*options, id="pause-options")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == ("skip",) and not self.can_skip:
            return None
        return True

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)
