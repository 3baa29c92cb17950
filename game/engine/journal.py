"""The journal: the story so far, as the scenes the player read and the moves made from each.

Scene text depends on the state at the time (conditional paragraphs), so the journal is rebuilt
by replaying the game's recorded moves on a fresh playthrough: the same rules, no stored text.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.game import STEPPED_AWAY, Game
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
    replica = Game(game.story, start=game.start_scene, overrides=game.overrides)
    entries: list[JournalEntry] = []
    for step in game.history:
        entries.append(JournalEntry(replica.scene_id, tuple(replica.paragraphs()), replica.thought, step))
        if step.kind == "skip":
            replica.skip()
        else:
            replica.choose(step.choice_id)
    if game.ending is not STEPPED_AWAY:  # stepping away stays in the scene already listed
        entries.append(JournalEntry(replica.scene_id, tuple(replica.paragraphs()), replica.thought, None))
    return entries
