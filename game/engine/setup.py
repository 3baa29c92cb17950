"""How a game is set up to start: `--from SCENE`, `--set NAME=VALUE` and `--path MOVES`, checked
against the story once and applied the same way by every front end (the TUI, the plain player,
classroom mode) and by the tools that start anywhere (explore, recorded playthroughs).

    setup = parse_setup(story, start="dinner", sets=["trust=5", "told_layoff"], moves=["van.1", "skip"])
    game, walked = setup.begin(story)

Every problem is a `SetupError` saying how to fix it, with a did-you-mean for a misspelt meter,
flag or scene. A meter's value outside its range is refused, never clamped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import get_close_matches

from game.engine.errors import GameError
from game.engine.game import Game, Replayed
from game.story.model import Story

TRUE_WORDS = {"true", "on", "yes", "1"}
FALSE_WORDS = {"false", "off", "no", "0"}


class SetupError(ValueError):
    """A --from, --set or --path that does not fit the story; the message says how to fix it."""


def suggest(name: str, options) -> str:
    close = get_close_matches(name, list(options), n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def check_scene(story: Story, scene: str | None) -> str | None:
    if scene is not None and scene not in story.scenes:
        raise SetupError(f"there is no scene called '{scene}' in {story.id}.{suggest(scene, story.scenes)}")
    return scene


def parse_sets(items, story: Story) -> dict[str, int | bool]:
    """`NAME=VALUE` for a meter (a whole number in its range) or a flag (true/false); a bare NAME
    turns a flag on. A mapping (a playthrough file's `set:`) is checked the same way."""
    if isinstance(items, dict):
        items = [name if value is True else f"{name}={str(value).lower()}" for name, value in items.items()]
    overrides: dict[str, int | bool] = {}
    for item in items or []:
        name, has_value, raw = str(item).partition("=")
        name, raw = name.strip(), raw.strip()
        if name in story.meters:
            if not has_value:
                raise SetupError(f"'{name}' is a meter: give it a value, e.g. --set {name}=5")
            try:
                value = int(raw)
            except ValueError:
                raise SetupError(f"--set {item}: a meter's value is a whole number") from None
            meter = story.meters[name]
            if not meter.min <= value <= meter.max:
                raise SetupError(f"--set {item}: '{name}' goes from {meter.min} to {meter.max}")
            overrides[name] = value
        elif name in story.flags:
            if not has_value:
                overrides[name] = True
            elif raw.lower() in TRUE_WORDS:
                overrides[name] = True
            elif raw.lower() in FALSE_WORDS:
                overrides[name] = False
            else:
                raise SetupError(f"--set {item}: a flag is true or false")
        else:
            raise SetupError(f"--set {item}: '{name}' is neither a meter nor a flag of {story.id}."
                             f"{suggest(name, list(story.meters) + list(story.flags))}")
    return overrides


@dataclass(frozen=True)
class PlaySetup:
    """A checked start: the scene, the meters and flags set, and the moves to make first."""

    start: str | None = None
    overrides: dict[str, int | bool] = field(default_factory=dict)
    moves: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.start or self.overrides or self.moves)

    def describe(self) -> str:
        """"from 'dinner', trust=5" (empty when nothing is set)."""
        return ", ".join([f"from '{self.start}'"] * bool(self.start) +
                         [f"{k}={v}" for k, v in self.overrides.items()])

    def begin(self, story: Story) -> tuple[Game, Replayed]:
        """The game, started as set up, with the moves made (`Game.replay`): how far they got."""
        game = Game(story, start=self.start, overrides=self.overrides)
        return game, game.replay(self.moves)


def parse_setup(story: Story, *, start: str | None = None, sets=None, moves=()) -> PlaySetup:
    """Check --from and --set against the story (raises SetupError); moves are checked as they are
    made, by `PlaySetup.begin`."""
    try:
        return PlaySetup(check_scene(story, start), parse_sets(sets, story), tuple(str(m) for m in moves or ()))
    except GameError as exc:  # pragma: no cover - parse_sets checks everything Game would refuse
        raise SetupError(str(exc)) from None
