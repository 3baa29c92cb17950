"""The content notes in classroom mode: the TUI's notes screen, plus a way to sit the story out."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Button, Static

from game.classroom import copy
from game.story import Story
from game.tui.screens.content_notes import ContentNotesScreen


class ClassroomNotesScreen(ContentNotesScreen):
    """Always shown before a story in class mode. Sitting out asks for no reason."""

    class SitOut(Message):
        def __init__(self, story: Story):
            super().__init__()
            self.story = story

    def on_mount(self) -> None:
        self.query_one("#notes-reassure", Static).update(f"{copy.NO_REASON}\n\n{copy.MODE_LINE}")
        self.query_one("#notes-buttons").mount(Button(copy.SIT_OUT, id="sit-out"), before="#another")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Sit out here; Textual then calls the notes screen's own handler for its buttons."""
        if event.button.id == "sit-out":
            event.stop()
            event.prevent_default()  # the base handler would take any other button as "choose another"
            self.post_message(self.SitOut(self.story))
