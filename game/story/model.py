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
    description: str = ""  # one line for the player: what the meter means

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
    """One item of a text a player reads (a paragraph, a line of thought, a piece of a choice's
    text...), shown only when its condition (if any) holds.

    `text` is the source as written. `tree` is its inline forms parsed (format 2, see
    `game.story.inline`), or None when the text is shown exactly as written.
    """

    text: str
    condition: Condition | None = None
    span: Span = NOWHERE
    tree: tuple | None = None


def plain(text: str | None, span: Span = NOWHERE) -> tuple[TextPart, ...]:
    """A text with no condition and no forms, as the one-item list every text is."""
    return () if text is None else (TextPart(text, None, span),)


@dataclass(frozen=True, slots=True)
class Ending:
    title: str  # the source of the first title item (the whole title unless it is a list)
    tone: str
    support: bool = False
    title_parts: tuple[TextPart, ...] = ()

    @property
    def titles(self) -> tuple[TextPart, ...]:
        return self.title_parts or plain(self.title)


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
    # Format 2: every text as a list of parts (see TextPart); empty means the plain field above.
    text_parts: tuple[TextPart, ...] = ()
    locked_parts: tuple[TextPart, ...] = ()
    remember_parts: tuple[TextPart, ...] = ()
    skip: bool = False  # the scene's skip route (followed without effects when the player skips)

    @property
    def texts(self) -> tuple[TextPart, ...]:
        return self.text_parts or plain(self.text, self.span)

    @property
    def lockeds(self) -> tuple[TextPart, ...]:
        return self.locked_parts or plain(self.locked, self.span)

    @property
    def remembers(self) -> tuple[TextPart, ...]:
        return self.remember_parts or plain(self.remember, self.span)


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
    title: str | None = None  # the human name of the place, for journals, saves and reports
    thought_parts: tuple[TextPart, ...] = ()  # format 2: the thought as a list; empty: `thought`
    file: str = ""  # the file the scene is written in, when not the story's own (an `include:`)

    @property
    def is_ending(self) -> bool:
        return self.ending is not None

    @property
    def thoughts(self) -> tuple[TextPart, ...]:
        return self.thought_parts or plain(self.thought)

    @property
    def skip_choice(self) -> Choice | None:
        for choice in self.choices:
            if choice.skip:
                return choice
        return None

    @property
    def skip_route(self) -> str | None:
        """Where skipping this scene leads: its `skip_to`, else the goto of its `skip: true` choice."""
        if self.skip_to:
            return self.skip_to
        choice = self.skip_choice
        return choice.goto if choice is not None else None


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
    includes: tuple[tuple[str, str], ...] = ()  # (path relative to the story file, sha-256 of its bytes)

    def choice(self, choice_id: str) -> Choice | None:
        return self.choice_index.get(choice_id)

    @cached_property
    def choice_index(self) -> dict[str, Choice]:
        """Every choice of the story by id (cached: the story never changes)."""
        return {c.id: c for s in self.scenes.values() for c in s.choices}

    def file_of(self, scene: Scene) -> str:
        """The path of the file a scene is written in (for diagnostics)."""
        if not scene.file:
            return self.path
        from pathlib import Path  # rarely needed: only stories written across several files

        return str(Path(self.path).parent / scene.file)

    @property
    def endings(self) -> list[Scene]:
        return [s for s in self.scenes.values() if s.ending is not None]

    @property
    def visible_meters(self) -> list[Meter]:
        return [m for m in self.meters.values() if not m.hidden]

