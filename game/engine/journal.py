"""The journal: the story so far, as the scenes the player read and the moves made from each.

Scene text depends on the state at the time (conditional paragraphs), so each entry is the text
the rules core gives for the state the game was in before that step (`Game.states`): the same
rules, no stored text, nothing replayed.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine import rules
from game.engine.game import Game
from game.engine.state import Step


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One scene as the player read it, and the move made from it (None for where they are now)."""

    scene: str
    paragraphs: tuple[str, ...]
    thought: str | None
    step: Step | None


def journal(game: Game) -> list[JournalEntry]:
    """Every scene visited so far, in order, with its text as it read then."""
    story = game.story
    states = game.states()
    steps: list[Step | None] = [*game.history, None]
    entries = [JournalEntry(state.scene, tuple(rules.paragraphs(story, state)), rules.thought(story, state), step)
               for state, step in zip(states, steps)]
    if game.ending is rules.STEPPED_AWAY:  # stepping away stays in the scene already listed
        entries.pop()
    return entries
