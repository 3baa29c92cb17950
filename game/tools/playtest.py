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
from difflib import get_close_matches
from pathlib import Path

import yaml

from game.engine import Game, GameError, Option
from game.plain import PlainPlayer
from game.story.model import Story
from game.story.source import Loader

TRUE_WORDS = {"true", "on", "yes", "1"}
FALSE_WORDS = {"false", "off", "no", "0"}
SKIP = "skip"


class PlaytestError(ValueError):
    """A --from, --set or --path that does not fit the story; the message says how to fix it."""


def _suggest(name: str, options) -> str:
    close = get_close_matches(name, list(options), n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def check_scene(story: Story, scene: str | None) -> str | None:
    if scene is not None and scene not in story.scenes:
        raise PlaytestError(f"there is no scene called '{scene}' in {story.id}.{_suggest(scene, story.scenes)}")
    return scene


def parse_sets(items: list[str] | None, story: Story) -> dict[str, int | bool]:
    """`NAME=VALUE` for a meter (a whole number) or a flag (true/false); a bare NAME turns a flag on."""
    overrides: dict[str, int | bool] = {}
    for item in items or []:
        name, has_value, raw = item.partition("=")
        name, raw = name.strip(), raw.strip()
        if name in story.meters:
            if not has_value:
                raise PlaytestError(f"'{name}' is a meter: give it a value, e.g. --set {name}=5")
            try:
                value = int(raw)
            except ValueError:
                raise PlaytestError(f"--set {item}: a meter's value is a whole number") from None
            meter = story.meters[name]
            if not meter.min <= value <= meter.max:
                raise PlaytestError(f"--set {item}: '{name}' goes from {meter.min} to {meter.max}")
            overrides[name] = value
        elif name in story.flags:
            if not has_value:
                overrides[name] = True
            elif raw.lower() in TRUE_WORDS:
                overrides[name] = True
            elif raw.lower() in FALSE_WORDS:
                overrides[name] = False
            else:
                raise PlaytestError(f"--set {item}: a flag is true or false")
        else:
            raise PlaytestError(f"--set {item}: '{name}' is neither a meter nor a flag of {story.id}."
                                f"{_suggest(name, list(story.meters) + list(story.flags))}")
    return overrides


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
                    moves.append(str(step["choose"]))
            return moves
        raise PlaytestError(f"{path} is neither a list of moves nor a playthrough file")
    moves = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().removeprefix("- ").strip()  # a Markdown list works too
        if line:
            moves.append(line)
    return moves


def find_option(game: Game, move: str | int) -> Option:
    """The option a move names: its id, its shown number, or its text (quotes and case aside)."""
    options = game.options()
    text = str(move).strip()
    for option in options:
        if option.id == text:
            return option
    if text.isdigit():
        for option in options:
            if option.number == int(text):
                return option
    wanted = _plain(text)
    for option in options:
        if _plain(option.text) == wanted:
            return option
    shown = "; ".join(f"{o.id} ({_short(o.text)})" for o in options) or "none"
    raise PlaytestError(f"no choice '{_short(text)}' in scene '{game.scene_id}' (choices here: {shown})")


def _plain(text: str) -> str:
    return re.sub(r"[\s\"'“”‘’]+", " ", text).strip().casefold()


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True, slots=True)
class PathResult:
    applied: int
    total: int
    problem: str | None = None


def replay_moves(game: Game, moves: list[str]) -> PathResult:
    """Make the moves in order; stop at the first that does not fit, saying why."""
    for number, move in enumerate(moves):
        try:
            if game.is_over:
                raise PlaytestError("the story has already ended")
            if str(move).strip().lower() == SKIP:
                game.skip()
                continue
            option = find_option(game, move)
            if not option.available:
                raise PlaytestError(f"choice '{option.id}' is locked here ({option.locked_reason})")
            game.choose(option.id)
        except (PlaytestError, GameError) as exc:
            return PathResult(number, len(moves), f"move {number + 1} ('{_short(str(move))}'): {exc}")
    return PathResult(len(moves), len(moves))


# --- the plain player, started anywhere, and watching its file --------------------------------------


def play_plain_playtest(story: Story, args, *, stdin=None, stdout=None) -> int:
    """The plain player with --from/--set/--path/--watch (read with getattr, so any front end's
    arguments work). Bad values raise PlaytestError, for the caller to report as bad usage."""
    import sys

    from game.engine import SaveStore

    out = stdout or sys.stdout
    start = check_scene(story, getattr(args, "from_scene", None))
    overrides = parse_sets(getattr(args, "set", None), story)
    moves = read_path(args.path) if getattr(args, "path", None) else []
    game = Game(story, start=start, overrides=overrides)
    saves = SaveStore(getattr(args, "saves", None))
    notes = []
    if start or overrides:
        state = ", ".join([f"from '{start}'"] * bool(start) + [f"{k}={v}" for k, v in overrides.items()])
        notes.append(f"(Playtest: {state}.)")
    if moves:
        result = replay_moves(game, moves)
        notes.append(f"(Walked {result.applied} of {result.total} moves of the walkthrough.)")
        if result.problem:
            notes.append(f"(Stopped at {result.problem})")
    if getattr(args, "watch", False):
        from game.tools.watch import StoryWatcher

        notes.append(f"(Watching {story.path}: save it to reload, keeping your place.)")
        player = WatchingPlayer(story, saves=saves, stdin=stdin, stdout=out, game=game, notes=notes,
                                watcher=StoryWatcher(story.path))
    else:
        player = PlaytestPlayer(story, saves=saves, stdin=stdin, stdout=out, game=game, notes=notes)
    return player.run()


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
