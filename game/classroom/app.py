"""The Textual game in classroom mode (`understood --classroom NAME`, and every `serve` session).

`ClassroomApp` is the TUI's app with the class's promises added where the flow passes through the
app (its `go` and its Message handlers), so the TUI's own screens stay as they are:

- the content notes always come first, with "Sit this one out" (no reason asked), which leads
  to the debrief questions to read;
- pause and skip stay where the TUI has them (Esc, in every scene);
- nothing is saved on the machine: saves go to a throwaway folder;
- an anonymous summary goes to the class folder at the ending, and when the student quits or the
  session closes (a browser tab closing, the server stopping);
- after the ending, an optional reflection, shared only when "share my reflection" is ticked.

`--projector` (with or without a class): high contrast that is not saved as a setting, and
roomier, bolder text. In a browser the page's font is larger too (see serve.py); in a terminal,
zoom the terminal itself.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from textual.screen import Screen

from game.classroom import copy
from game.classroom.reflection import Reflection
from game.classroom.screens.notes import ClassroomNotesScreen
from game.classroom.session import ClassroomSession, SummaryError
from game.classroom.stopping import on_stop_signals
from game.engine import Game, SaveStore
from game.settings import Settings
from game.tui.app import CONTRAST_THEME, UnderstoodApp
from game.tui.options import AppOptions
from game.tui.screens.content_notes import ContentNotesScreen
from game.tui.stories import scan_stories

PROJECTOR_CSS = """
App.-projector #reading { max-width: 100; }
App.-projector #notes { width: 100; max-width: 100%; }
App.-projector SceneText, App.-projector #notes, App.-projector ChoiceItem { text-style: bold; }
App.-projector ChoiceItem { margin: 0 0 1 0; }
App.-projector InnerVoice { text-style: bold italic; }
"""


def loaded(module: str, name: str) -> type | None:
    """A class from `module` if the module is imported already, else None. Like the TUI, class mode
    imports screens only when they are first shown: a screen on its way to `go()` has been."""
    return getattr(sys.modules.get(module), name, None)


class ClassroomApp(UnderstoodApp):
    CSS = PROJECTOR_CSS

    def __init__(self, options: AppOptions, session: ClassroomSession | None = None):
        self.session = session
        self._scratch: Path | None = None
        if session is not None:
            # Class mode keeps nothing on the machine: saves live in a folder removed at exit.
            self._scratch = Path(tempfile.mkdtemp(prefix="understood-class-"))
            options.saves_dir = str(self._scratch)
        super().__init__(options)
        if session is not None:
            self.saves = SaveStore(self._scratch)
        self.game: Game | None = None  # the game this session is playing or last played
        self.reflections: dict[str, tuple[Reflection, bool]] = {}
        self._kept: dict[str, dict] = {}  # story id -> the summary of its first finished play

    # --- projector --------------------------------------------------------------------------

    def _apply_settings(self, settings: Settings) -> None:
        super()._apply_settings(settings)
        if self.options.projector:
            self.theme = CONTRAST_THEME.name  # shown, never saved as the player's setting
            self.set_class(True, "-high-contrast")
            self.set_class(True, "-projector")

    # --- the flow ---------------------------------------------------------------------------

    async def go(self, screen: Screen) -> None:
        if self.session is not None:
            ending = loaded("game.tui.screens.ending", "EndingScreen")
            if type(screen) is ContentNotesScreen:
                screen = ClassroomNotesScreen(screen.story)
            elif ending is not None and type(screen) is ending:
                from game.classroom.screens.ending import ClassroomEndingScreen

                screen = ClassroomEndingScreen(screen.game, screen.export_dir)
            game = getattr(screen, "game", None)  # the play and ending screens show a game
            if isinstance(game, Game):
                self.follow(game)
                if game.is_over and ending is not None and isinstance(screen, ending):
                    self.keep(game)
        await super().go(screen)

    async def show_title(self) -> None:
        """With a pinned story (`serve --story`), the title offers only that story."""
        pinned = self.options.story if self.session is not None else None
        if not pinned:
            await super().show_title()
            return
        from game.tui.screens.title import TitleScreen

        entries = [e for e in scan_stories(self.story_dirs)
                   if e.story is not None and pinned in (e.story.id, e.path.stem, str(e.path))]
        await self.go(TitleScreen(entries or scan_stories(self.story_dirs), None))

    def follow(self, game: Game) -> None:
        """A new game on screen: the one it replaces is summed up first, if it went anywhere."""
        if self.game is not None and self.game is not game:
            self.write_summary(self.game)
        self.game = game

    async def on_classroom_notes_screen_sit_out(self, message: ClassroomNotesScreen.SitOut) -> None:
        from game.classroom.screens.sat_out import SatOutScreen

        self.write_summary(Game(message.story), opted_out=True)
        await self.go(SatOutScreen(message.story))

    async def on_classroom_ending_screen_reflect(self, message) -> None:
        from game.classroom.screens.reflection import ReflectionScreen

        game = message.game
        reflection, shared = self.reflections.get(game.story.id) or (
            Reflection.for_story(game.story, game.ending.title if game.ending else None), False)
        self.push_screen(ReflectionScreen(reflection, shared), lambda result: self.reflected(game, result))

    def reflected(self, game: Game, result: tuple[Reflection, bool] | None) -> None:
        if result is None:
            return
        reflection, share = result
        story_id = game.story.id
        was_shared = self.reflections.get(story_id, (None, False))[1]
        self.reflections[story_id] = (reflection, share)
        kept = self._kept.get(story_id)
        if kept is None:
            return
        if share and reflection.written:
            kept["reflection"] = reflection.shared_answers()
            if self.write_kept(kept):
                self.notify(copy.SHARED, timeout=6)
            return
        if was_shared and kept.get("reflection"):
            kept["reflection"] = None  # un-ticked: the shared words come out of the summary again
            self.write_kept(kept)
        if reflection.written:
            self.notify(copy.NOT_SHARED, timeout=6)

    def on_delivery_complete(self, event) -> None:
        if getattr(event, "path", None):
            self.notify(f"Kept: {event.path}", title="Saved", timeout=8)

    # --- the summary ------------------------------------------------------------------------

    def keep(self, game: Game) -> None:
        """The first time a story ends in this session, its summary is written and kept: replays and
        rewinds afterwards are the student exploring, and don't change what the class sees."""
        if self.session is None or game.story.id in self._kept:
            return
        data = self.session.summary(game)
        self._kept[game.story.id] = data
        if self.write_kept(data):
            self.notify(copy.FINISHED, timeout=8)

    def write_kept(self, data: dict) -> bool:
        try:
            self.session.write_data(data)
        except SummaryError as exc:
            self.notify(f"{exc} Please tell your facilitator.", severity="warning", timeout=12)
            return False
        return True

    def write_summary(self, game: Game, **options) -> bool:
        """Write this session's summary of an unfinished `game` (or of sitting out), unless the story
        already has a kept, finished one, or the game went nowhere."""
        if self.session is None or game.story.id in self._kept:
            return False
        if not options.get("opted_out") and not game.history:
            return False
        return self.write_kept(self.session.summary(game, **options))

    def finish(self) -> None:
        """The session is closing (quit, tab closed, server stopped): sum up what was played."""
        if self.game is not None:
            self.write_summary(self.game)
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    async def action_quit(self) -> None:
        if self.game is not None:
            self.write_summary(self.game)
        await super().action_quit()


def run_classroom_app(options: AppOptions) -> int:
    session = ClassroomSession(options.classroom, options.classes) if options.classroom else None
    app = ClassroomApp(options, session)
    try:
        with exits_cleanly_on_stop(app):
            app.run()
    finally:
        app.finish()
    return app.return_code or 0


def exits_cleanly_on_stop(app: ClassroomApp):
    """A closed terminal (SIGHUP) or a stop request (SIGTERM) quits the app as Ctrl+Q would, so the
    terminal is restored and the summary of what was played is written (`finish`)."""
    import asyncio

    def stop(number, frame):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise SystemExit(128 + number) from None
        loop.call_soon_threadsafe(app.exit, None, 128 + number)

    return on_stop_signals(stop)
