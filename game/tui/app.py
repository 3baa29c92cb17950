"""The Textual app: which screen comes next, the player's settings, and a calm safety net.

Screens never navigate by themselves: flow screens (title, content notes, play, ending, story
errors) post Messages, and the handlers here decide what comes next. That keeps each screen
small, and lets later modes (classroom, projector) change the flow in one place.
"""

from __future__ import annotations

import asyncio
import threading
import time
import traceback
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Iterable

from rich.text import Text
from textual import constants
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES, Theme

from game.engine import Game, GameError, SaveData, SaveError, SaveStore, replay
from game.settings import DEFAULT_THEME, Settings, config_dir, load_settings, save_settings
from game.story import Story, StoryLoadError, StoryNotFound, default_story_dirs, find_story, load_story
from game.tui import textual_fixes
from game.tui.options import AppOptions
from game.tui.screens.play import PlayScreen

textual_fixes.install()  # the palette's page keys, and the final output guard (textual_fixes.py)

if TYPE_CHECKING:
    from game.tui.screens.calm_error import CalmErrorScreen
    from game.tui.screens.content_notes import ContentNotesScreen
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.story_errors import StoryErrorsScreen
    from game.tui.screens.title import TitleScreen

# Our own calm theme: a dusk slate with warm lamp-light accents; easy on the eyes for a long read.
CALM_THEME = Theme(
    name=DEFAULT_THEME,
    primary="#8DB3C7",
    secondary="#A99BC4",
    accent="#E3B778",
    foreground="#E6E1D8",
    background="#1B1F27",
    surface="#222833",
    panel="#2A3140",
    success="#9CC5A1",
    warning="#E0A36E",
    error="#D98383",
    dark=True,
)

# High contrast: black and white only, nothing dim or tinted. Every colour Textual derives from the
# theme (muted text, shades, cursor, footer, scrollbars) is pinned to one of the two; emphasis is
# bold and reversal, never a colour (tests/test_tui_polish.py checks every pair used).
_WHITE, _BLACK = "#FFFFFF", "#000000"
_SHADED = ("primary", "secondary", "primary-background", "secondary-background", "background", "foreground",
           "panel", "boost", "surface", "warning", "error", "success", "accent")
CONTRAST_THEME = Theme(
    name="understood-high-contrast",
    primary=_WHITE, secondary=_WHITE, accent=_WHITE, foreground=_WHITE,
    background=_BLACK, surface=_BLACK, panel=_BLACK,
    success=_WHITE, warning=_WHITE, error=_WHITE,
    dark=True,
    text_alpha=1.0,
    variables={
        **{f"{name}-{way}-{n}": (_BLACK if name in ("background", "panel", "boost", "surface",
                                                    "primary-background", "secondary-background") else _WHITE)
           for name in _SHADED for way in ("lighten", "darken") for n in (1, 2, 3)},
        **{name: _WHITE for name in (
            "text", "text-muted", "text-disabled", "text-primary", "text-secondary", "text-accent", "text-warning",
            "text-error", "text-success", "foreground-muted", "foreground-disabled", "border", "border-blurred",
            "footer-foreground", "footer-key-foreground", "footer-description-foreground", "button-foreground",
            "block-cursor-background", "block-cursor-blurred-background", "input-cursor-background",
            "input-selection-background", "screen-selection-background", "scrollbar", "scrollbar-hover",
            "scrollbar-active", "link-color", "link-color-hover", "markdown-h1-color", "markdown-h2-color",
            "markdown-h3-color", "markdown-h4-color", "markdown-h5-color", "markdown-h6-color")},
        **{name: _BLACK for name in (
            "primary-background", "secondary-background", "boost", "surface-active", "panel",
            "primary-muted", "secondary-muted", "accent-muted", "warning-muted", "error-muted", "success-muted",
            "background-muted", "footer-background", "footer-key-background", "footer-description-background",
            "footer-item-background", "block-cursor-foreground", "block-cursor-blurred-foreground",
            "block-hover-background", "input-cursor-foreground", "input-selection-foreground",
            "screen-selection-foreground", "button-color-foreground", "scrollbar-background",
            "scrollbar-background-hover", "scrollbar-background-active", "scrollbar-corner-color",
            "link-background-hover")},
        "block-cursor-text-style": "bold", "block-cursor-blurred-text-style": "bold",
    },
)


@cache
def screens() -> SimpleNamespace:
    """The flow screens, imported when first needed: starting straight into a story needs only
    the play screen, and every module left unimported is start-up time saved."""
    from game.tui.screens.calm_error import CalmErrorScreen
    from game.tui.screens.content_notes import ContentNotesScreen
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.story_errors import StoryErrorsScreen
    from game.tui.screens.title import TitleScreen

    return SimpleNamespace(CalmError=CalmErrorScreen, ContentNotes=ContentNotesScreen, Ending=EndingScreen,
                           StoryErrors=StoryErrorsScreen, Title=TitleScreen)


class UnderstoodApp(App[int]):
    CSS_PATH = Path(__file__).with_name("understood.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "Understood"

    def __init__(self, options: AppOptions | None = None):
        super().__init__()
        self.options = options or AppOptions()
        self.saves = SaveStore(self.options.saves_dir)
        self.register_theme(CALM_THEME)
        self.register_theme(CONTRAST_THEME)
        self._motion = constants.TEXTUAL_ANIMATIONS
        if self.options.settings is not None:
            self.settings, self._settings_notice = self.options.settings, None
        else:
            self.settings, self._settings_notice = load_settings(self.options.settings_file)
        self.watch_path: Path | None = None
        self._cli_story_id: str | None = None
        self._calm_error_open = False
        self.farewell: str | None = None  # what a calm closing after an error said
        self._toasts: list[tuple[float, str, str, str]] = []  # (until, message, title, severity)
        self._apply_settings(self.settings)
        # The theme is set before any CSS is read: hand the stylesheet its colours now, so the first
        # screen is styled once, rather than styled in the default theme and then restyled by the
        # refresh Textual queues for the change (refresh_css skips that one; see there).
        self._preset_css_variables: dict[str, str] | None = self.get_css_variables()
        self.stylesheet.set_variables(self._preset_css_variables)

    # --- settings ---------------------------------------------------------------------------

    @property
    def theme_names(self) -> list[str]:
        """Our calm theme first, then Textual's built-in themes."""
        return [DEFAULT_THEME] + [name for name in BUILTIN_THEMES if name in self.available_themes]

    def _apply_settings(self, settings: Settings) -> None:
        if settings.theme not in self.available_themes or settings.theme == CONTRAST_THEME.name:
            settings = settings.updated(theme=DEFAULT_THEME)
        self.settings = settings
        self.theme = CONTRAST_THEME.name if settings.high_contrast else settings.theme
        self.animation_level = "none" if settings.reduced_motion else self._motion
        self.set_class(settings.high_contrast, "-high-contrast")

    def refresh_css(self, animate: bool = True) -> None:
        """Skip the one refresh queued by setting the theme in __init__ if the stylesheet already
        has that theme's variables (it was given them before it was first read); any later
        refresh, or one after the variables changed, runs as usual."""
        preset, self._preset_css_variables = self._preset_css_variables, None
        if preset is not None and preset == self.get_css_variables():
            return
        super().refresh_css(animate)

    def change_settings(self, settings: Settings) -> None:
        """Apply new settings now and keep them for next time."""
        self._apply_settings(settings)
        try:
            save_settings(self.settings, self.options.settings_file)
        except OSError as exc:
            self.notify(f"Your settings apply now but couldn't be saved: {exc.strerror or exc}",
                        severity="warning", timeout=8)

    def _on_theme_changed(self, theme: Theme) -> None:
        """A theme picked from the command palette is remembered like one picked in Settings."""
        if theme.name not in (self.settings.theme, CONTRAST_THEME.name) and not self.settings.high_contrast:
            self.change_settings(self.settings.updated(theme=theme.name))

    def on_settings_screen_changed(self, message) -> None:
        self.change_settings(message.settings)

    # --- notes ------------------------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """On the play screen a note goes to its feedback line: Textual's toasts sit over the
        bottom right of the screen, where the choices are. Elsewhere it is a toast; one still
        showing when the play screen comes back moves to the line (`take_toasts`)."""
        on_our_thread = getattr(self, "_thread_id", None) == threading.get_ident()
        screen = self.screen_stack[-1] if on_our_thread and self.screen_stack else None
        if isinstance(screen, PlayScreen):
            screen.say(message, title=title, severity=severity)
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        if on_our_thread:
            until = time.monotonic() + (self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
            self._toasts.append((until, message, title, severity))

    def take_toasts(self) -> list[tuple[str, str, str]]:
        """The toasts still showing, as (message, title, severity), taken off the screen."""
        now = time.monotonic()
        live = [(message, title, severity) for until, message, title, severity in self._toasts if until > now]
        self._toasts = []
        if live:
            self.clear_notifications()
        return live

    # --- start ------------------------------------------------------------------------------

    async def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        if self._settings_notice:
            self.notify(self._settings_notice, title="Settings", timeout=10)
        options = self.options
        if options.load_slot:
            try:
                save = self.saves.load(options.load_slot)
            except SaveError as exc:
                await self.show_title()
                self.notify(str(exc), severity="warning", timeout=10)
                return
            await self.open_save(save)
        elif options.story:
            await self.open_story(options.story)
        else:
            await self.show_title()

    @property
    def story_dirs(self) -> list[Path]:
        if self.options.only_these_dirs:
            return [Path(d) for d in self.options.story_dirs if Path(d).is_dir()]
        return default_story_dirs(self.options.story_dirs)

    async def open_story(self, ref: str) -> None:
        """A story from the command line: content notes first, or its errors."""
        try:
            path = find_story(ref, self.story_dirs)
        except StoryNotFound as exc:
            await self.show_title()
            self.notify(str(exc), severity="warning", timeout=10)
            return
        if self.options.watch:
            self.watch_path = path
        try:
            story = load_story(path)
        except StoryLoadError as exc:
            await self.go(screens().StoryErrors(path, exc.errors, watch=self.options.watch,
                                            watch_interval=self.options.watch_interval))
            return
        self._cli_story_id = story.id
        await self.go(screens().ContentNotes(story))

    # --- navigation -------------------------------------------------------------------------

    async def go(self, screen: Screen) -> None:
        """Make `screen` the one flow screen, closing any dialogs above the current one."""
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        if len(self.screen_stack) == 2:
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    async def show_title(self) -> None:
        from game.tui.stories import scan_stories

        try:
            latest = self.saves.latest_autosave()
        except OSError:
            latest = None
        await self.go(screens().Title(scan_stories(self.story_dirs), latest))

    def new_game(self, story: Story) -> tuple[Game, str | None]:
        """A fresh game; the command line's --from/--set/--path (a checked `PlaySetup`) apply to
        the story it opened, exactly as in the plain player."""
        from game.engine.setup import PlaySetup

        options = self.options
        setup = PlaySetup(options.start, dict(options.overrides), tuple(options.moves))
        if story.id != self._cli_story_id or not setup.active:
            return Game(story), None
        try:
            game, walked = setup.begin(story)
        except GameError as exc:
            return Game(story), f"{exc}; starting from the beginning instead."
        if not walked.complete:
            return game, f"The path stopped at move {walked.applied + 1} ({setup.moves[walked.applied]}): {walked.error}"
        return game, None

    def play_screen(self, game: Game, notice: str | None = None, *, typed: bool = True) -> PlayScreen:
        """`typed`: a new game's first scene types out; a save or a rewind shows it at once."""
        watch = self.watch_path
        if watch is not None and Path(game.story.path).resolve() != watch.resolve():
            watch = None
        return PlayScreen(game, self.saves, notice=notice, watch_path=watch,
                          watch_interval=self.options.watch_interval, typed=typed)

    async def start_game(self, story: Story) -> None:
        game, notice = self.new_game(story)
        await self.go(self.play_screen(game, notice))

    async def open_save(self, save: SaveData) -> None:
        """Play on from a save, replaying its moves onto the story as it is now."""
        try:
            story = load_story(find_story(save.story_id, self.story_dirs))
        except StoryNotFound:
            self.notify(f"The story of this save ({save.story_title}) isn't in your stories folder.",
                        severity="warning", timeout=10)
            return
        except StoryLoadError as exc:
            await self.go(screens().StoryErrors(exc.errors[0].path, exc.errors))
            return
        result = replay(story, save)
        if result.game.is_over:
            await self.go(screens().Ending(result.game, self.saves.directory))
        else:
            await self.go(self.play_screen(result.game, result.message or None, typed=False))

    @property
    def current_game(self) -> Game | None:
        """The game on screen: the play or ending screen's, or one a dialog above it shows."""
        for screen in reversed(self.screen_stack):
            game = getattr(screen, "game", None)
            if isinstance(game, Game):
                return game
        return None

    def autosave(self) -> SaveData | None:
        game = self.current_game
        if game is None:
            return None
        try:
            return self.saves.autosave(game)
        except SaveError:
            return None

    # Messages from the flow screens.

    async def on_title_screen_story_chosen(self, message: TitleScreen.StoryChosen) -> None:
        entry = message.entry
        if entry.story is None:
            await self.go(screens().StoryErrors(entry.path, entry.errors))
        else:
            await self.go(screens().ContentNotes(entry.story))

    async def on_title_screen_save_chosen(self, message: TitleScreen.SaveChosen) -> None:
        await self.open_save(message.save)

    async def on_play_screen_save_chosen(self, message: PlayScreen.SaveChosen) -> None:
        await self.open_save(message.save)

    async def on_content_notes_screen_begin(self, message: ContentNotesScreen.Begin) -> None:
        await self.start_game(message.story)

    async def on_content_notes_screen_choose_another(self) -> None:
        await self.show_title()

    async def on_play_screen_ended(self, message: PlayScreen.Ended) -> None:
        await self.go(screens().Ending(message.game, self.saves.directory))

    async def on_play_screen_leave_to_title(self) -> None:
        await self.show_title()

    async def on_ending_screen_play_again(self, message: EndingScreen.PlayAgain) -> None:
        await self.start_game(message.game.story)

    async def on_ending_screen_rewind(self, message: EndingScreen.Rewind) -> None:
        game, point = message.game, message.point
        game.undo(point.undo)
        await self.go(self.play_screen(game, point.rewind_notice(), typed=False))
        self.autosave()

    async def on_ending_screen_leave_to_title(self) -> None:
        await self.show_title()

    async def on_story_errors_screen_leave_to_title(self) -> None:
        await self.show_title()

    async def on_story_errors_screen_fixed(self, message: StoryErrorsScreen.Fixed) -> None:
        self._cli_story_id = message.story.id
        await self.go(screens().ContentNotes(message.story))

    # --- dialogs and commands -----------------------------------------------------------------

    def action_settings(self) -> None:
        from game.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen(self.settings, self.theme_names))

    def action_support(self) -> None:
        from game.tui.screens.support import SupportScreen

        self.push_screen(SupportScreen())

    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def action_title(self) -> None:
        self.autosave()
        await self.show_title()

    async def action_quit(self) -> None:
        """Quit from anywhere; a story in progress is autosaved first."""
        game = self.current_game
        if game is not None and not game.is_over:
            self.autosave()
        self.exit(0)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand("Settings", "Theme, text speed, reduced motion, high contrast", self.action_settings)
        yield SystemCommand("Support lines", "Free, confidential people to talk to", self.action_support)
        yield SystemCommand("Help", "Keys, and the plain player for screen readers", self.action_help)
        if not isinstance(screen, screens().Title):
            yield SystemCommand("Title", "Back to the title screen (your place is saved)", self.action_title)
        yield from super().get_system_commands(screen)

    # --- the safety net -----------------------------------------------------------------------

    # Private Textual API, unavoidable: App._handle_exception is where every error raised in a
    # message handler lands, and Textual has no public hook for it (its own handler prints the
    # traceback and exits). Kept to the one override; the attributes it sets below are those its
    # own version sets (_return_code, _exit_renderables, _close_messages_no_wait), because the
    # public App.exit() posts a message to the very loop that just failed.
    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: autosave, keep the details in a file, and say so calmly.

        Textual stops a widget's message loop when its handler raises. If a screen's own loop
        failed, the app lives on: a calm screen offers the title. If the app's loop failed (key
        bindings run there), the app has to close: it prints a calm note instead of a traceback.
        """
        if not self.options.calm_errors or self._calm_error_open or not self.is_running:
            super()._handle_exception(error)
            return
        try:
            saved = self.autosave()
            log_path = _write_error_log(error)
            failing = self._failing_node()
            if failing is None:
                self.farewell = _farewell(saved, log_path)
                self._return_code = 1
                self._exit_renderables.append(Text(self.farewell))
                self._close_messages_no_wait()
                return
            self._calm_error_open = True
            summary = f"{type(error).__name__}: {error}"[:300]
            # No result callback: it would run on the failed screen's stopped loop. The calm screen
            # posts its answer to the app instead.
            self.push_screen(screens().CalmError(summary, saved.slot if saved else None, log_path))
        except Exception:  # the safety net itself failed: fall back to Textual's own report
            super()._handle_exception(error)

    def _failing_node(self):
        """The screen or widget whose message loop is running this code, if any (else the app's)."""
        task = asyncio.current_task()
        for screen in self.screen_stack:
            for node in screen.walk_children(with_self=True):
                # Private: a node's message-loop task (Textual exposes no public way to tell
                # which node's loop raised); getattr keeps this safe if it is renamed.
                if getattr(node, "_task", None) is task:
                    return node
        return None

    async def on_calm_error_screen_chosen(self, message: CalmErrorScreen.Chosen) -> None:
        self._calm_error_open = False
        if message.answer == "quit":
            self.exit(1)
        else:
            await self.show_title()


def _farewell(saved: SaveData | None, log_path: str | None) -> str:
    lines = ["Something went wrong on our side, and Understood had to close. Nothing you did caused it."]
    if saved is not None:
        lines.append(f"Your place is saved ({saved.slot}): run  understood  and press c to continue.")
    if log_path:
        lines.append(f"The details are in {log_path}, if you'd like to report it.")
    return "\n".join(lines)


def _write_error_log(error: Exception) -> str | None:
    try:
        path = config_dir() / "last-error.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
        return str(path)
    except OSError:
        return None


def run_app(options: AppOptions) -> int:
    app = UnderstoodApp(options)
    app.run()
    return app.return_code or 0
