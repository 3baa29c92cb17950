"""Before a story begins: what it touches on, and the way out. Always shown for a new story."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static

from game.story import Story
from game.tui.widgets.hanging_list import bullets
from game.tui.widgets.key_footer import KeyFooter

REASSURANCE = ("You can pause at any time with Esc. From the pause screen you can skip a scene, "
               "which never costs you anything, or find free support lines.")


class ContentNotesScreen(Screen):
    """A separate screen (not a dialog), so classroom mode can make it mandatory."""

    BINDINGS = [
        Binding("enter", "begin", "Begin", priority=False),
        Binding("escape,b", "choose_another", "Choose another story"),
    ]
    AUTO_FOCUS = "#begin"

    class Begin(Message):
        def __init__(self, story: Story):
            super().__init__()
            self.story = story

    class ChooseAnother(Message):
        pass

    def __init__(self, story: Story):
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        story = self.story
        with VerticalScroll(id="notes-scroll"):
            with Vertical(id="notes"):
                yield Static("Before you begin", classes="eyebrow")
                yield Static(Content(story.title), classes="screen-title")
                about = f"You play {story.perspective}."
                if story.minutes:
                    about += f" About {story.minutes} minute{'s' * (story.minutes != 1)}."
                yield Static(Content(about), classes="muted")
                if story.content_notes:
                    yield Static("This story touches on:", classes="section")
                    yield bullets(list(story.content_notes), id="notes-list")
                else:
                    yield Static("The writer listed no content notes for this story.", classes="section")
                yield Static(REASSURANCE, classes="muted", id="notes-reassure")
                with Horizontal(id="notes-buttons"):
                    yield Button("Begin", id="begin", variant="primary")
                    yield Button("Choose another story", id="another")
        yield KeyFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "begin":
            self.action_begin()
        else:
            self.action_choose_another()

    def action_begin(self) -> None:
        self.post_message(self.Begin(self.story))

    def action_choose_another(self) -> None:
        self.post_message(self.ChooseAnother())
