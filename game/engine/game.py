"""The one API that front ends use: a playthrough of a story, with choices, undo and history.

A `Game` holds a `rules.State` and moves it with the story's `transitions` machine, whose guards
and callbacks are the rules core (`game.engine.rules`); it adds what a live game needs on top:
numbered options, undo, the history of steps, and `replay(moves)`, the one way moves recorded
anywhere (saves, walkthroughs, playthrough files, `--path`) are played back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from game.engine import rules
from game.engine.errors import ChoiceLocked, GameError, GameOver, NoSuchChoice
from game.engine.machine import Live, StoryMachine, machine_for
from game.engine.rules import STEPPED_AWAY, Option, State
from game.engine.state import LockedChoice, Snapshot, Step
from game.story.model import Ending, Meter, Scene, Story

__all__ = ["STEPPED_AWAY", "ChoiceLocked", "Game", "GameError", "GameOver", "NoSuchChoice", "Option", "Outcome",
           "Replayed", "SKIP", "same_choice_text"]

SKIP = "skip"  # the word a walkthrough uses for "skip this scene"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one move did: the step taken, what is remembered, and how the visible meters moved."""

    step: Step
    remembered: str | None
    changes: tuple[tuple[Meter, int, int], ...]  # (meter, before, after): what the choice itself moved
    ended: bool
    arrival: tuple[tuple[Meter, int, int], ...] = ()  # what entering the next scene moved (its on_enter)


@dataclass(frozen=True, slots=True)
class Replayed:
    """How far `Game.replay` got: `applied` of `total` moves; `error` says why it stopped early,
    at the move `moves[applied]`."""

    applied: int
    total: int
    error: GameError | None = None

    @property
    def complete(self) -> bool:
        return self.error is None


def _moved(story: Story, before, after) -> tuple[tuple[Meter, int, int], ...]:
    """The visible meters that differ between two readings, as (meter, before, after)."""
    if before is after:  # a move that changes no meter keeps the very same mapping
        return ()
    visible = story.__dict__.get("_game_visible")
    if visible is None:
        visible = story.__dict__["_game_visible"] = tuple((m, m.name) for m in story.meters.values() if not m.hidden)
    return tuple([(m, before[name], after[name]) for m, name in visible if before[name] != after[name]])


def _readings(story: Story, meters) -> tuple[tuple[str, int], ...]:
    """`tuple(meters.items())`, one shared tuple for each reading (kept on the story): a long game
    keeps a step per move, and fewer objects kept is less for the garbage collector to walk."""
    table = rules.kept(story, "_game_readings")
    key = (tuple(meters), tuple(meters.values()))
    found = table.get(key)
    if found is None:
        if len(table) >= 4096:
            table.clear()
        found = table[key] = tuple(meters.items())
    return found


def _plain(text: str) -> str:
    return re.sub(r"[\s\"'“”‘’]+", " ", text).strip().casefold()


_FINAL = re.compile(r"[\s.!?,;:…\"'“”‘’]+\Z")


def _loose(text: str) -> str:
    """A choice's text as a writer remembers it: case, quotes, spacing and final punctuation aside."""
    return _FINAL.sub("", _plain(text))


def same_choice_text(recorded: str, shown: str) -> bool:
    """Whether a text written down (in a walkthrough or playthrough) names the choice that shows
    `shown`: case, surrounding quotes, spacing and final punctuation are forgiven."""
    return _loose(str(recorded)) == _loose(shown)


class Game:
    """A playthrough of a story. Create one per player; the story's machine is shared."""

    def __init__(self, story: Story, *, start: str | None = None, overrides: dict[str, int | bool] | None = None):
        self.story = story
        self._machine: StoryMachine = machine_for(story)
        self._start = start
        self._overrides = dict(overrides or {})
        first = rules.begin(story, start, self._overrides)
        self._live = Live(first, rules.offered(story, first))
        self._over = rules.is_over(story, first)  # kept up to date wherever the state changes
        self._initial = first
        self._undo: list[State] = []
        self._history: list[Step] = []

    # --- where we are ---------------------------------------------------------------------

    @property
    def state(self) -> State:
        """The rules core's state now (immutable)."""
        return self._live.current

    @property
    def scene(self) -> Scene:
        return self.story.scenes[self._live.current.scene]

    @property
    def scene_id(self) -> str:
        return self._live.current.scene

    def paragraphs(self) -> list[str]:
        """The scene's text as the player reads it now: conditional paragraphs resolved."""
        return rules.paragraphs(self.story, self._live.current)

    @property
    def thought(self) -> str | None:
        return rules.thought(self.story, self._live.current)

    def options(self) -> list[Option]:
        """The choices shown now: available ones, and locked ones that carry a reason."""
        return list(self._live.offers)

    @property
    def is_over(self) -> bool:
        return self._over

    @property
    def ending(self) -> Ending | None:
        return rules.ending(self.story, self._live.current)

    @property
    def can_skip(self) -> bool:
        return not self.is_over

    # --- state ------------------------------------------------------------------------------

    @property
    def meters(self) -> dict[str, int]:
        return dict(self._live.current.meters)

    def visible_meters(self) -> list[tuple[Meter, int]]:
        meters = self._live.current.meters
        return [(m, meters[m.name]) for m in self.story.meters.values() if not m.hidden]

    @property
    def flags(self) -> frozenset[str]:
        return self._live.current.flags

    @property
    def visits(self) -> dict[str, int]:
        """How many times each scene has been entered so far (from the history: the state keeps
        only the visits that conditions read)."""
        counts = {self._initial.scene: 1}
        for step in self._history:
            if step.to_scene != step.scene or step.kind == "choice":
                counts[step.to_scene] = counts.get(step.to_scene, 0) + 1
        return counts

    @property
    def remembered(self) -> tuple[str, ...]:
        return self._live.current.remembered

    @property
    def history(self) -> tuple[Step, ...]:
        return tuple(self._history)

    def states(self) -> tuple[State, ...]:
        """The state before each step of the history, then the state now."""
        return (*self._undo, self._live.current)

    def snapshot(self) -> Snapshot:
        return Snapshot.of(self._live.current)

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
        for lock in self._locked_now():
            seen.setdefault((lock.scene, lock.choice_id), lock)
        return list(seen.values())

    def _locked_now(self) -> tuple[LockedChoice, ...]:
        """The locked choices shown now. Offers are shared between states (`rules.offered`), so
        their locked choices are made once for each offers tuple and kept on the story: a long
        game keeps them in every step, and shared ones are less for the garbage collector."""
        offers = self._live.offers
        table = rules.kept(self.story, "_game_locked")
        entry = table.get(id(offers))
        if entry is None or entry[0] is not offers:
            if len(table) >= 4096:
                table.clear()
            scene = self._live.current.scene
            entry = table[id(offers)] = (offers, tuple([LockedChoice(scene, o.id, o.text, o.locked_reason or "")
                                                        for o in offers if not o.available]))
        return entry[1]

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
        """The option a reference names: its id, its shown number, or its text (quotes, spacing,
        case and final punctuation aside: `same_choice_text`)."""
        options = self._live.offers
        if isinstance(ref, int) and 0 < ref <= len(options):  # options are numbered 1, 2, … in order
            return options[ref - 1]
        for option in options:
            if option.number == ref or option.id == ref:
                return option
        if isinstance(ref, str):
            text = ref.strip()
            if text.isdigit():
                for option in options:
                    if option.number == int(text):
                        return option
            wanted = _plain(text)
            for option in options:
                if option.id == text or _plain(option.text) == wanted:
                    return option
            for option in options:  # then forgiving final punctuation ("Go" for "Go.")
                if same_choice_text(text, option.text):
                    return option
        if isinstance(ref, int):
            span = f"1 to {len(options)}" if options else "none"
            raise NoSuchChoice(f"There is no choice {ref} here (choices: {span}).")
        raise NoSuchChoice(f"There is no choice '{ref}' here.")

    def choose(self, ref: int | str) -> Outcome:
        """Take a choice by its shown number (from 1), its id or its text."""
        if self.is_over:
            raise GameOver("The story has ended.")
        option = self.find_option(ref)
        if not option.available:
            raise ChoiceLocked(option)
        live = self._live
        before = live.current
        locked = self._locked_now()
        if not self._machine.choose(live, option.choice):
            self._restore(before)  # the guard refused: nothing happened
            raise ChoiceLocked(option)
        now = live.current
        remembered = now.remembered[-1] if len(now.remembered) > len(before.remembered) else None
        step = Step("choice", before.scene, now.scene, option.id, option.text, option.choice.tags,
                    _readings(self.story, now.meters), remembered, locked)
        middle, live.middle = live.middle, None
        return self._commit(before, middle, step)

    def skip(self) -> Outcome:
        """Skip this scene (an X-Card): follow its skip route, or end gently. Never costs a meter."""
        if self.is_over:
            raise GameOver("The story has ended.")
        live = self._live
        before = live.current
        if self.scene.skip_route:
            self._machine.skip(live)  # its on_enter callback is rules.enter(..., skipped=True)
        else:
            live.current = rules.skip(self.story, before)  # the story ends where it stands
        now = live.current
        step = Step("skip", before.scene, now.scene, None, None, (), _readings(self.story, now.meters), None, ())
        return self._commit(before, None, step)

    def move(self, move: object) -> Outcome:
        """Make one recorded move: a `Step`, a saved move (`{"choice": id}` or `{"skip": scene}`),
        or a walkthrough's word: `skip`, or a choice's id, shown number or text."""
        if isinstance(move, Step):
            move = move.record()
        if isinstance(move, dict):
            if "skip" in move:
                if move["skip"] != self.scene_id:
                    raise NoSuchChoice("That skip was made in another scene.")
                return self.skip()
            return self.choose(move.get("choice"))
        if isinstance(move, str) and move.strip().lower() == SKIP:
            return self.skip()
        return self.choose(move)

    def replay(self, moves: Iterable[object]) -> Replayed:
        """Make `moves` in order (see `move`), stopping at the first one that does not fit here;
        the game stays where that move would have been made."""
        moves = list(moves)
        for applied, move in enumerate(moves):
            try:
                self.move(move)
            except GameError as exc:
                return Replayed(applied, len(moves), exc)
        return Replayed(len(moves), len(moves))

    def _commit(self, before: State, middle: State | None, step: Step) -> Outcome:
        live = self._live
        live.offers, self._over = rules.standing(self.story, live.current)
        live.state = live.current.scene
        self._undo.append(before)
        self._history.append(step)
        middle_meters = (middle or before).meters
        changes = _moved(self.story, before.meters, middle_meters)
        arrival = _moved(self.story, middle_meters, live.current.meters)
        return Outcome(step, step.remembered, changes, self.is_over, arrival)

    def _restore(self, state: State) -> None:
        live = self._live
        live.current = state
        live.state = state.scene
        live.offers = rules.offered(self.story, state)
        self._over = rules.is_over(self.story, state)
        live.skipping = False
        live.middle = None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self, steps: int = 1) -> int:
        """Step back up to `steps` moves; returns how many were undone."""
        done = 0
        while done < steps and self._undo:
            state = self._undo.pop()
            self._history.pop()
            done += 1
        if done:
            self._restore(state)
        return done

    def restart(self) -> None:
        self.undo(len(self._undo))
