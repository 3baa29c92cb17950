"""Finding the last choice that changed the ending: the rule behind "play from there".

A step is a turning point when, standing where the player stood, some other open choice can
still lead to an ending other than the one they reached. The search walks the story's states
(scene, meters, flags, scenes visited: everything a condition can read), each at most once, and
stops after `max_states`, so it stays quick even on large stories.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine import rules
from game.engine.game import STEPPED_AWAY, Game
from game.engine.rules import State
from game.story.model import Story

STEPPED_AWAY_KEY = "(stepped away)"


@dataclass(frozen=True, slots=True)
class TurningPoint:
    """Where the ending was decided: undo `undo` steps to stand before that choice again."""

    step_index: int
    undo: int
    scene: str
    choice_text: str
    other_endings: tuple[str, ...]  # titles of the endings another choice there can reach: for tests
    # and tools only; never shown to a player, who has not reached them (see the wording below)

    def other_ways(self) -> str:
        """How the story could end instead, without naming an ending: "another way", "in 2 other ways"."""
        count = len(self.other_endings)
        return "another way" if count == 1 else f"in {count} other ways"

    # Each line ends on the quoted choice: choices end with their own punctuation.
    def ending_line(self) -> str:
        """The ending screen's line about the choice that decided this ending."""
        return f"From one choice along the way, the story can end {self.other_ways()}: “{self.choice_text}”"

    def rewind_notice(self) -> str:
        """What a player is told on going back to stand before that choice again."""
        return f"You're back before the choice that changed the ending. From here, the story can end {self.other_ways()}: “{self.choice_text}”"


def _ending_key(state: State) -> str:
    return STEPPED_AWAY_KEY if state.stepped_away else state.scene


def _state_key(state: State) -> tuple:
    visited = frozenset(scene for scene, count in state.visits.items() if count)
    return state.scene, tuple(sorted(state.meters.items())), state.flags, visited


class _Budget:
    def __init__(self, states: int):
        self.left = states


def _endings_from(story: Story, first: State, seen: set, budget: _Budget) -> set[str]:
    """Endings reachable from `first` by choices alone (a depth-first walk of the rules core)."""
    if rules.is_over(story, first):
        return {_ending_key(first)}
    key = _state_key(first)
    if key in seen:
        return set()
    seen.add(key)
    found: set[str] = set()
    stack = [first]
    while stack:
        state = stack.pop()
        for choice in rules.open_choices(story, state):
            if budget.left <= 0:
                return found
            after = rules.choose(story, state, choice)
            if rules.is_over(story, after):
                found.add(_ending_key(after))
                continue
            key = _state_key(after)
            if key in seen:
                continue
            seen.add(key)
            budget.left -= 1
            stack.append(after)
    return found


def last_turning_point(game: Game, *, max_states: int = 20_000) -> TurningPoint | None:
    """The latest choice from which another open choice leads to a different ending, if any.

    Only finished games have one. Skips are never turning points (they are not choices), and
    the search takes choices only, never skips.
    """
    if not game.is_over:
        return None
    story = game.story
    states = game.states()
    reached = _ending_key(states[-1])
    history = game.history
    seen: set = set()
    budget = _Budget(max_states)
    for index in range(len(history) - 1, -1, -1):
        step = history[index]
        if step.kind != "choice":
            continue
        here = states[index]
        others: set[str] = set()
        for choice in rules.open_choices(story, here):
            if choice.id == step.choice_id:
                continue
            others |= _endings_from(story, rules.choose(story, here, choice), seen, budget)
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
