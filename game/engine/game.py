"""The one API that front ends use: a playthrough of a story, with choices, undo and history."""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.machine import StoryMachine, machine_for
from game.engine.state import LockedChoice, Playthrough, Snapshot, Step
from game.story.model import Choice, Ending, Meter, Scene, Story

# The ending a player reaches by skipping a scene that has nowhere safe to skip to.
STEPPED_AWAY = Ending("You stepped away", "unresolved", support=True)


class GameError(Exception):
    """A move that cannot be made; the message is written for the player."""


class ChoiceLocked(GameError):
    def __init__(self, option: "Option"):
        super().__init__(option.locked_reason or "That choice isn't open to you right now.")
        self.option = option


class NoSuchChoice(GameError):
    pass


class GameOver(GameError):
    pass


@dataclass(frozen=True, slots=True)
class Option:
    """A choice as the player sees it: numbered from 1, available or locked with a reason."""

    number: int
    choice: Choice
    available: bool
    locked_reason: str | None = None

    @property
    def text(self) -> str:
        return self.choice.text

    @property
    def id(self) -> str:
        return self.choice.id


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one move did: the step taken, what is remembered, and how the visible meters moved."""

    step: Step
    remembered: str | None
    changes: tuple[tuple[Meter, int, int], ...]  # (meter, before, after): what the choice itself moved
    ended: bool
    arrival: tuple[tuple[Meter, int, int], ...] = ()  # what entering the next scene moved (its on_enter)


def _moved(story: Story, before: dict[str, int], after: dict[str, int]) -> tuple[tuple[Meter, int, int], ...]:
    """The visible meters that differ between two readings, as (meter, before, after)."""
    return tuple((m, before[m.name], after[m.name]) for m in story.meters.values()
                 if not m.hidden and before[m.name] != after[m.name])


class Game:
    """A playthrough of a story. Create one per player; the story's machine is shared."""

    def __init__(self, story: Story, *, start: str | None = None, overrides: dict[str, int | bool] | None = None):
        self.story = story
        self._machine: StoryMachine = machine_for(story)
        self._model = Playthrough.begin(story, start)
        self._start = start
        self._overrides = dict(overrides or {})
        for name, value in self._overrides.items():
            if name in story.meters:
                self._model.meters[name] = story.meters[name].clamp(int(value))
            elif name in story.flags:
                (self._model.flags.add if value else self._model.flags.discard)(name)
            else:
                raise GameError(f"'{name}' is neither a meter nor a flag of this story")
        if self._model.state not in story.scenes:
            raise GameError(f"there is no scene called '{self._model.state}'")
        self._machine.enter_start(self._model)
        self._initial = self._model.snapshot()
        self._undo: list[Snapshot] = []
        self._history: list[Step] = []
        self._stepped_away = False

    # --- where we are ---------------------------------------------------------------------

    @property
    def scene(self) -> Scene:
        return self.story.scenes[self._model.state]

    @property
    def scene_id(self) -> str:
        return self._model.state

    def paragraphs(self) -> list[str]:
        """The scene's text as the player reads it now: conditional paragraphs resolved."""
        model = self._model
        return [p.text for p in self.scene.text if p.condition is None or p.condition(model)]

    @property
    def thought(self) -> str | None:
        return self.scene.thought

    def options(self) -> list[Option]:
        """The choices shown now: available ones, and locked ones that carry a reason."""
        if self.is_over:
            return []
        model = self._model
        shown: list[Option] = []
        for choice in self.scene.choices:
            open_ = choice.condition is None or choice.condition(model)
            if open_ or choice.locked:
                shown.append(Option(len(shown) + 1, choice, open_, None if open_ else choice.locked))
        return shown

    @property
    def is_over(self) -> bool:
        return self._stepped_away or self.scene.ending is not None

    @property
    def ending(self) -> Ending | None:
        return STEPPED_AWAY if self._stepped_away else self.scene.ending

    @property
    def can_skip(self) -> bool:
        return not self.is_over

    # --- state ------------------------------------------------------------------------------

    @property
    def meters(self) -> dict[str, int]:
        return dict(self._model.meters)

    def visible_meters(self) -> list[tuple[Meter, int]]:
        return [(m, self._model.meters[m.name]) for m in self.story.meters.values() if not m.hidden]

    @property
    def flags(self) -> frozenset[str]:
        return frozenset(self._model.flags)

    @property
    def visits(self) -> dict[str, int]:
        return dict(self._model.visits)

    @property
    def remembered(self) -> tuple[str, ...]:
        return tuple(self._model.remembered)

    @property
    def history(self) -> tuple[Step, ...]:
        return tuple(self._history)

    def snapshot(self) -> Snapshot:
        return self._model.snapshot()

    def meter_history(self) -> dict[str, list[int]]:
        """Each meter's value at the start and after every step."""
        rows = [dict(self._initial.meters)] + [dict(step.meters_after) for step in self._history]
        return {name: [row[name] for row in rows] for name in self.story.meters}

    def locked_met(self) -> list[LockedChoice]:
        """Every locked choice the player was shown, in order, once each ("what you couldn't say")."""
        seen: dict[tuple[str, str], LockedChoice] = {}
        for step in self._history:
            for lock in step.locked:
                seen.setdefault((lock.scene, lock.choice_id), lock)
        for option in self.options():
            if not option.available:
                lock = LockedChoice(self.scene_id, option.id, option.text, option.locked_reason or "")
                seen.setdefault((lock.scene, lock.choice_id), lock)
        return list(seen.values())

    def record(self) -> list[dict]:
        """The moves so far in replayable form (see `Step.record`)."""
        return [step.record() for step in self._history]

    @property
    def start_scene(self) -> str | None:
        return self._start

    @property
    def overrides(self) -> dict[str, int | bool]:
        return dict(self._overrides)

    # --- moves ------------------------------------------------------------------------------

    def find_option(self, ref: int | str) -> Option:
        options = self.options()
        for option in options:
            if option.number == ref or option.id == ref:
                return option
        if isinstance(ref, int):
            span = f"1 to {len(options)}" if options else "none"
            raise NoSuchChoice(f"There is no choice {ref} here (choices: {span}).")
        raise NoSuchChoice(f"There is no choice '{ref}' here.")

    def choose(self, ref: int | str) -> Outcome:
        """Take a choice by its shown number (from 1) or its id."""
        if self.is_over:
            raise GameOver("The story has ended.")
        option = self.find_option(ref)
        if not option.available:
            raise ChoiceLocked(option)
        before = self._model.snapshot()
        locked = tuple(LockedChoice(self.scene_id, o.id, o.text, o.locked_reason or "")
                       for o in self.options() if not o.available)
        remembered_before = len(self._model.remembered)
        if not self._machine.choose(self._model, option.choice):
            self._model.restore(before)  # the guard changed its mind: nothing happened
            raise ChoiceLocked(option)
        remembered = self._model.remembered[remembered_before:] or [None]
        step = Step("choice", before.scene, self._model.state, option.id, option.text, option.choice.tags,
                    tuple(self._model.meters.items()), remembered[-1], locked)
        return self._commit(before, step)

    def skip(self) -> Outcome:
        """Skip this scene (an X-Card): go to its `skip_to`, or end gently. Never costs a meter."""
        if self.is_over:
            raise GameOver("The story has ended.")
        before = self._model.snapshot()
        if self.scene.skip_route:
            self._machine.skip(self._model)
        else:
            self._stepped_away = True
        step = Step("skip", before.scene, self._model.state, None, None, (), tuple(self._model.meters.items()),
                    None, ())
        return self._commit(before, step)

    def _commit(self, before: Snapshot, step: Step) -> Outcome:
        self._undo.append(before)
        self._history.append(step)
        old = dict(before.meters)
        now = self._model.meters
        middle = self._model.after_effects if self._model.after_effects is not None else old
        self._model.after_effects = None
        changes = _moved(self.story, old, middle)
        arrival = _moved(self.story, middle, now)
        return Outcome(step, step.remembered, changes, self.is_over, arrival)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self, steps: int = 1) -> int:
        """Step back up to `steps` moves; returns how many were undone."""
        done = 0
        while done < steps and self._undo:
            self._model.restore(self._undo.pop())
            self._history.pop()
            self._stepped_away = False
            done += 1
        return done

    def restart(self) -> None:
        self.undo(len(self._undo))
