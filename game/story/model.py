"""The story model: frozen values built once by the loader (or the cache) and only read afterwards."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping, NamedTuple

from game.story.conditions import Condition

TONES = ("hopeful", "bittersweet", "tender", "unresolved", "lonely", "heavy")


class Span(NamedTuple):
    """Where something was written: 1-based line and column in the story file.

    A named tuple rather than a dataclass: every part of a story has one, and tuples are the
    cheapest immutable value to build when a large story loads from the cache.
    """

    line: int
    col: int


NOWHERE = Span(1, 1)


@dataclass(frozen=True, slots=True)
class Meter:
    name: str
    start: int
    min: int = 0
    max: int = 10
    label: str = ""
    hidden: bool = False
    span: Span = NOWHERE

    def clamp(self, value: int) -> int:
        return self.min if value < self.min else self.max if value > self.max else value


@dataclass(frozen=True, slots=True)
class MeterChange:
    """`op` is "+" (add `amount`, which may be negative) or "=" (set to `amount`)."""

    meter: str
    op: str
    amount: int
    span: Span = NOWHERE

    def apply(self, value: int) -> int:
        return value + self.amount if self.op == "+" else self.amount

    def __str__(self) -> str:
        if self.op == "=":
            return f"{self.meter} ={self.amount}"
        return f"{self.meter} {self.amount:+d}"


@dataclass(frozen=True, slots=True)
class Effects:
    meters: tuple[MeterChange, ...] = ()
    set: tuple[str, ...] = ()
    clear: tuple[str, ...] = ()
    span: Span = NOWHERE

    def __bool__(self) -> bool:
        return bool(self.meters or self.set or self.clear)


NO_EFFECTS = Effects()


@dataclass(frozen=True, slots=True)
class TextPart:
    """One paragraph of a scene, shown only when its condition (if any) holds."""

    text: str
    condition: Condition | None = None
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True)
class Ending:
    title: str
    tone: str
    support: bool = False


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    index: int  # position in the scene, from 0
    scene: str
    text: str
    goto: str
    condition: Condition | None = None
    locked: str | None = None
    tags: tuple[str, ...] = ()
    effects: Effects = NO_EFFECTS
    remember: str | None = None
    span: Span = NOWHERE


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    text: tuple[TextPart, ...]
    thought: str | None = None
    on_enter: Effects = NO_EFFECTS
    choices: tuple[Choice, ...] = ()
    ending: Ending | None = None
    skip_to: str | None = None
    span: Span = NOWHERE

    @property
    def is_ending(self) -> bool:
        return self.ending is not None


@dataclass(frozen=True)
class Story:
    format: int
    id: str
    title: str
    summary: str
    perspective: str
    start: str
    scenes: Mapping[str, Scene]
    meters: Mapping[str, Meter] = field(default_factory=lambda: MappingProxyType({}))
    flags: tuple[str, ...] = ()
    content_notes: tuple[str, ...] = ()
    minutes: int | None = None
    debrief: tuple[str, ...] = ()
    path: str = "<string>"
    content_hash: str = ""

    def choice(self, choice_id: str) -> Choice | None:
        return self.choice_index.get(choice_id)

    @cached_property
    def choice_index(self) -> dict[str, Choice]:
        """Every choice of the story by id (cached: the story never changes)."""
        return {c.id: c for s in self.scenes.values() for c in s.choices}

    @property
    def endings(self) -> list[Scene]:
        return [s for s in self.scenes.values() if s.ending is not None]

    @property
    def visible_meters(self) -> list[Meter]:
        return [m for m in self.meters.values() if not m.hidden]

