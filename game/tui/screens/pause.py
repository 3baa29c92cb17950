"""Pause: a calm "Take a breath" screen. Resume, skip this scene, support, or the title."""

from __future__ import annotations

import textwrap

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.tui.widgets.key_footer import KeyFooter

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

    def _choices(self) -> list[tuple[str, str, str, str]]:
        return [(answer, key, label, self.skip_offer if answer == "skip" and self.skip_offer else note)
                for answer, key, label, note in CHOICES]

    def prompt(self, key: str, label: str, note: str, *, highlighted: bool) -> Content:
        """A row: the key in the accent colour, or, on the highlighted row, in the cursor's own
        colour (an accent letter on the cursor's background would be hard to read). The note is
        wrapped here, so its wrapped lines keep their indent under the label."""
        width = self._note_width
        if width:
            note = "\n   ".join(textwrap.wrap(note, width) or [""])
        if highlighted:
            return Content.assemble((key, "bold underline"), "  ", (label, "bold"), "\n   ", note)
        return Content.assemble((key, "bold $accent"), "  ", (label, "bold"), "\n   ", (note, "$text-muted"))

    def compose(self) -> ComposeResult:
        with Vertical(id="pause", classes="dialog"):
            yield Static("Take a breath.", classes="screen-title")
            yield Static("Nothing here is timed. Come back when you're ready.", classes="muted")
            options = [Option(self.prompt(key, label, note, highlighted=False), id=answer,
                              disabled=answer == "skip" and not self.can_skip)
                       for answer, key, label, note in self._choices()]
            yield OptionList(*options, id="pause-options")
        yield KeyFooter()

    _note_width = 0

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_resize(self) -> None:
        options = self.query_one(OptionList)
        width = max(10, options.scrollable_content_region.width - 4)
        if width != self._note_width:
            self._note_width = width
            self._refresh_prompts(options)

    def _refresh_prompts(self, options: OptionList) -> None:
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        for answer, key, label, note in self._choices():
            options.replace_option_prompt(answer, self.prompt(key, label, note, highlighted=answer == highlighted))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._refresh_prompts(event.option_list)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == ("skip",) and not self.can_skip:
            return None
        return True

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)
