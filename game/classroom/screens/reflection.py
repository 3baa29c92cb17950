"""After the ending: the student may answer the debrief questions. The answers are theirs: kept
on screen, saved as Markdown if they ask (a download, in a browser), and shared with the class only
if they tick the box."""

from __future__ import annotations

import io

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Static, TextArea

from game.classroom import copy
from game.classroom.reflection import Reflection

MAX_ANSWER = 4000  # characters kept per answer


class ReflectionScreen(Screen[tuple[Reflection, bool] | None]):
    """Dismisses with (reflection, share) on Done, or None when left with Esc."""

    BINDINGS = [
        Binding("ctrl+s", "keep", "Keep a copy"),
        Binding("escape", "leave", "Back"),
    ]
    DEFAULT_CSS = """
    ReflectionScreen TextArea { height: 5; margin: 0 0 1 0; }
    ReflectionScreen #reflection-share { margin: 1 0 0 0; }
    """

    def __init__(self, reflection: Reflection, shared: bool = False):
        super().__init__()
        self.reflection = reflection
        self.shared = shared

    def compose(self) -> ComposeResult:
        reflection = self.reflection
        with VerticalScroll(id="notes-scroll"):
            with Vertical(id="notes"):
                yield Static(Content(reflection.title), classes="eyebrow")
                yield Static("Your reflection", classes="screen-title")
                yield Static(copy.REFLECT_OFFER, classes="muted")
                for index, question in enumerate(reflection.questions):
                    yield Static(Content(f"{index + 1}. {' '.join(question.split())}"), classes="section")
                    yield TextArea(reflection.answers[index], id=f"answer-{index}", soft_wrap=True,
                                   show_line_numbers=False, tab_behavior="focus")
                yield Checkbox(copy.SHARE_LABEL, self.shared, id="reflection-share")
                with Horizontal(id="notes-buttons"):
                    yield Button("Done", id="done", variant="primary")
                    yield Button("Keep a copy (Markdown)", id="keep")
        yield Footer()

    def on_mount(self) -> None:
        if self.reflection.questions:
            self.query_one("#answer-0", TextArea).focus()

    def collect(self) -> Reflection:
        for index in range(len(self.reflection.questions)):
            self.reflection.answer(index, self.query_one(f"#answer-{index}", TextArea).text[:MAX_ANSWER])
        return self.reflection

    @property
    def share(self) -> bool:
        return self.query_one("#reflection-share", Checkbox).value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "keep":
            self.action_keep()
        else:
            self.dismiss((self.collect(), self.share))

    def action_keep(self) -> None:
        """Deliver the Markdown: a download in a browser, the Downloads folder in a terminal."""
        reflection = self.collect()
        self.app.deliver_text(io.StringIO(reflection.markdown()), save_filename=reflection.default_filename(),
                              mime_type="text/markdown")

    def action_leave(self) -> None:
        self.dismiss((self.collect(), self.share))
