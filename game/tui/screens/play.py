"""The play screen, the heart of the game: scene text, the inner voice, choices and meters."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual import events, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen

from game.engine import ChoiceLocked, Game, GameError, NoSuchChoice, Outcome, SaveData, SaveError, SaveStore
from game.story import Story, StoryError
from game.tui.watch import FileWatch
from game.tui.widgets.choice_item import ChoiceItem
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.inner_voice import InnerVoice
from game.tui.widgets.key_footer import KeyFooter
from game.tui.widgets.meter_panel import MeterPanel
from game.tui.widgets.scene_text import SceneText
from game.tui.widgets.story_bar import StoryBar
from game.tui.widgets.story_problems import StoryProblems

NARROW = 80  # below this many columns the meters collapse to one line


class PlayScreen(Screen):
    """Plays one Game. Moves go through the engine; the screen only shows and asks."""

    BINDINGS = [
        Binding("1", "choose(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)),
        Binding("escape,p", "pause", "Pause", key_display="esc"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("j", "journal", "Journal"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("s", "save", "Save"),
        Binding("l", "load", "Load"),
        Binding("pageup", "scroll_text(-1)", "Scroll up", show=False),
        Binding("pagedown,space", "scroll_text(1)", "Scroll down", show=False),
    ]

    class Ended(Message):
        """The story reached an ending (autosaved already)."""

        def __init__(self, game: Game):
            super().__init__()
            self.game = game

    class LeaveToTitle(Message):
        """The player chose to go back to the title (autosaved already)."""

    class SaveChosen(Message):
        """The player picked a save to load; it may belong to another story."""

        def __init__(self, save: SaveData):
            super().__init__()
            self.save = save

    def __init__(self, game: Game, saves: SaveStore, *, notice: str | None = None,
                 watch_path: Path | None = None, watch_interval: float = 0.5):
        super().__init__()
        self.game = game
        self.saves = saves
        self.notice = notice
        self.watch_path = watch_path
        self.watch_interval = watch_interval
        self._watch: FileWatch | None = None
        self.problems: list[StoryError] = []

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """The first scene is composed in place (later ones are swapped in by `show_scene`), so
        the screen is laid out and styled once before it is first drawn."""
        game = self.game
        narrow = self.app.size.width < NARROW
        self.set_class(narrow, "-narrow")
        with Vertical(id="play-top"):
            yield StoryBar(id="story-bar")
            yield StoryProblems(id="watch-problems", classes="-hidden")
        yield MeterPanel(game.visible_meters(), line=narrow, id="meters")
        with Container(id="reading-area"):
            with Vertical(id="reading"):
                with VerticalScroll(id="scene-scroll", can_focus=False):
                    yield SceneText(id="scene-text")
                    yield InnerVoice(id="inner-voice")
                yield ChoiceList(self._choices(), id="choices")
        yield KeyFooter()

    def _choices(self) -> list[tuple[int, str, str | None, bool]]:
        return [(o.number, o.text, o.locked_reason, o.available) for o in self.game.options()]

    async def on_mount(self) -> None:
        self._show_text()
        if self.notice:
            self.notify(self.notice, title="Note", timeout=10)
        if self.watch_path is not None:
            self._watch = FileWatch(self.watch_path)
            self.set_interval(self.watch_interval, self._check_story_file)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)
        self.call_after_refresh(self._fit_text)

    def _fit_text(self) -> None:
        """Let the text take the room the choices leave, so choices sit right below short text
        and long text scrolls above them."""
        if not self.is_attached:
            return
        room = self.query_one("#reading").content_size.height - self.choice_list.outer_size.height
        self.query_one("#scene-scroll").styles.max_height = max(3, room)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        self.query_one(MeterPanel).line = narrow

    @property
    def scene_text(self) -> SceneText:
        return self.query_one(SceneText)

    @property
    def choice_list(self) -> ChoiceList:
        return self.query_one(ChoiceList)

    async def show_scene(self, *, animate: bool = True) -> None:
        """Show where the game stands now: choices and meters, then the text and inner voice."""
        await self.choice_list.set_choices(self._choices())
        animate = animate and not self.app.settings.reduced_motion
        self.query_one(MeterPanel).show(self.game.visible_meters(), animate=animate)
        self.query_one("#scene-scroll", VerticalScroll).scroll_home(animate=False)
        self._show_text()

    def _show_text(self) -> None:
        game = self.game
        story = game.story
        self.query_one(StoryBar).show(story.title, story.perspective,
                                      "watching for changes" if self.watch_path else "")
        self.query_one(InnerVoice).show(game.thought)
        text = self.scene_text
        text.show(game.paragraphs(), self.app.settings.chars_per_second)
        self.choice_list.set_class(text.revealing, "-waiting")
        self.choice_list.focus_first()
        self.call_after_refresh(self._fit_text)

    def action_scroll_text(self, direction: int) -> None:
        """Long scenes scroll above the choices; the arrows stay with the choices."""
        scroll = self.query_one("#scene-scroll", VerticalScroll)
        scroll.scroll_page_down() if direction > 0 else scroll.scroll_page_up()

    def on_scene_text_revealed(self) -> None:
        self.choice_list.remove_class("-waiting")

    # --- keys ---------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """While text is typing out, any key shows the rest at once (and does nothing else)."""
        if self.scene_text.revealing:
            event.stop()
            event.prevent_default()
            self.scene_text.complete()

    def on_click(self) -> None:
        self.scene_text.complete()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return not self.game.is_over
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Entries for the command palette while playing (the app adds its own)."""
        yield SystemCommand("Undo", "Take back your last choice", self.action_undo)
        yield SystemCommand("Journal", "The story so far; export it to Markdown", self.action_journal)
        yield SystemCommand("Save", "Save your place in a slot", self.action_save)
        yield SystemCommand("Load", "Load a saved game", self.action_load)
        yield SystemCommand("Pause", "Take a breath: resume, skip this scene, support, title", self.action_pause)
        yield SystemCommand("Skip this scene", "Move on; it never costs you anything", self.action_skip)

    # --- moves ----------------------------------------------------------------------------------

    async def on_choice_item_picked(self, event: ChoiceItem.Picked) -> None:
        event.stop()
        await self.action_choose(event.number)

    async def action_choose(self, number: int) -> None:
        game = self.game
        if game.is_over:
            return
        try:
            outcome = game.choose(number)
        except ChoiceLocked as exc:
            self._explain_locked(number, str(exc))
            return
        except NoSuchChoice:
            count = len(game.options())
            self.notify(f"There {'is' if count == 1 else 'are'} only {count} choice{'s' * (count != 1)} here.",
                        timeout=4)
            return
        except GameError as exc:
            self.notify(str(exc), timeout=6)
            return
        await self._after_move(outcome)

    def _explain_locked(self, number: int, reason: str) -> None:
        """Gently say why a locked choice can't be taken; nothing in the game changes."""
        for item in self.choice_list.items:
            if item.number == number:
                item.focus()
        self.notify(reason, title="Not yet", timeout=6)

    async def _after_move(self, outcome: Outcome) -> None:
        self.autosave()
        if outcome.remembered:
            self.notify(outcome.remembered, title="Remembered", timeout=8)
        if outcome.ended:
            self.post_message(self.Ended(self.game))
            return
        await self.show_scene()

    def autosave(self) -> SaveData | None:
        try:
            return self.saves.autosave(self.game)
        except SaveError as exc:
            self.notify(f"Couldn't autosave: {exc}", severity="warning", timeout=8)
            return None

    async def action_undo(self) -> None:
        if not self.game.undo():
            self.notify("There is nothing to undo yet.", timeout=3)
            return
        self.autosave()
        await self.show_scene()
        self.notify("You take that back.", timeout=3)

    async def action_skip(self) -> None:
        if self.game.is_over:
            return
        from game.engine.skipping import skip_words

        words = skip_words(self.game.story, self.game.scene)
        outcome = self.game.skip()
        self.notify(words.done, timeout=5)
        await self._after_move(outcome)

    # --- other screens --------------------------------------------------------------------------

    def action_journal(self) -> None:
        from game.tui.screens.journal import JournalScreen

        self.app.push_screen(JournalScreen(self.game, self.saves.directory))

    def action_save(self) -> None:
        from game.tui.screens.saves import SavesScreen

        def saved(slot: str | None) -> None:
            if slot:
                self.notify(f"Saved as '{slot}'.", timeout=4)

        self.app.push_screen(SavesScreen(self.saves, mode="save", game=self.game), saved)

    def action_load(self) -> None:
        from game.tui.screens.saves import SavesScreen

        def loaded(save: SaveData | None) -> None:
            if save is not None:
                self.post_message(self.SaveChosen(save))

        self.app.push_screen(SavesScreen(self.saves, mode="load"), loaded)

    def action_pause(self) -> None:
        from game.tui.screens.pause import PauseScreen

        from game.engine.skipping import skip_words

        offer = skip_words(self.game.story, self.game.scene).offer if self.game.can_skip else None
        self.app.push_screen(PauseScreen(can_skip=self.game.can_skip, skip_offer=offer), self._after_pause)

    async def _after_pause(self, answer: str | None) -> None:
        if answer == "skip":
            await self.action_skip()
        elif answer == "support":
            self.app.action_support()
        elif answer == "title":
            self.autosave()
            self.post_message(self.LeaveToTitle())

    # --- watching the story file ----------------------------------------------------------------

    def _check_story_file(self) -> None:
        if self._watch.changed():
            self._reload_story()

    @work(thread=True, exclusive=True, group="watch")
    def _reload_story(self) -> None:
        from game.story import check_file

        story, errors = check_file(self.watch_path)
        self.app.call_from_thread(self._story_reloaded, story, errors)

    async def _story_reloaded(self, story: Story | None, errors: list[StoryError]) -> None:
        """A saved story file: show its problems, or replay the moves so far onto it."""
        await self.apply_story(story, [e for e in errors if e.severity == "error"])

    async def apply_story(self, story: Story | None, errors: list[StoryError]) -> None:
        problems = self.query_one("#watch-problems", StoryProblems)
        self.problems = list(errors)
        if story is None:
            problems.show(errors)
            problems.remove_class("-hidden")
            self.notify("The story file has problems; they are shown at the top. Your place is kept.",
                        severity="warning", timeout=6)
            return
        problems.add_class("-hidden")
        from game.engine import replay

        result = replay(story, self.saves.make("watch", self.game))
        self.game = result.game
        self.notify(result.message or "The story was reloaded; you are where you were.", title="Reloaded",
                    timeout=5)
        if self.game.is_over:
            self.post_message(self.Ended(self.game))
            return
        await self.show_scene(animate=False)
