"""The title screen: the stories, Continue, Load, Settings, Support, Help and Quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine import SaveData
from game.tui.stories import StoryEntry
from game.tui.text import saved_when
from game.tui.widgets.key_footer import KeyFooter
from game.tui.widgets.story_card import StoryCard
from game.tui.widgets.story_list import StoryList

TAGLINE = "Men want to be understood. Just a little bit more."
PLAIN_HINT = "Using a screen reader? Quit and run  understood --plain  instead."


class TitleScreen(Screen):
    """Lists the stories with a card for the highlighted one; Enter begins it."""

    BINDINGS = [
        Binding("c", "continue", "Continue"),
        Binding("l", "load", "Load"),
        Binding("s", "app.settings", "Settings"),
        Binding("h", "app.support", "Support"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]

    class StoryChosen(Message):
        def __init__(self, entry: StoryEntry):
            super().__init__()
            self.entry = entry

    class SaveChosen(Message):
        """Continue or Load: play on from this save."""

        def __init__(self, save: SaveData):
            super().__init__()
            self.save = save

    def __init__(self, entries: list[StoryEntry], latest: SaveData | None = None):
        super().__init__()
        self.entries = entries
        self.latest = latest

    def compose(self) -> ComposeResult:
        with Vertical(id="title-head"):
            yield Static("U N D E R S T O O D", id="title-name")
            yield Static(TAGLINE, id="title-tagline")
        with Horizontal(id="title-body"):
            options = [Option(self._label(e), id=str(i)) for i, e in enumerate(self.entries)]
            yield StoryList(*options, id="story-list")
            with VerticalScroll(id="story-detail"):
                yield StoryCard(id="story-card")
        if self.latest is not None:
            save = self.latest
            yield Static(Content.assemble(
                ("c", "bold $accent"), "  Continue ", (save.story_title, "bold"),
                f", at {save.where} ({saved_when(save)})",
            ), id="title-continue")
        yield Static(PLAIN_HINT, id="title-plain")
        yield KeyFooter()

    @staticmethod
    def _label(entry: StoryEntry) -> Content:
        if entry.story is None:
            return Content.assemble((entry.title, "$text-muted"), ("  (has problems)", "italic $text-muted"))
        return Content(entry.title)

    def on_mount(self) -> None:
        story_list = self.query_one("#story-list", OptionList)
        if self.entries:
            story_list.highlighted = 0
        self.query_one(StoryCard).show(self.entries[0] if self.entries else None)
        story_list.focus()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 70, "-narrow")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(StoryCard).show(self.entries[event.option_index])
        self.query_one("#story-detail").scroll_home(animate=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.StoryChosen(self.entries[event.option_index]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "continue":
            return self.latest is not None
        return True

    def action_continue(self) -> None:
        if self.latest is not None:
            self.post_message(self.SaveChosen(self.latest))

    def action_load(self) -> None:
        from game.tui.screens.saves import SavesScreen

        def loaded(save: SaveData | None) -> None:
            if save is not None:
                self.post_message(self.SaveChosen(save))

        self.app.push_screen(SavesScreen(self.app.saves, mode="load"), loaded)
