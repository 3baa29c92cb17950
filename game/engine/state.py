"""What a playthrough leaves behind: snapshots of its state, and the steps that led there.

The state itself is `rules.State`; these are the forms other parts keep (undo checks, saves).
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.rules import State


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An immutable, hashable copy of a playthrough's state (for comparisons and saves)."""

    scene: str
    meters: tuple[tuple[str, int], ...]
    flags: frozenset[str]
    visits: tuple[tuple[str, int], ...]
    remembered: tuple[str, ...]

    @classmethod
    def of(cls, state: State) -> "Snapshot":
        return cls(state.scene, tuple(state.meters.items()), state.flags, tuple(sorted(state.visits.items())),
                   state.remembered)

    def to_dict(self) -> dict:
        return {"scene": self.scene, "meters": dict(self.meters), "flags": sorted(self.flags),
                "visits": dict(self.visits), "remembered": list(self.remembered)}


@dataclass(frozen=True, slots=True)
class LockedChoice:
    """A choice the player saw but could not take, and why."""

    scene: str
    choice_id: str
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Step:
    """One move through the story: a choice taken, or a scene skipped."""

    kind: str  # "choice" | "skip"
    scene: str
    to_scene: str
    choice_id: str | None
    choice_text: str | None
    tags: tuple[str, ...]
    meters_after: tuple[tuple[str, int], ...]
    remembered: str | None
    locked: tuple[LockedChoice, ...]

    def record(self) -> dict:
        """The form saves keep: enough to replay the step on a later version of the story."""
        if self.kind == "skip":
            return {"skip": self.scene}
        return {"choice": self.choice_id}
