"""Game state: what a playthrough holds at one moment, and the steps that led there."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.story.model import Effects, Story


@dataclass(slots=True)
class Playthrough:
    """The mutable model that the story's state machine moves: one per game.

    `state` is the current scene's id (the attribute name `transitions` uses).
    """

    state: str
    meters: dict[str, int]
    flags: set[str]
    visits: dict[str, int]
    remembered: list[str] = field(default_factory=list)
    skipping: bool = False
    after_effects: dict[str, int] | None = None  # meters after a choice's effects, before on_enter

    @classmethod
    def begin(cls, story: Story, scene: str | None = None) -> "Playthrough":
        return cls(scene or story.start, {m.name: m.start for m in story.meters.values()}, set(), {})

    def apply(self, effects: Effects, story: Story, *, meters: bool = True) -> None:
        if meters:
            for change in effects.meters:
                meter = story.meters[change.meter]
                self.meters[change.meter] = meter.clamp(change.apply(self.meters[change.meter]))
        self.flags.update(effects.set)
        self.flags.difference_update(effects.clear)

    def snapshot(self) -> "Snapshot":
        return Snapshot(self.state, tuple(self.meters.items()), frozenset(self.flags),
                        tuple(sorted(self.visits.items())), tuple(self.remembered))

    def restore(self, snap: "Snapshot") -> None:
        self.state = snap.scene
        self.meters = dict(snap.meters)
        self.flags = set(snap.flags)
        self.visits = dict(snap.visits)
        self.remembered = list(snap.remembered)
        self.skipping = False


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An immutable, hashable copy of a playthrough's state (for undo, saves and explorers)."""

    scene: str
    meters: tuple[tuple[str, int], ...]
    flags: frozenset[str]
    visits: tuple[tuple[str, int], ...]
    remembered: tuple[str, ...]

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
