"""Moving through a story fast, with the engine deciding every move.

Tools that walk a story many thousands of times (explore, randomtest, stats) hold each state as
a small hashable tuple, `State = (scene, meters, flags, visited)`:

- `meters`: every meter's value, in the story's declaration order;
- `flags`: the flags that are on (a frozenset);
- `visited`: which of the scenes that conditions read with `visited()` or `visits()` have been
  entered. For a scene whose count `visits()` compares (format 2), it also holds `scene#2`,
  `scene#3`… up to a cap, the largest number compared plus one: the count as far as any condition
  can tell it apart, so states stay few. Scenes no condition reads cannot change anything.

`Stepper.choose(state, choice)` moves with the story's own `transitions` machine (`machine_for`)
over a real engine `Playthrough`. Firing the machine costs about 20 µs (more, recording), which
would be most of an exploration's time, so the stepper keeps a *trace cache*: the first time a
move runs, the playthrough's meters, flags and visits are recording containers, and the stepper
learns what the engine looked up (`meters[name]`, `name in flags`, `visits.get(scene)`) and what
it wrote. A later state that agrees on every value looked up gets the same writes replayed.

The rule this rests on: the engine decides a move from values it looks up one by one (guards,
effects, clamping, on_enter and visit counting all do). Copying a whole container (as the engine
does to report what a move changed) is not looked up value by value and is not a dependency.
Writes are checked, not trusted: after each recorded move, replaying the recorded writes on the
input must give exactly the state the engine produced, or the move is never cached. If a later
run of the same move looks up something new (a guard that short-circuited before), its key grows
and its cached results are dropped. The tests compare cached and uncached explorations, and both
with a brute-force walk of full `Game`s, on random stories: an engine change that broke the rule
fails them.

`Stepper(story, cache=False)` fires the machine for every move.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from game.engine.machine import machine_for
from game.engine.state import Playthrough
from game.story.conditions import BoolOp, Compare, Not, Num, Visits
from game.story.model import Choice, Story
from game.story.texts import conditions_read

COUNT_CAP = 20  # the most visits told apart, whatever a condition compares them with
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}

State = tuple  # (scene: str, meters: tuple[int, ...], flags: frozenset[str], visited: frozenset[str])

class _Reads:
    """What one engine move looked up, and what it wrote."""

    __slots__ = ("meters", "flags", "visits", "meter_writes", "flag_ops", "visit_writes")

    def __init__(self):
        self.meters: dict[str, None] = {}
        self.flags: dict[str, None] = {}
        self.visits: dict[str, None] = {}
        self.meter_writes: dict[str, int] = {}
        self.flag_ops: dict[str, bool] = {}      # flag -> on/off after the move, for flags it set or cleared
        self.visit_writes: dict[str, int] = {}


class _RecordingDict(dict):
    """Meters or visits: notes each key looked up before being written, and each write."""

    __slots__ = ("_reads", "_writes")

    def __init__(self, data, reads: dict, writes: dict):
        super().__init__(data)
        self._reads, self._writes = reads, writes

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

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]


class _RecordingSet(set):
    """Flags: notes each flag tested before being set or cleared, and every flag set or cleared."""

    __slots__ = ("_reads", "_ops")

    def __init__(self, data, reads: dict, ops: dict):
        super().__init__(data)
        self._reads, self._ops = reads, ops

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


@dataclass(frozen=True, slots=True, eq=False)
class Delta:
    """What one move does: the scene it leads to, meters written (index, value), flags turned on
    and off, watched scenes entered. Compared and hashed by identity: cached moves share one."""

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
        self.counts = counted_scenes(story)  # scene -> cap, for scenes whose count a condition reads
        self.cache = cache
        # per move ("choice id", or "skip SCENE"): what it reads, and its results by those values
        self.filed: dict[str, tuple[_Footprint, dict[object, Delta]]] = {}
        self.engine_moves = 0   # moves the machine made; the rest were replayed from the cache
        self.flags_set: set[str] = set()  # every flag some move turned on

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
                visit_marks(model.visits, self.watched, self.counts))

    def model_of(self, state: State) -> Playthrough:
        scene, meters, flags, visited = state
        return Playthrough(scene, dict(zip(self.meter_names, meters)), set(flags),
                           visit_counts(visited, self.counts), [])

    def view(self, state: State) -> View:
        return View(dict(zip(self.meter_names, state[1])), state[2], visit_counts(state[3], self.counts))

    def meters(self, state: State) -> dict[str, int]:
        return dict(zip(self.meter_names, state[1]))

    def available(self, state: State, view: View | None = None) -> list[Choice]:
        view = view or self.view(state)
        return [c for c in self.story.scenes[state[0]].choices if c.condition is None or c.condition(view)]

    # --- moves ----------------------------------------------------------------------------------

    def choose(self, state: State, choice: Choice) -> State:
        """The state after taking `choice` (which must be available) in `state`."""
        return apply(state, self.delta(state, choice))

    def skip(self, state: State) -> State | None:
        """The state after "skip this scene", or None when the scene has no skip_to (the story ends)."""
        delta = self.skip_delta(state)
        return None if delta is None else apply(state, delta)

    def delta(self, state: State, choice: Choice) -> "Delta":
        """What taking `choice` in `state` changes (the same object for every state it fits, when cached)."""
        filed = self.filed.get(choice.id)
        if filed is not None:
            delta = filed[1].get(filed[0].key(state))
            if delta is not None:
                return delta
        return self.engine_delta(state, choice.id, choice)

    def skip_delta(self, state: State) -> "Delta | None":
        if not self.story.scenes[state[0]].skip_route:
            return None
        key = "skip " + state[0]  # a space never occurs in a choice id
        filed = self.filed.get(key)
        if filed is not None:
            delta = filed[1].get(filed[0].key(state))
            if delta is not None:
                return delta
        return self.engine_delta(state, key, None)

    def engine_delta(self, state: State, key: str, choice: Choice | None) -> "Delta":
        """A move the cache cannot answer: the engine makes it (and, caching, it is filed under `key`)."""
        if not self.cache:
            model = self.model_of(state)
            self._fire(model, choice)
            after = self.state_of(model)
            delta = Delta(after[0], tuple(enumerate(after[1])), after[2] - state[2], state[2] - after[2], after[3])
        else:
            delta, reads = self._record(state, choice)
            if reads is not None:
                self._file(key, state, delta, reads)
        self.flags_set |= delta.flags_on
        return delta

    def _fire(self, model: Playthrough, choice: Choice | None) -> None:
        self.engine_moves += 1
        if choice is None:
            moved = self.machine.skip(model)
        else:
            moved = self.machine.choose(model, choice)
        if not moved:
            raise ValueError(f"the engine refused {'to skip' if choice is None else choice.id} "
                             f"in scene '{model.state}'")

    def _record(self, state: State, choice: Choice | None) -> tuple["Delta", _Reads | None]:
        """Make the move with recording containers. The reads are None when the recorded writes do
        not explain the result (the move is then not cached)."""
        reads = _Reads()
        scene, meters, flags, visited = state
        model = Playthrough(
            scene,
            _RecordingDict(zip(self.meter_names, meters), reads.meters, reads.meter_writes),
            _RecordingSet(flags, reads.flags, reads.flag_ops),
            _RecordingDict(visit_counts(visited, self.counts), reads.visits, reads.visit_writes),
            [],
        )
        self._fire(model, choice)
        index = self._meter_index
        delta = Delta(
            model.state,
            tuple(sorted((index[name], value) for name, value in reads.meter_writes.items())),
            frozenset(f for f, on in reads.flag_ops.items() if on),
            frozenset(f for f, on in reads.flag_ops.items() if not on),
            visit_marks(reads.visit_writes, self.watched, self.counts),
        )
        after = self.state_of(Playthrough(model.state, dict(model.meters), set(model.flags),
                                          dict(model.visits)))  # plain copies: reading them records nothing
        if apply(state, delta) != after:  # something was written out of sight: do not cache it
            return Delta(after[0], tuple(enumerate(after[1])), after[2] - state[2], state[2] - after[2],
                         after[3]), None
        return delta, reads

    def _file(self, key: str, state: State, delta: "Delta", reads: _Reads) -> None:
        old = self.filed[key][0] if key in self.filed else None
        meters = set(old.meters) if old else set()
        flags = set(old.flags) if old else set()
        visits = set(old.visits) if old else set()
        meters |= {self._meter_index[m] for m in reads.meters}
        flags |= set(reads.flags)
        visits |= {v for v in reads.visits if v in self.watched}
        visits |= {mark for v in reads.visits if v in self.counts for mark in _all_marks(v, self.counts[v])}
        # A visit count outside `watched` is read only to be incremented; it can never be read by a
        # condition, so it is not part of what a move depends on.
        grown = old is None or len(meters) != len(old.meters) or len(flags) != len(old.flags) \
            or len(visits) != len(old.visits)
        if grown:
            self.filed[key] = (_Footprint(tuple(sorted(meters)), frozenset(flags), frozenset(visits)), {})
        footprint, results = self.filed[key]
        results[footprint.key(state)] = delta


def apply(state: State, delta: Delta) -> State:
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
    """The scenes that some condition (of a choice or a text) reads with visited() or visits()."""
    scenes: set[str] = set()
    for scene in story.scenes.values():
        for condition in conditions_read(scene):
            scenes |= condition.names()[2]
    return frozenset(scenes)


def counted_scenes(story: Story) -> dict[str, int]:
    """For each scene whose visit count a condition compares: how far the count must be told
    apart (the largest number it is compared with, plus one; COUNT_CAP against a meter)."""
    caps: dict[str, int] = {}
    for scene in story.scenes.values():
        for condition in conditions_read(scene):
            stack = [condition.tree]
            while stack:
                node = stack.pop()
                if isinstance(node, Compare):
                    for side, other, op in ((node.left, node.right, node.op),
                                            (node.right, node.left, _FLIP[node.op])):
                        if isinstance(side, Visits):
                            # visits >= k and visits < k only ask "k or more"; the rest tell k from k+1
                            cap = (other.value if op in (">=", "<") else other.value + 1) \
                                if isinstance(other, Num) else COUNT_CAP
                            caps[side.scene] = max(caps.get(side.scene, 1), min(max(cap, 1), COUNT_CAP))
                elif isinstance(node, Not):
                    stack.append(node.operand)
                elif isinstance(node, BoolOp):
                    stack.extend(node.operands)
    return caps


def _all_marks(scene: str, cap: int) -> tuple[str, ...]:
    return (scene,) + tuple(f"{scene}#{k}" for k in range(2, cap + 1))


def visit_marks(visits, watched, counts) -> frozenset[str]:
    """A playthrough's visit counts as the entries of a state's `visited` set."""
    marks = [s for s, n in visits.items() if n and s in watched]
    if counts:
        marks += [f"{s}#{k}" for s, n in visits.items() if s in counts for k in range(2, min(n, counts[s]) + 1)]
    return frozenset(marks)


def visit_counts(visited, counts) -> dict[str, int]:
    """A state's `visited` set as visit counts (capped), for conditions and the engine."""
    if not counts:
        return dict.fromkeys(visited, 1)
    found: dict[str, int] = {}
    for entry in visited:
        name, _, k = entry.partition("#")
        number = int(k) if k else 1
        if number > found.get(name, 0):
            found[name] = number
    return found
