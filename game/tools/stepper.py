"""Moving through a story fast, with the engine deciding every move.

Tools that walk a story many thousands of times (explore, randomtest, stats) hold each state as
a small hashable tuple, `State = (scene, meters, flags, visited)`:

- `meters`: every meter's value, in the story's declaration order;
- `flags`: the flags that are on (a frozenset);
- `visited`: which of the scenes that conditions read with `visited()` have been entered.
  Visit counts are never read (a condition only asks "visited or not"), and scenes no condition
  reads cannot change anything.

`Stepper.choose(state, choice)` moves with the story's own `transitions` machine (`machine_for`)
over a real engine `Playthrough`. Firing the machine costs about 20 µs, which is most of an
exploration's time, so the stepper keeps a *trace cache*: the first time a transition runs, the
playthrough's meters, flags and visits are recording containers, so the stepper learns exactly
what the engine read and what it wrote. Later, a state that agrees on everything that was read
gets the same writes replayed. This is sound for any engine whose moves depend only on the
scene and on the meters, flags and visits they read (true of every rule today: guards, effects,
clamping, on_enter, visit counting). If a later run of the same transition reads something new
(a guard that short-circuited before), the footprint grows and that transition's cache is
cleared, so no entry is ever used on a key that misses something it read.

`Stepper(story, cache=False)` fires the machine for every move: the tests check both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from game.engine.machine import machine_for
from game.engine.state import Playthrough
from game.story.model import Choice, Story

State = tuple  # (scene: str, meters: tuple[int, ...], flags: frozenset[str], visited: frozenset[str])

class _Reads:
    """What one engine move read and wrote."""

    __slots__ = ("meters", "flags", "visits", "all_meters", "all_flags", "all_visits",
                 "meter_writes", "flag_ops", "visit_writes")

    def __init__(self):
        self.meters: dict[str, None] = {}
        self.flags: dict[str, None] = {}
        self.visits: dict[str, None] = {}
        self.all_meters = self.all_flags = self.all_visits = False
        self.meter_writes: dict[str, int] = {}
        self.flag_ops: dict[str, bool] = {}      # flag -> on/off after the move, for flags it set or cleared
        self.visit_writes: dict[str, int] = {}


class _RecordingDict(dict):
    """A dict that notes which keys were read before being written (meters or visits)."""

    __slots__ = ("_reads", "_writes", "_everything")

    def __init__(self, data, reads: dict, writes: dict, everything):
        super().__init__(data)
        self._reads, self._writes, self._everything = reads, writes, everything

    def __getitem__(self, key):
        if key not in self._writes:
            self._reads[key] = None
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        if key not in self._writes:
            self._reads[key] = None
        return dict.get(self, key, default)

    def __contains__(self, key):
        if key not in self._writes:
            self._reads[key] = None
        return dict.__contains__(self, key)

    def __setitem__(self, key, value):
        self._writes[key] = value
        dict.__setitem__(self, key, value)

    def __iter__(self):
        self._everything()
        return dict.__iter__(self)

    def keys(self):
        self._everything()
        return dict.keys(self)

    def values(self):
        self._everything()
        return dict.values(self)

    def items(self):
        self._everything()
        return dict.items(self)

    def __len__(self):
        self._everything()
        return dict.__len__(self)


class _RecordingSet(set):
    """A set of flags that notes membership tests and every flag set or cleared."""

    __slots__ = ("_reads", "_ops", "_everything")

    def __init__(self, data, reads: dict, ops: dict, everything):
        super().__init__(data)
        self._reads, self._ops, self._everything = reads, ops, everything

    def __contains__(self, flag):
        if flag not in self._ops:
            self._reads[flag] = None
        return set.__contains__(self, flag)

    def add(self, flag):
        self._ops[flag] = True
        set.add(self, flag)

    def discard(self, flag):
        self._ops[flag] = False
        set.discard(self, flag)

    def remove(self, flag):
        self._ops[flag] = False
        set.remove(self, flag)

    def update(self, *others):
        for other in others:
            for flag in other:
                self.add(flag)

    def difference_update(self, *others):
        for other in others:
            for flag in other:
                self.discard(flag)

    def __iter__(self):
        self._everything()
        return set.__iter__(self)

    def __len__(self):
        self._everything()
        return set.__len__(self)


@dataclass(slots=True)
class _Footprint:
    """Everything any run of one move has read: what its cached results are filed by."""

    meters: tuple[int, ...] = ()      # indexes into the meters tuple
    flags: frozenset[str] = frozenset()
    visits: frozenset[str] = frozenset()
    key: object = None                # state -> the values of all of the above, hashable

    def __post_init__(self) -> None:
        getter = itemgetter(*self.meters) if self.meters else None
        flags, visits = self.flags, self.visits
        if not flags and not visits:
            self.key = (lambda state: getter(state[1])) if getter else (lambda state: None)
        else:
            self.key = lambda state: (getter(state[1]) if getter else None,
                                      state[2] & flags if flags else None,
                                      state[3] & visits if visits else None)


@dataclass(frozen=True, slots=True)
class _Delta:
    scene: str
    meter_writes: tuple[tuple[int, int], ...]
    flags_on: frozenset[str]
    flags_off: frozenset[str]
    visited: frozenset[str]


class View:
    """What conditions read: a state's meters, flags and visits (a counts-free stand-in)."""

    __slots__ = ("meters", "flags", "visits")

    def __init__(self, meters: dict[str, int], flags, visits: dict[str, int]):
        self.meters = meters
        self.flags = flags
        self.visits = visits


class Stepper:
    """Moves between `State`s of one story through its machine, with a trace cache."""

    def __init__(self, story: Story, *, cache: bool = True):
        self.story = story
        self.machine = machine_for(story)
        self.meter_names = tuple(story.meters)
        self._meter_index = {name: i for i, name in enumerate(self.meter_names)}
        self.watched = watched_scenes(story)
        self.cache = cache
        # per move ("choice id", or "skip SCENE"): what it reads, and its results by those values
        self._filed: dict[str, tuple[_Footprint, dict[tuple, _Delta]]] = {}
        self.engine_moves = 0   # moves the machine made; the rest were replayed from the cache

    # --- states ---------------------------------------------------------------------------------

    def start(self, scene: str | None = None, overrides: dict[str, int | bool] | None = None) -> State:
        """The first state, exactly as a `Game` begins: overrides, then the first scene's entry."""
        model = Playthrough.begin(self.story, scene)
        for name, value in (overrides or {}).items():
            if name in self.story.meters:
                model.meters[name] = self.story.meters[name].clamp(int(value))
            elif name in self.story.flags:
                (model.flags.add if value else model.flags.discard)(name)
            else:
                raise KeyError(name)
        self.machine.enter_start(model)
        return self.state_of(model)

    def state_of(self, model: Playthrough) -> State:
        return (model.state, tuple(model.meters[n] for n in self.meter_names), frozenset(model.flags),
                frozenset(s for s, n in model.visits.items() if n and s in self.watched))

    def model_of(self, state: State) -> Playthrough:
        scene, meters, flags, visited = state
        return Playthrough(scene, dict(zip(self.meter_names, meters)), set(flags), dict.fromkeys(visited, 1), [])

    def view(self, state: State) -> View:
        return View(dict(zip(self.meter_names, state[1])), state[2], dict.fromkeys(state[3], 1))

    def meters(self, state: State) -> dict[str, int]:
        return dict(zip(self.meter_names, state[1]))

    def available(self, state: State, view: View | None = None) -> list[Choice]:
        view = view or self.view(state)
        return [c for c in self.story.scenes[state[0]].choices if c.condition is None or c.condition(view)]

    # --- moves ----------------------------------------------------------------------------------

    def choose(self, state: State, choice: Choice) -> State:
        """The state after taking `choice` (which must be available) in `state`."""
        filed = self._filed.get(choice.id)
        if filed is not None:
            delta = filed[1].get(filed[0].key(state))
            if delta is not None:
                return _apply(state, delta)
        return self._move(state, choice.id, choice)

    def skip(self, state: State) -> State | None:
        """The state after "skip this scene", or None when the scene has no skip_to (the story ends)."""
        if not self.story.scenes[state[0]].skip_to:
            return None
        key = "skip " + state[0]  # a space never occurs in a choice id
        filed = self._filed.get(key)
        if filed is not None:
            delta = filed[1].get(filed[0].key(state))
            if delta is not None:
                return _apply(state, delta)
        return self._move(state, key, None)

    def _move(self, state: State, key: str, choice: Choice | None) -> State:
        """A move the cache cannot answer: the engine makes it (and, caching, it is filed)."""
        if not self.cache:
            model = self.model_of(state)
            self._fire(model, choice)
            return self.state_of(model)
        delta, reads = self._record(state, choice)
        self._file(key, state, delta, reads)
        return _apply(state, delta)

    def _fire(self, model: Playthrough, choice: Choice | None) -> None:
        self.engine_moves += 1
        if choice is None:
            moved = self.machine.skip(model)
        else:
            moved = self.machine.choose(model, choice)
        if not moved:
            raise ValueError(f"the engine refused {'to skip' if choice is None else choice.id} "
                             f"in scene '{model.state}'")

    def _record(self, state: State, choice: Choice | None) -> tuple[_Delta, _Reads]:
        reads = _Reads()

        def all_meters():
            reads.all_meters = True

        def all_flags():
            reads.all_flags = True

        def all_visits():
            reads.all_visits = True

        scene, meters, flags, visited = state
        model = Playthrough(
            scene,
            _RecordingDict(zip(self.meter_names, meters), reads.meters, reads.meter_writes, all_meters),
            _RecordingSet(flags, reads.flags, reads.flag_ops, all_flags),
            _RecordingDict(dict.fromkeys(visited, 1), reads.visits, reads.visit_writes, all_visits),
            [],
        )
        self._fire(model, choice)
        index = self._meter_index
        writes = tuple(sorted((index[name], value) for name, value in reads.meter_writes.items()))
        delta = _Delta(
            model.state,
            writes,
            frozenset(f for f, on in reads.flag_ops.items() if on),
            frozenset(f for f, on in reads.flag_ops.items() if not on),
            frozenset(s for s, n in reads.visit_writes.items() if n and s in self.watched),
        )
        return delta, reads

    def _file(self, key: str, state: State, delta: _Delta, reads: _Reads) -> None:
        old = self._filed[key][0] if key in self._filed else None
        meters = set(old.meters) if old else set()
        flags = set(old.flags) if old else set()
        visits = set(old.visits) if old else set()
        meters |= set(range(len(self.meter_names))) if reads.all_meters else \
            {self._meter_index[m] for m in reads.meters}
        flags |= set(self.story.flags) if reads.all_flags else set(reads.flags)
        visits |= set(self.watched) if reads.all_visits else {v for v in reads.visits if v in self.watched}
        # A visit count outside `watched` is read only to be incremented; it can never be read by a
        # condition, so it is not part of what a move depends on.
        grown = old is None or len(meters) != len(old.meters) or len(flags) != len(old.flags) \
            or len(visits) != len(old.visits)
        if grown:
            self._filed[key] = (_Footprint(tuple(sorted(meters)), frozenset(flags), frozenset(visits)), {})
        footprint, results = self._filed[key]
        results[footprint.key(state)] = delta


def _apply(state: State, delta: _Delta) -> State:
    meters = state[1]
    if delta.meter_writes:
        values = list(meters)
        for i, value in delta.meter_writes:
            values[i] = value
        meters = tuple(values)
    flags = state[2]
    if delta.flags_on or delta.flags_off:
        flags = (flags - delta.flags_off) | delta.flags_on
    visited = state[3] | delta.visited if delta.visited else state[3]
    return (delta.scene, meters, flags, visited)


def watched_scenes(story: Story) -> frozenset[str]:
    """The scenes that some condition (of a choice or a paragraph) reads with visited()."""
    scenes: set[str] = set()
    for scene in story.scenes.values():
        for condition in [c.condition for c in scene.choices] + [p.condition for p in scene.text]:
            if condition is not None:
                scenes |= condition.names()[2]
    return frozenset(scenes)
