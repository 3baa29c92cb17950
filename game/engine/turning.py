"""Finding the last choice that changed the ending: the rule behind "play from there".

A step is a turning point when, standing where the player stood, some other open choice can
still lead to an ending other than the one they reached. The search walks the story's states
(scene, meters, flags, scenes visited: everything a condition can read), each at most once, and
stops after `max_states`, so it stays quick even on large stories.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.game import STEPPED_AWAY, Game

STEPPED_AWAY_KEY = "(stepped away)"


@dataclass(frozen=True, slots=True)
class TurningPoint:
    """Where the ending was decided: undo `undo` steps to stand before that choice again."""

    step_index: int
    undo: int
    scene: str
    choice_text: str
    other_endings: tuple[str, ...]  # titles of the endings another choice there can reach


def _ending_key(game: Game) -> str:
    return STEPPED_AWAY_KEY if game.ending is STEPPED_AWAY else game.scene_id


def _state_key(game: Game) -> tuple:
    visited = frozenset(scene for scene, count in game.visits.items() if count)
    return game.scene_id, tuple(sorted(game.meters.items())), game.flags, visited


def _open_choices(game: Game) -> list[str]:
    return [option.id for option in game.options() if option.available]


class _Budget:
    def __init__(self, states: int):
        self.left = states


def _endings_from(probe: Game, seen: set, budget: _Budget) -> set[str]:
    """Endings reachable from where `probe` stands by choices alone; leaves `probe` where it was."""
    if probe.is_over:
        return {_ending_key(probe)}
    key = _state_key(probe)
    if key in seen:
        return set()
    seen.add(key)
    found: set[str] = set()
    stack = [iter(_open_choices(probe))]
    while stack:
        if budget.left <= 0:
            probe.undo(len(stack) - 1)
            break
        ref = next(stack[-1], None)
        if ref is None:
            stack.pop()
            if stack:
                probe.undo(1)
            continue
        probe.choose(ref)
        if probe.is_over:
            found.add(_ending_key(probe))
            probe.undo(1)
            continue
        key = _state_key(probe)
        if key in seen:
            probe.undo(1)
            continue
        seen.add(key)
        budget.left -= 1
        stack.append(iter(_open_choices(probe)))
    return found


def last_turning_point(game: Game, *, max_states: int = 20_000) -> TurningPoint | None:
    """The latest choice from which another open choice leads to a different ending, if any.

    Only finished games have one. Skips are never turning points (they are not choices), and
    the search takes choices only, never skips.
    """
    if not game.is_over:
        return None
    reached = _ending_key(game)
    history = game.history
    probe = Game(game.story, start=game.start_scene, overrides=game.overrides)
    for step in history:
        probe.skip() if step.kind == "skip" else probe.choose(step.choice_id)
    seen: set = set()
    budget = _Budget(max_states)
    for index in range(len(history) - 1, -1, -1):
        probe.undo(1)
        step = history[index]
        if step.kind != "choice":
            continue
        others: set[str] = set()
        for ref in _open_choices(probe):
            if ref == step.choice_id:
                continue
            probe.choose(ref)
            others |= _endings_from(probe, seen, budget)
            probe.undo(1)
        others.discard(reached)
        if others:
            titles = tuple(sorted(_title(game, key) for key in others))
            return TurningPoint(index, len(history) - index, step.scene, step.choice_text or "", titles)
        if budget.left <= 0:
            return None
    return None


def _title(game: Game, key: str) -> str:
    if key == STEPPED_AWAY_KEY:
        return STEPPED_AWAY.title
    ending = game.story.scenes[key].ending
    return ending.title if ending else key
