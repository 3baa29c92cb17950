"""Starting a story anywhere, with any state, and replaying walkthroughs: for playtesting a branch.

    overrides = parse_sets(["trust=5", "told_layoff"], story)   # --set
    moves = read_path("van.1,tailgate.2")                       # --path, or a file
    game = Game(story, start="dinner", overrides=overrides)
    replay_moves(game, moves)
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

from game.engine import ChoiceLocked, Game, GameError, GameOver, NoSuchChoice, Option
from game.engine.setup import PlaySetup, SetupError, check_scene, parse_sets, suggest  # noqa: F401 (re-exported)
from game.plain import PlainPlayer
from game.story.model import Story
from game.story.source import Loader

SKIP = "skip"

# One play setup for every front end and tool (game/engine/setup.py); the names stay here too.
PlaytestError = SetupError
_suggest = suggest


MAX_WALKTHROUGH_BYTES = 1024 * 1024


def read_path(spec: str) -> list[str]:
    """The moves of a walkthrough: a file (one move a line, a YAML list, or a playthrough file) or a
    comma-separated list. A move is a choice id, its text, its number, or `skip`."""
    path = Path(spec)
    if path.is_file():
        return _moves_from_file(path)
    if re.search(r"\.(ya?ml|txt|walk)$", spec):
        raise PlaytestError(f"no walkthrough file at {spec}")
    return [m.strip() for m in spec.split(",") if m.strip()]


def _moves_from_file(path: Path) -> list[str]:
    from game.safe_files import read_limited

    try:
        text = read_limited(path, MAX_WALKTHROUGH_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaytestError(f"cannot read {path}: {exc}") from None
    if path.suffix in (".yaml", ".yml"):
        try:
            data = yaml.load(text, Loader=Loader)
        except yaml.YAMLError as exc:
            raise PlaytestError(f"{path} is not valid YAML: {exc}") from None
        if isinstance(data, list):
            return [str(m) for m in data]
        if isinstance(data, dict) and isinstance(data.get("steps"), list):
            moves = []
            for step in data["steps"]:
                if step == SKIP or (isinstance(step, dict) and SKIP in step):
                    moves.append(SKIP)
                elif isinstance(step, dict) and "choose" in step:
                    choice = step["choose"]
                    if isinstance(choice, dict):  # {id, text}: the text, which survives choices moving
                        choice = choice.get("text", choice.get("id"))
                    moves.append(str(choice))
            return moves
        raise PlaytestError(f"{path} is neither a list of moves nor a playthrough file")
    moves = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().removeprefix("- ").strip()  # a Markdown list works too
        if line:
            moves.append(line)
    return moves


def find_option(game: Game, move: str | int) -> Option:
    """The option a move names (its id, its shown number, or its text: `Game.find_option`), with a
    message for the writer that lists the choices here when there is none."""
    try:
        return game.find_option(str(move).strip())
    except NoSuchChoice:
        shown = "; ".join(f"{o.id} ({_short(o.text)})" for o in game.options()) or "none"
        raise PlaytestError(f"no choice '{_short(str(move))}' in scene '{game.scene_id}' (choices here: {shown})") \
            from None


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True, slots=True)
class PathResult:
    applied: int
    total: int
    problem: str | None = None


def replay_moves(game: Game, moves: list[str]) -> PathResult:
    """Make the moves in order (`Game.replay`); stop at the first that does not fit, saying why."""
    done = game.replay(moves)
    if done.complete:
        return PathResult(done.applied, done.total)
    return PathResult(done.applied, done.total,
                      f"move {done.applied + 1} ('{_short(str(moves[done.applied]))}'): {why(game, moves[done.applied], done.error)}")


def why(game: Game, move: object, error: GameError) -> str:
    """A refused move, explained for the writer (the player's wording names no ids)."""
    if isinstance(error, GameOver):
        return "the story has already ended"
    if isinstance(error, ChoiceLocked):
        return f"choice '{error.option.id}' is locked here ({error.option.locked_reason})"
    if isinstance(error, NoSuchChoice) and not (isinstance(move, str) and move.strip().lower() == SKIP):
        try:
            find_option(game, move)
        except PlaytestError as exc:
            return str(exc)
    return str(error)


# --- the plain player, started anywhere, and watching its file --------------------------------------


def play_plain_playtest(story: Story, setup: PlaySetup, args, *, stdin=None, stdout=None) -> int:
    """The plain player started as `setup` says, with --watch read from `args` (with getattr, so
    any front end's arguments work)."""
    import sys

    from game.engine import SaveStore

    out = stdout or sys.stdout
    game, notes = begin_noted(story, setup)
    saves = SaveStore(getattr(args, "saves", None))
    if getattr(args, "watch", False):
        from game.tools.watch import StoryWatcher

        notes.append(f"(Watching {story.path}: save it to reload, keeping your place.)")
        player = WatchingPlayer(story, saves=saves, stdin=stdin, stdout=out, game=game, notes=notes,
                                watcher=StoryWatcher(story.path))
    else:
        player = PlaytestPlayer(story, saves=saves, stdin=stdin, stdout=out, game=game, notes=notes)
    return player.run()


def begin_noted(story: Story, setup: PlaySetup) -> tuple[Game, list[str]]:
    """The game `setup` starts, and the lines that tell a writer how it began."""
    game, walked = setup.begin(story)
    notes = []
    if setup.start or setup.overrides:
        notes.append(f"(Playtest: {setup.describe()}.)")
    if setup.moves:
        notes.append(f"(Walked {walked.applied} of {walked.total} moves of the walkthrough.)")
        if not walked.complete:
            move = setup.moves[walked.applied]
            notes.append(f"(Stopped at move {walked.applied + 1} ('{_short(move)}'): {why(game, move, walked.error)})")
    return game, notes


class PlaytestPlayer(PlainPlayer):
    """The plain player, with a few lines after the title about how this playtest began."""

    def __init__(self, *args, notes: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes = list(notes or [])

    def intro(self) -> None:
        super().intro()
        for note in self.notes:
            self.say(note)


class WatchingPlayer(PlaytestPlayer):
    """The plain player, reloading the story whenever its file is saved (`play --watch`).

    A background thread polls the file; a reload and a line of input never run at once. When the
    new version has errors they are shown, and play goes on with the last version that loaded.
    """

    def __init__(self, *args, watcher, interval: float = 0.5, **kwargs):
        super().__init__(*args, **kwargs)
        self.watcher = watcher
        self.interval = interval
        self._lock = threading.RLock()

    def handle(self, line: str) -> bool:
        with self._lock:
            return super().handle(line)

    def check_reload(self) -> bool:
        """Reload if the file changed; True when it did (whether or not the new version loaded)."""
        if not self.watcher.changed():
            return False
        with self._lock:
            result = self.watcher.reload(self.game)
            self.say()
            if result.ok:
                self.story = result.story
                self.game = result.game
                self.say(f"({result.message})")
                self.show_scene()
            else:
                self.say(f"({result.message} Fix these and save again:)")
                for error in result.errors:
                    self.say(error.format())
            if not self.game.is_over:
                count = len(self.game.options())
                self.out.write(f"Choose 1-{count} (or help): " if count else "> ")
                self.out.flush()
        return True

    def _watch(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval):
            try:
                self.check_reload()
            except Exception as exc:  # noqa: BLE001 - a watcher must never take the game down
                self.say(f"(Could not reload the story: {exc})")

    def run(self) -> int:
        stop = threading.Event()
        thread = threading.Thread(target=self._watch, args=(stop,), name="story-watch", daemon=True)
        thread.start()
        try:
            return super().run()
        finally:
            stop.set()
