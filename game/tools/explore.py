"""Exhaustive exploration: every reachable (scene, state) of a story, each visited once.

Moves go through the story's own `transitions` machine (see `game.tools.stepper`), so what it
finds is what players get. States are deduplicated by a key that keeps only what can still
change what happens, so that two states with the same key have the same futures:

- the scene;
- each meter's value, up to what is still to come: two values are the same when no later
  condition can tell them apart and no later effect moves one but not the other (see
  `meter_classes`). So choices, paragraphs, endings and clamped effects are found exactly;
- the flags that are *live* in that scene: some condition still to come (a choice, or a
  paragraph, here or in a scene reachable from here) reads the flag before anything sets or
  clears it for certain. A flag nothing will read again cannot change the story;
- for visits, only whether each live scene read with `visited()` was entered, and for a scene
  whose count `visits()` compares, the count up to the largest number compared plus one;
- remembered lines are dropped (no rule reads them).

Stuck states are reported with their exact meters and flags, by replaying their path.

The walk is breadth-first, so the first path found to anything is a shortest one. It runs in
two phases: first by choices alone (what a story "reaches"), then again from every state with
"skip this scene" moves added, so a skip that lands the player in a state with no way on is
found too.
"""

from __future__ import annotations

import gc
import time
from collections import deque
from dataclasses import dataclass, field

from game.engine.state import Playthrough
from game.story.conditions import BoolOp, Compare, Name, Not, Num
from game.story.model import Choice, MeterChange, Story
from game.story.texts import conditions_read, text_conditions
from game.tools.stepper import Delta, State, Stepper, View, _all_marks, apply, counted_scenes, visit_counts

DEFAULT_MAX_STATES = 1_000_000
SKIP = "skip"


@dataclass(frozen=True, slots=True)
class StuckState:
    """A reachable state with a problem, and the shortest way to it."""

    scene: str
    meters: dict[str, int]
    flags: frozenset[str]
    path: tuple[str, ...]
    via_skip: bool

    def describe_state(self) -> str:
        meters = ", ".join(f"{k}={v}" for k, v in self.meters.items())
        flags = ", ".join(sorted(self.flags)) or "none"
        return f"{meters}; flags: {flags}" if meters else f"flags: {flags}"


@dataclass(frozen=True, slots=True)
class Trap:
    """States that can still move but can never reach an ending: a goto cycle with no way out."""

    scenes: tuple[str, ...]
    first: StuckState
    states: int


@dataclass
class Exploration:
    """What an exploration found. Sets of ids cover states reached by choices alone."""

    story: Story
    max_states: int
    states: int = 0                 # every distinct state, skips included
    choice_states: int = 0          # distinct states reached by choices alone
    complete: bool = True
    seconds: float = 0.0
    engine_moves: int = 0           # moves the engine's machine made (each distinct one once)
    replayed_moves: int = 0         # moves replayed from the trace cache
    scenes_reached: set[str] = field(default_factory=set)
    scenes_reached_by_skip: set[str] = field(default_factory=set)
    choices_taken: set[str] = field(default_factory=set)
    choices_shown_locked: set[str] = field(default_factory=set)
    text_shown: set[tuple[str, int]] = field(default_factory=set)
    # Conditions in texts (items' `if:` and inline ifs), by (scene, key): seen true / seen false.
    text_true: set[tuple[str, str]] = field(default_factory=set)
    text_false: set[tuple[str, str]] = field(default_factory=set)
    endings: dict[str, tuple[str, ...]] = field(default_factory=dict)        # ending scene -> shortest path
    scene_depth: dict[str, int] = field(default_factory=dict)    # scene -> moves on the shortest path to it
    flags_seen: set[str] = field(default_factory=set)
    changes_applied: set[MeterChange] = field(default_factory=set)  # applied on some reachable move
    changes_effective: set[MeterChange] = field(default_factory=set)  # ...and moved the meter at least once
    softlocks: dict[str, StuckState] = field(default_factory=dict)         # scene -> first softlock found
    traps: list[Trap] = field(default_factory=list)
    trapped_states: int = 0

    # --- coverage -----------------------------------------------------------------------------

    @property
    def all_choices(self) -> list[Choice]:
        return [c for s in self.story.scenes.values() for c in s.choices]

    @property
    def text_variants(self) -> list[tuple[str, int]]:
        return [(s.id, i) for s in self.story.scenes.values() for i, p in enumerate(s.text)
                if p.condition is not None]

    @property
    def locked_choices(self) -> list[Choice]:
        return [c for c in self.all_choices if c.locked]

    def unreached_scenes(self) -> list[str]:
        return [s for s in self.story.scenes if s not in self.scenes_reached]

    def unreached_endings(self) -> list[str]:
        return [s.id for s in self.story.endings if s.id not in self.scenes_reached]

    def untaken_choices(self) -> list[Choice]:
        return [c for c in self.all_choices if c.id not in self.choices_taken]

    def unshown_variants(self) -> list[tuple[str, int]]:
        return [v for v in self.text_variants if v not in self.text_shown]

    def never_unlocked(self) -> list[Choice]:
        return [c for c in self.locked_choices if c.id not in self.choices_taken]

    @property
    def clean(self) -> bool:
        """Complete, everything covered, nowhere to get stuck."""
        return (self.complete and not self.unreached_scenes() and not self.untaken_choices()
                and not self.unshown_variants() and not self.softlocks and not self.traps)

    def to_dict(self) -> dict:
        story = self.story
        return {
            "story": story.id,
            "path": story.path,
            "complete": self.complete,
            "max_states": self.max_states,
            "states": self.states,
            "states_by_choices": self.choice_states,
            "seconds": round(self.seconds, 4),
            "coverage": {
                "scenes": [len(self.scenes_reached), len(story.scenes)],
                "choices": [len(self.choices_taken), len(self.all_choices)],
                "text_variants": [len(self.text_shown), len(self.text_variants)],
                "locked_choices_unlocked": [len(self.locked_choices) - len(self.never_unlocked()),
                                            len(self.locked_choices)],
            },
            "unreached_scenes": self.unreached_scenes(),
            "untaken_choices": [c.id for c in self.untaken_choices()],
            "unshown_text_variants": [f"{s}.text[{i}]" for s, i in self.unshown_variants()],
            "endings": {
                s.id: {"title": s.ending.title, "tone": s.ending.tone,
                       "reached": s.id in self.endings,
                       "shortest_path": list(self.endings[s.id]) if s.id in self.endings else None}
                for s in story.endings
            },
            "softlocks": [{"scene": s.scene, "meters": s.meters, "flags": sorted(s.flags), "path": list(s.path),
                           "via_skip": s.via_skip} for s in self.softlocks.values()],
            "traps": [{"scenes": list(t.scenes), "states": t.states, "path": list(t.first.path),
                       "meters": t.first.meters, "flags": sorted(t.first.flags)} for t in self.traps],
        }


def liveness(story: Story) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """For each scene, the (flags, visited scenes) that can still be read from there on.

    A backwards data-flow fixpoint over the scene graph, guards ignored (so it over-approximates,
    which keeps the projection exact): live(X) is what X's conditions read, plus what is live on
    entering each scene X can move to, minus what the move sets or clears for certain. Entering a
    scene marks it visited, and its `on_enter` flags apply on every entry, skips included.
    """
    reads: dict[str, set] = {}
    for scene in story.scenes.values():
        found: set = set()
        for condition in conditions_read(scene):
            if condition is not None:
                _, flags, scenes = condition.names()
                found |= flags | {("visited", s) for s in scenes}
        reads[scene.id] = found
    edges: dict[str, list[tuple[str, frozenset]]] = {}
    for scene in story.scenes.values():
        out = []
        for choice in scene.choices:
            out.append((choice.goto, frozenset(choice.effects.set) | frozenset(choice.effects.clear)))
        if scene.skip_route:
            out.append((scene.skip_route, frozenset()))
        edges[scene.id] = out
    counted = counted_scenes(story)  # entering a counted scene does not settle its count: no kill
    entry_kills = {s.id: frozenset(s.on_enter.set) | frozenset(s.on_enter.clear)
                   | (frozenset() if s.id in counted else {("visited", s.id)})
                   for s in story.scenes.values()}
    live: dict[str, set] = {sid: set(r) for sid, r in reads.items()}

    def update(sid: str) -> bool:
        new = set(reads[sid])
        for goto, kills in edges[sid]:
            new |= live[goto] - entry_kills[goto] - kills
        if new == live[sid]:
            return False
        live[sid] = new
        return True

    _fixpoint(story, update)
    counts = counted_scenes(story)
    return {sid: (frozenset(x for x in names if isinstance(x, str)),
                  frozenset(m for x in names if isinstance(x, tuple)
                            for m in (_all_marks(x[1], counts[x[1]]) if x[1] in counts else (x[1],))))
            for sid, names in live.items()}


def _fixpoint(story: Story, update) -> None:
    """Call update(scene) until nothing changes; when a scene changes, the scenes that lead to it
    are visited again (a backwards data-flow worklist, last scenes first)."""
    leads_here: dict[str, set[str]] = {sid: set() for sid in story.scenes}
    for scene in story.scenes.values():
        for choice in scene.choices:
            leads_here[choice.goto].add(scene.id)
        if scene.skip_route:
            leads_here[scene.skip_route].add(scene.id)
    pending = deque(reversed(list(story.scenes)))
    queued = set(pending)
    while pending:
        sid = pending.popleft()
        queued.discard(sid)
        if update(sid):
            for before in leads_here[sid]:
                if before not in queued:
                    queued.add(before)
                    pending.append(before)


def meter_classes(story: Story) -> dict[str, tuple[tuple[int, ...], ...]]:
    """For each scene, and each meter, the value that stands for each value of the meter there.

    Two values of a meter are interchangeable in a scene when no condition still to come can tell
    them apart and no effect still to come moves one but not the other (one is clamped at a bound,
    the other not). Conditions compare a meter with numbers, so each threshold is a "cut": whether
    the value is at least c. A cut c after an effect `+d` is the cut c-d before it (clamping keeps
    this exact inside the bounds, and outside them the test no longer depends on the value); after
    `=N` nothing before matters. An effect's own cuts (is the meter already at its max, or min, or
    at N?) are added where it applies, so clamp findings stay exact. A backwards fixpoint over the
    scene graph, guards ignored. The result maps each value (from the meter's min) to the lowest
    value of its class.
    """
    meters = list(story.meters.values())
    names = [m.name for m in meters]

    def within(meter, values) -> set[int]:
        return {v for v in values if meter.min < v <= meter.max}

    reads: dict[str, list[set[int]]] = {}
    for scene in story.scenes.values():
        found = [set() for _ in meters]
        for condition in conditions_read(scene):
            if condition is not None:
                for i, meter in enumerate(meters):
                    found[i] |= within(meter, _thresholds(condition.tree, meter))
        reads[scene.id] = found

    def back(cuts: set[int], changes, i: int) -> set[int]:
        """Cuts after `changes` (of one Effects, applied in order) as cuts before them."""
        meter = meters[i]
        for change in reversed(changes):
            if change.meter != names[i]:
                continue
            if change.op == "=":
                target = meter.clamp(change.amount)
                cuts = within(meter, {target, target + 1})
            else:
                cuts = within(meter, {c - change.amount for c in cuts})
                if change.amount > 0:
                    cuts |= within(meter, {meter.max})
                elif change.amount < 0:
                    cuts |= within(meter, {meter.min + 1})
        return cuts

    cuts = {sid: [set(r) for r in found] for sid, found in reads.items()}

    def update(sid: str) -> bool:
        scene = story.scenes[sid]
        changed = False
        for i in range(len(meters)):
            new = set(reads[sid][i])
            for choice in scene.choices:
                entered = back(cuts[choice.goto][i], story.scenes[choice.goto].on_enter.meters, i)
                new |= back(entered, choice.effects.meters, i)
            if scene.skip_route:
                new |= cuts[scene.skip_route][i]  # a skip never moves a meter
            if new != cuts[sid][i]:
                cuts[sid][i] = new
                changed = True
        return changed

    _fixpoint(story, update)
    tables = {}
    for sid, per_meter in cuts.items():
        rows = []
        for meter, found in zip(meters, per_meter):
            bounds = sorted(found)
            row, low = [], meter.min
            for value in range(meter.min, meter.max + 1):
                if bounds and value >= bounds[0]:
                    low = bounds.pop(0)
                row.append(low)
            rows.append(tuple(row))
        tables[sid] = tuple(rows)
    return tables


def _thresholds(node, meter) -> set[int]:
    """The cuts a condition makes on a meter (every value, if it compares the meter with a meter)."""
    found: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Compare):
            left, right, op = n.left, n.right, n.op
            if isinstance(left, Num) and isinstance(right, Name):
                left, right, op = right, left, _FLIPPED[op]
            if isinstance(left, Name) and isinstance(right, Name):
                if meter.name in (left.name, right.name):
                    found |= set(range(meter.min + 1, meter.max + 1))
            elif isinstance(left, Name) and left.name == meter.name and isinstance(right, Num):
                k = right.value
                found |= {">=": {k}, ">": {k + 1}, "<=": {k + 1}, "<": {k}, "==": {k, k + 1}, "!=": {k, k + 1}}[op]
        elif isinstance(n, Not):
            stack.append(n.operand)
        elif isinstance(n, BoolOp):
            stack.extend(n.operands)
    return found


_FLIPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


def explore(story: Story, *, max_states: int = DEFAULT_MAX_STATES, skips: bool = True,
            start: str | None = None, overrides: dict[str, int | bool] | None = None,
            cache: bool = True) -> Exploration:
    """Walk every reachable state of `story` (up to `max_states`), through the engine's machine.

    The walk builds hundreds of thousands of small tuples and no reference cycles, so the cyclic
    garbage collector is paused while it runs (it would rescan them all, again and again).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _explore(story, max_states, skips, start, overrides, cache)
    finally:
        if paused:
            gc.enable()


def _explore(story: Story, max_states: int, skips: bool, start: str | None,
             overrides: dict[str, int | bool] | None, cache: bool) -> Exploration:
    began = time.perf_counter()
    stepper = Stepper(story, cache=cache)
    scenes = story.scenes
    meter_names = stepper.meter_names
    meter_lows = tuple(story.meters[n].min for n in meter_names)
    live = liveness(story)
    classes = meter_classes(story)
    counts = stepper.counts
    result = Exploration(story, max_states)
    interned: dict[frozenset, frozenset] = {}
    # Per scene: how to project a state arriving there (live flags, live visits, meter classes).
    projections = {sid: (live[sid][0], live[sid][1], classes[sid]) for sid in scenes}

    first = stepper.start(start, overrides)
    start_values = Playthrough.begin(story, start).meters
    for name, value in (overrides or {}).items():
        if name in story.meters:
            start_values[name] = story.meters[name].clamp(int(value))
    _note_changes(scenes[first[0]].on_enter.meters, start_values, story.meters, result)

    keys: list[State] = []
    index: dict[State, int] = {}
    parent: list[int] = []
    depth: list[int] = []               # moves from the start
    via: list[object] = []              # the Choice taken, or the skipped scene's id
    successors: list[tuple[int, ...]] = []   # by choices only
    queue: deque[int] = deque()
    full = False
    moves = 0

    def path_to(i: int) -> tuple[str, ...]:
        out = []
        while parent[i] >= 0:
            move = via[i]
            out.append(SKIP if isinstance(move, str) else move.id)
            i = parent[i]
        return tuple(reversed(out))

    def project(state: State) -> State:
        scene, meters, flags, visited = state
        live_flags, live_visits, rows = projections[scene]
        shown = tuple([row[v - low] for row, v, low in zip(rows, meters, meter_lows)])
        return (scene, shown, intern(flags & live_flags), intern(visited & live_visits))

    def intern(value: frozenset) -> frozenset:
        return interned.setdefault(value, value)

    # What a move (a Delta) does to a state, projected for the scene it leads to, memoised per delta:
    # meters -> projected meters, flags -> projected flags, visited -> projected visited.
    landing: dict[Delta, tuple[dict, dict, dict]] = {}

    def land(state: State, delta: Delta) -> State:
        memo = landing.get(delta)
        if memo is None:
            memo = landing[delta] = ({}, {}, {})
        meters_memo, flags_memo, visited_memo = memo
        meters = meters_memo.get(state[1])
        if meters is None:
            meters = meters_memo[state[1]] = project(apply(state, delta))[1]
        flags = flags_memo.get(state[2])
        if flags is None:
            flags = flags_memo[state[2]] = project(apply(state, delta))[2]
        visited = visited_memo.get(state[3])
        if visited is None:
            visited = visited_memo[state[3]] = project(apply(state, delta))[3]
        return (delta.scene, meters, flags, visited)

    def add(key: State, from_id: int, move: object) -> int:
        nonlocal full
        found = index.get(key)
        if found is not None:
            return found
        if len(keys) >= max_states:
            full = True
            return -1
        new = len(keys)
        keys.append(key)
        index[key] = new
        parent.append(from_id)
        depth.append(depth[from_id] + 1 if from_id >= 0 else 0)
        via.append(move)
        if cyclic:
            successors.append(())
        queue.append(new)
        return new

    cyclic = _has_cycle(story)  # without a cycle there are no traps, and no need for the state graph
    add(project(first), -1, None)
    choices_taken = result.choices_taken
    shown_locked = result.choices_shown_locked
    text_shown = result.text_shown
    reached = result.scenes_reached
    settled: set[str] = set()   # choices whose meter changes have all been seen to move a meter
    filed = stepper.filed
    engine_delta = stepper.engine_delta
    # Per scene: the scene, whether anything there reads state, its paragraphs still unshown, choices.
    plans = {sid: (scene, bool(conditions_read(scene)),
                   [(n, p.condition) for n, p in enumerate(scene.text) if p.condition is not None],
                   [(c, c.id, c.condition, bool(c.locked)) for c in scene.choices])
             for sid, scene in scenes.items()}
    # Per scene: the text conditions whose two outcomes have not both been seen yet.
    unsettled = {sid: [(sid, t.key, t.condition) for t in text_conditions(scene)] for sid, scene in scenes.items()}
    text_true, text_false = result.text_true, result.text_false

    def expand(i: int, choice_phase: bool) -> None:
        nonlocal moves
        state = keys[i]
        scene, reads, unshown, options = plans[state[0]]
        view = View(dict(zip(meter_names, state[1])), state[2],
                    visit_counts(state[3], counts) if counts else dict.fromkeys(state[3], 1)) if reads else None
        if choice_phase:
            if scene.id not in reached:
                reached.add(scene.id)
                result.scene_depth[scene.id] = depth[i]
                if scene.ending is not None:
                    result.endings[scene.id] = path_to(i)
            if unshown:
                for entry in list(unshown):
                    if entry[1](view):
                        text_shown.add((scene.id, entry[0]))
                        unshown.remove(entry)
            pending = unsettled[scene.id]
            if pending:
                for entry in list(pending):
                    (text_true if entry[2](view) else text_false).add(entry[:2])
                    if entry[:2] in text_true and entry[:2] in text_false:
                        pending.remove(entry)
        if scene.ending is not None:
            return
        out: list[int] = []
        for choice, cid, condition, locked in options:
            if condition is not None and not condition(view):
                if locked and choice_phase:
                    shown_locked.add(cid)
                continue
            entry = filed.get(cid)
            delta = entry[1].get(entry[0].key(state)) if entry is not None else None
            if delta is None:
                delta = engine_delta(state, cid, choice)
            if choice_phase and cid not in settled:
                choices_taken.add(cid)
                _note_choice(choice, dict(zip(meter_names, state[1])), story, result, settled)
            # the projected state the move lands in (`land`, inlined: this is the hottest loop)
            memo = landing.get(delta)
            if memo is None:
                memo = landing[delta] = ({}, {}, {})
            meters = memo[0].get(state[1])
            if meters is None:
                meters = memo[0][state[1]] = project(apply(state, delta))[1]
            flags = memo[1].get(state[2])
            if flags is None:
                flags = memo[1][state[2]] = project(apply(state, delta))[2]
            visited = memo[2].get(state[3])
            if visited is None:
                visited = memo[2][state[3]] = project(apply(state, delta))[3]
            key = (delta.scene, meters, flags, visited)
            target = index.get(key)
            if target is None:
                target = add(key, i, choice)
                if target < 0:
                    return
            out.append(target)
        moves += len(out)
        if cyclic:
            successors[i] = tuple(out)
        if not out:
            result.softlocks.setdefault(scene.id, _stuck(stepper, state[0], path_to(i), not choice_phase,
                                                         start, overrides))
        if not choice_phase and scene.skip_route:
            skip_from(i)

    def skip_from(i: int) -> None:
        nonlocal moves
        state = keys[i]
        delta = stepper.skip_delta(state)
        if delta is not None:
            moves += 1
            add(land(state, delta), i, state[0])

    # Phase one: by choices alone.
    while queue and not full:
        expand(queue.popleft(), True)
    result.choice_states = len(keys)
    # Phase two: every state's "skip this scene", and whatever can be reached from there.
    if skips and not full:
        for i in range(result.choice_states):
            if full:
                break
            skip_from(i)
        while queue and not full:
            expand(queue.popleft(), False)

    result.flags_seen = set(first[2]) | stepper.flags_set
    result.states = len(keys)
    result.complete = not full
    result.engine_moves = stepper.engine_moves
    result.replayed_moves = moves - stepper.engine_moves
    for key in keys[result.choice_states:]:
        if key[0] not in reached:
            result.scenes_reached_by_skip.add(key[0])
    if result.complete and cyclic:
        _find_traps(story, keys, successors, path_to, stepper, start, overrides, result)
    result.seconds = time.perf_counter() - began
    return result


def _has_cycle(story: Story) -> bool:
    """Whether the scene graph (choices only, guards ignored) has a cycle: without one, every
    playthrough ends or sticks, and there can be no trap."""
    state: dict[str, int] = {}
    for root in story.scenes:
        if root in state:
            continue
        stack = [(root, iter([c.goto for c in story.scenes[root].choices]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    return True
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter([c.goto for c in story.scenes[child].choices])))
                    break
            else:
                state[node] = 2
                stack.pop()
    return False


def _note_changes(changes, before: dict[str, int], meters, result: Exploration) -> dict[str, int]:
    """Record which meter changes are applied and which actually move a meter (not clamped away)."""
    values = dict(before)
    for change in changes:
        result.changes_applied.add(change)
        old = values[change.meter]
        new = meters[change.meter].clamp(change.apply(old))
        if new != old:
            result.changes_effective.add(change)
        values[change.meter] = new
    return values


def _note_choice(choice: Choice, meters_before: dict[str, int], story: Story, result: Exploration,
                 settled: set[str]) -> None:
    """Effects of the choice, then the destination's on_enter, in the order the engine applies them."""
    entered = story.scenes[choice.goto].on_enter.meters
    after = _note_changes(choice.effects.meters, meters_before, story.meters, result) \
        if choice.effects.meters else meters_before
    if entered:
        _note_changes(entered, after, story.meters, result)
    if all(c in result.changes_effective for c in choice.effects.meters + entered):
        settled.add(choice.id)


def _stuck(stepper: Stepper, scene: str, path: tuple[str, ...], via_skip: bool, start, overrides) -> StuckState:
    """The exact state at the end of `path` (explored states keep only what still matters)."""
    state = stepper.start(start, overrides)
    for move in path:
        state = stepper.skip(state) if move == SKIP else stepper.choose(state, stepper.story.choice(move))
    assert state[0] == scene
    return StuckState(scene, stepper.meters(state), state[2], path, via_skip)


def _find_traps(story: Story, keys, successors, path_to, stepper, start, overrides, result: Exploration) -> None:
    """States that can move on forever but never reach an ending (nor a softlock, reported apart):
    goto cycles with no way out."""
    count = len(keys)
    predecessors: list[list[int]] = [[] for _ in range(count)]
    for i, out in enumerate(successors):
        for j in out:
            predecessors[j].append(i)

    def backwards(seeds) -> bytearray:
        marked = bytearray(count)
        queue = deque(seeds)
        for i in queue:
            marked[i] = 1
        while queue:
            for i in predecessors[queue.popleft()]:
                if not marked[i]:
                    marked[i] = 1
                    queue.append(i)
        return marked

    can_end = backwards(i for i in range(count) if story.scenes[keys[i][0]].ending is not None)
    can_stick = backwards(i for i in range(count)
                          if not successors[i] and story.scenes[keys[i][0]].ending is None)
    trapped = [i for i in range(count) if not can_end[i] and not can_stick[i]]
    result.trapped_states = len(trapped)
    if not trapped:
        return
    # Every trapped state leads into a cycle. Report each cycle once, by the scenes it goes round,
    # with the shortest path to a state from which there is no way out any more.
    cycles: dict[frozenset[str], list[int]] = {}
    for component in _cycles(trapped, successors):
        scenes = frozenset(keys[m][0] for m in component)
        cycles.setdefault(scenes, []).extend(component)
    label: dict[int, frozenset[str]] = {}
    queue = deque()
    for scenes, members in cycles.items():
        for m in members:
            label[m] = scenes
            queue.append(m)
    trapped_set = set(trapped)
    while queue:
        j = queue.popleft()
        for i in predecessors[j]:
            if i in trapped_set and i not in label:
                label[i] = label[j]
                queue.append(i)
    entry: dict[frozenset[str], int] = {}
    for i in trapped:
        entry.setdefault(label[i], i)
    order = list(story.scenes)
    for scenes, first in sorted(entry.items(), key=lambda item: item[1]):
        result.traps.append(Trap(tuple(sorted(scenes, key=order.index)),
                                 _stuck(stepper, keys[first][0], path_to(first), first >= result.choice_states,
                                        start, overrides),
                                 len(cycles[scenes])))


def _cycles(nodes: list[int], successors) -> list[list[int]]:
    """The strongly connected components among `nodes` that hold a cycle (Tarjan's, iterative)."""
    inside = set(nodes)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            out = [j for j in successors[node] if j in inside]
            if child < len(out):
                work.append((node, child + 1))
                nxt = out[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            for j in out:
                if j in on_stack:
                    low[node] = min(low[node], low[j])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in successors[node]:
                    found.append(component)
    return found
