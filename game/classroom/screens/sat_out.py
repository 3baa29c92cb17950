"""The quiet alternative for a student who sits a story out: the debrief questions, to read."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.classroom import copy
from game.story import Story


class SatOutScreen(Screen):
    BINDINGS = [
        Binding("h", "app.support", "Support"),
        Binding("t", "app.title", "Stories"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, story: Story):
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        story = self.story
        with VerticalScroll(id="notes-scroll"):
            with Vertical(id="notes"):
                yield Static(Content(story.title), classes="eyebrow")
                yield Static(copy.SAT_OUT, classes="screen-title", id="sat-out-title")
                if story.debrief:
                    yield Static(copy.QUIET_ALTERNATIVE, classes="muted")
                    yield Static(Content("\n\n").join(
                        Content(f"{n}. {' '.join(q.split())}") for n, q in enumerate(story.debrief, 1)),
                        id="sat-out-questions", classes="section")
                else:
                    yield Static(copy.NO_QUESTIONS, classes="muted")
                yield Static(Content.assemble(
                    "If anything stirred something up, ", ("press h", "bold $accent"),
                    " for free, confidential people to talk to."), id="notes-reassure")
        yield Footer()
