"""The play screen, the heart of the game: scene text, the inner voice, choices and meters."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable

from textual import events, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from game.engine import ChoiceLocked, Game, GameError, NoSuchChoice, Outcome, SaveData, SaveError, SaveStore
from game.story import Story, StoryError
from game.tui.watch import FileWatch
from game.tui.widgets.choice_item import ChoiceItem
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.feedback_line import FeedbackLine
from game.tui.widgets.inner_voice import InnerVoice
from game.tui.widgets.key_footer import KeyFooter
from game.tui.widgets.meter_panel import MeterPanel
from game.tui.widgets.reading_column import ReadingColumn
from game.tui.widgets.scene_scroll import SceneScroll
from game.tui.widgets.scene_text import SceneText
from game.tui.widgets.story_bar import StoryBar
from game.tui.widgets.story_problems import StoryProblems
from game.tui.widgets.typed_text import TypedText

# Below this many columns the meters collapse to one line: beside the text they would squeeze
# it under 60 characters a line (the meters take 26 columns, the reading column at most 74).
NARROW = 90
MORE_CUE = "▼ more — PgDn"  # under a scene's text while some of it is below the fold
# After a key cut the typing short, the choices have just appeared: a choice key this soon after
# is the same burst of keys (a double press, a held key), not a choice made having seen them.
CHOICE_GRACE = 0.3


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
                 watch_path: Path | None = None, watch_interval: float = 0.5, typed: bool = True):
        """`typed`: the first scene types out (at the player's text speed); a loaded save or a
        rewind shows it at once, as undo does."""
        super().__init__()
        self.game = game
        self.saves = saves
        self.notice = notice
        self.watch_path = watch_path
        self.watch_interval = watch_interval
        self.typed = typed
        self._watch: FileWatch | None = None
        self.problems: list[StoryError] = []
        self.said: list[str] = []  # the message of every note the feedback line has shown, oldest first
        self._cut_short_at = float("-inf")  # when a key last finished the typing

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """The first scene is composed in place (later ones are swapped in by `show_scene`), so
        the screen is laid out and styled once before it is first drawn."""
        game = self.game
        narrow = self.app.size.width < NARROW
        self.set_class(narrow, "-narrow")
        with Vertical(id="play-top"):
            yield StoryBar(id="story-bar")
            if self.watch_path is not None:  # a story file's problems show only while it is watched
                yield StoryProblems(id="watch-problems", classes="-hidden")
        meters = game.visible_meters()
        with Container(id="reading-area"):
            with Container(id="stage", classes="" if meters else "-bare"):
                yield MeterPanel(meters, line=narrow, id="meters")
                with ReadingColumn(id="reading"):
                    with SceneScroll(id="scene-scroll"):
                        yield SceneText(id="scene-text")
                        yield InnerVoice(id="inner-voice")
                    yield Static(id="more-cue")
                    yield FeedbackLine(id="feedback")
                    yield ChoiceList(self._choices(), id="choices")
        yield KeyFooter()

    def _choices(self) -> list[tuple[int, str, str | None, bool]]:
        return [(o.number, o.text, o.locked_reason, o.available) for o in self.game.options()]

    async def on_mount(self) -> None:
        self.watch(self.query_one(SceneScroll), "virtual_size", self._text_grew, init=False)
        self._show_text(typed=self.typed)
        if self.notice:
            self.say(self.notice, title="Note")
        if self.watch_path is not None:
            self._watch = FileWatch(self.watch_path)
            self.set_interval(self.watch_interval, self._check_story_file)

    def on_screen_resume(self) -> None:
        """Toasts raised while a dialog was over this screen would stay over the choices: their
        notes move to the feedback line."""
        take = getattr(self.app, "take_toasts", None)
        for message, title, severity in (take() if take else []):
            self.say(message, title=title, severity=severity)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _text_grew(self) -> None:
        """While the text types out below the fold, follow it."""
        scroll = self.query_one(SceneScroll)
        if self.revealing and scroll.max_scroll_y > scroll.scroll_y:
            scroll.scroll_end(animate=False, immediate=True)

    def on_scene_scroll_more_below(self, event: SceneScroll.MoreBelow) -> None:
        """"▼ more — PgDn" under the text while some of it is out of sight below; gone at the
        bottom. The cue's row is there either way (it is the gap above the choices), so the
        choices never move when it comes and goes."""
        cue = self.query_one("#more-cue", Static)
        cue.set_class(event.more, "-more")
        cue.update(MORE_CUE if event.more else "")

    @property
    def more_below(self) -> bool:
        """The cue is showing: some of the scene's text is below the fold."""
        return self.query_one("#more-cue").has_class("-more")

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        self.query_one(MeterPanel).line = narrow

    @property
    def scene_text(self) -> SceneText:
        return self.query_one(SceneText)

    @property
    def inner_voice(self) -> InnerVoice:
        return self.query_one(InnerVoice)

    @property
    def choice_list(self) -> ChoiceList:
        return self.query_one(ChoiceList)

    @property
    def feedback(self) -> FeedbackLine:
        return self.query_one(FeedbackLine)

    @property
    def revealing(self) -> bool:
        """The scene's text or its inner voice is still typing out."""
        return self.scene_text.revealing or self.inner_voice.revealing

    async def show_scene(self, *, animate: bool = True, typed: bool = True) -> None:
        """Show where the game stands now: choices, meters, the text and inner voice (typed out
        when `typed` and the player's text speed say so; at once after undo or a reload). All of
        it changes in one batch, so the next frame shows the whole new scene (never new choices
        under the old text)."""
        animate = animate and not self.app.settings.reduced_motion
        meters = self.game.visible_meters()
        with self.app.batch_update():
            rows = self.choice_list.set_choices(self._choices())
            self.query_one(MeterPanel).show(meters, animate=animate)
            self.query_one("#stage").set_class(not meters, "-bare")
            self.query_one(SceneScroll).scroll_home(animate=False, immediate=True)
            self._show_text(typed=typed)
        if rows is not None:
            await rows
            self.choice_list.focus_first()

    def _show_text(self, *, typed: bool) -> None:
        game = self.game
        story = game.story
        self.query_one(StoryBar).show(story.title, story.perspective,
                                      "watching for changes" if self.watch_path else "")
        speed = self.app.settings.chars_per_second if typed else 0
        self.inner_voice.show(game.thought, speed)  # with a speed, it waits for the narration
        self.scene_text.show(game.paragraphs(), speed)
        self.choice_list.set_class(self.revealing, "-waiting")
        self.choice_list.focus_first()

    def action_scroll_text(self, direction: int) -> None:
        """Long scenes scroll above the choices; the arrows stay with the choices."""
        scroll = self.query_one("#scene-scroll", SceneScroll)
        scroll.scroll_page_down() if direction > 0 else scroll.scroll_page_up()

    def on_typed_text_typed(self, event: TypedText.Typed) -> None:
        """The narration is typed: the inner voice types next. Both typed: the choices appear."""
        event.stop()
        if not self.scene_text.revealing:
            self.inner_voice.begin_typing()
        if not self.revealing:
            self._show_choices()

    def _show_choices(self) -> None:
        """The choices appear, with one of them focused (focus can't rest on them while hidden)."""
        choices = self.choice_list
        choices.remove_class("-waiting")
        if self.focused not in choices.items:
            choices.focus_first()

    def finish_typing(self) -> None:
        """Show the rest of the scene (text and inner voice) and its choices at once."""
        self._cut_short_at = time.monotonic()
        self.scene_text.complete()
        self.inner_voice.complete()
        self._show_choices()

    def _too_soon_to_choose(self) -> bool:
        """The typing is still going, or a key has only just finished it (see CHOICE_GRACE)."""
        if self.revealing:
            self.finish_typing()
            return True
        return time.monotonic() - self._cut_short_at < CHOICE_GRACE

    # --- keys ---------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """While text is typing out, any key shows the rest at once (and does nothing else)."""
        if self.revealing:
            event.stop()
            event.prevent_default()
            self.finish_typing()

    def on_click(self) -> None:
        if self.revealing:
            self.finish_typing()

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

    # --- feedback -------------------------------------------------------------------------------

    def say(self, message: str, *, title: str = "", severity: str = "information", passing: bool = False) -> None:
        """A note on the feedback line between the scene and its choices (never a toast: those
        sit over the choices). `passing`: about a key that changed nothing."""
        feedback = self.feedback
        feedback.say(message, title=title, severity=severity, passing=passing)
        self.said.append(feedback.notes[-1].message)

    def _new_move(self) -> None:
        """A move clears the notes about the last one."""
        self.feedback.clear()

    # --- moves ----------------------------------------------------------------------------------

    async def on_choice_item_picked(self, event: ChoiceItem.Picked) -> None:
        event.stop()
        await self.action_choose(event.number)

    async def action_choose(self, number: int) -> None:
        game = self.game
        if game.is_over or self._too_soon_to_choose():
            return
        try:
            outcome = game.choose(number)
        except ChoiceLocked:
            self._explain_locked(number)
            return
        except NoSuchChoice:
            count = len(game.options())
            self.say(f"There {'is' if count == 1 else 'are'} only {count} choice{'s' * (count != 1)} here.",
                     passing=True)
            return
        except GameError as exc:
            self.say(str(exc), passing=True)
            return
        self._new_move()
        await self._after_move(outcome)

    def _explain_locked(self, number: int) -> None:
        """Gently point to why a locked choice can't be taken (its reason is under it already);
        nothing in the game changes."""
        for item in self.choice_list.items:
            if item.number == number:
                item.focus()
                item.point_to_reason()
        self.say(f"the note under choice {number} says why.", title="Not yet", passing=True)

    async def _after_move(self, outcome: Outcome) -> None:
        if outcome.remembered:
            self.say(outcome.remembered, title="Remembered")
        if outcome.ended:
            self.autosave()
            self.post_message(self.Ended(self.game))
            return
        await self.show_scene()
        self.call_after_refresh(self.autosave)  # once the new scene is drawn: the player waits less

    def autosave(self) -> SaveData | None:
        try:
            return self.saves.autosave(self.game)
        except SaveError as exc:
            self.say(f"Couldn't autosave: {exc}", severity="warning")
            return None

    async def action_undo(self) -> None:
        if not self.game.undo():
            self.say("There is nothing to undo yet.", passing=True)
            return
        self._new_move()
        self.autosave()
        await self.show_scene(typed=False)
        self.say("You take that back.")

    async def action_skip(self) -> None:
        if self.game.is_over:
            return
        from game.engine.skipping import skip_words

        words = skip_words(self.game.story, self.game.scene)
        outcome = self.game.skip()
        self._new_move()
        self.say(words.done)
        await self._after_move(outcome)

    # --- other screens --------------------------------------------------------------------------

    def action_journal(self) -> None:
        from game.tui.screens.journal import JournalScreen

        self.app.push_screen(JournalScreen(self.game, self.saves.directory))

    def action_save(self) -> None:
        from game.tui.screens.saves import SavesScreen

        def saved(slot: str | None) -> None:
            if slot:
                self.say(f"Saved as '{slot}'.")

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
        found = self.query("#watch-problems").results(StoryProblems)
        problems = next(found, None)
        self.problems = list(errors)
        if story is None:
            if problems is None:
                problems = StoryProblems(id="watch-problems")
                await self.query_one("#play-top").mount(problems)
            problems.show(errors)
            problems.remove_class("-hidden")
            self.say("The story file has problems; they are shown at the top. Your place is kept.",
                     severity="warning", passing=True)
            return
        if problems is not None:
            problems.add_class("-hidden")
        from game.engine import replay

        result = replay(story, self.saves.make("watch", self.game))
        self.game = result.game
        self._new_move()
        self.say(result.message or "The story was reloaded; you are where you were.", title="Reloaded")
        if self.game.is_over:
            self.post_message(self.Ended(self.game))
            return
        await self.show_scene(animate=False, typed=False)
