"""Exhaustive exploration: every reachable (scene, state) of a story, each visited once.

Moves are made by the engine's rules core (`game.engine.rules`, the functions the live game's
machine calls), so what it finds is what players get, skips included. States are deduplicated by a
key that keeps only what can still change where the story goes, so that two states with the same
key have the same moves and futures:

- the scene;
- each meter's value, up to what is still to come: two values are the same when no later
  choice's condition can tell them apart (see `meter_classes`). So choices and endings are
  found exactly;
- the flags that are *live* in that scene: some choice's condition still to come (here or in a
  scene reachable from here) reads the flag before anything sets or clears it for certain;
- for visits, each live scene's count, capped where no condition can tell more visits apart
  (`visit_caps`: 1 for `visited()`, k + 1 for `visits(s) >= k`);
- remembered lines are dropped (no rule reads them).

What the texts' conditions read (paragraphs, thoughts, choice texts, inline ifs, ending titles)
is not kept in the key: it changes what a player reads, never where the story can go. Which of
those conditions can hold, and fail, in each scene is found afterwards by a fixpoint over the
walk's graph (`game.tools.text_reach`), exactly; a condition on too many values at once is kept in
the key instead and evaluated in the states, as the choices' are. Which effects move a meter
and which are always clamped away is found the same way, from every value a meter can have
where each choice is open (or, when a meter is too wide for a mask, by keeping in the key
whether it is at a bound an effect ahead can hit).

Stuck states are reported with their exact meters and flags, by replaying their path.

The walk is breadth-first, so the first path found to anything is a shortest one. It runs in
two phases: first by choices alone (what a story "reaches"), then again from every state with
"skip this scene" moves added, so a skip that lands the player in a state with no way on is
found too.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from game.engine import rules
from game.engine.rules import State
from game.story.conditions import BoolOp, Compare, Name, Not, Num, Visited, Visits
from game.story.load import gc_paused
from game.story.model import Choice, MeterChange, Story
from game.story.texts import conditions_read
from game.tools.text_reach import TextPlan

DEFAULT_MAX_STATES = 1_000_000
SKIP = "skip"
EMPTY: frozenset = frozenset()
Key = tuple  # (scene, meter classes: tuple[int, ...], live flags: frozenset, live visits: frozenset of (scene, capped count))


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
    moves: int = 0                  # moves made by the rules core (each distinct state's each open move)
    scenes_reached: set[str] = field(default_factory=set)
    scenes_reached_by_skip: set[str] = field(default_factory=set)
    choices_taken: set[str] = field(default_factory=set)
    choices_shown_locked: set[str] = field(default_factory=set)
    text_shown: set[tuple[str, int]] = field(default_factory=set)
    # Conditions in texts (items' `if:` and inline ifs), by (scene, key): seen true / seen false.
    text_true: set[tuple[str, str]] = field(default_factory=set)
    text_false: set[tuple[str, str]] = field(default_factory=set)
    # Choices shown with every item of their text hidden (format 2 lists): choice id -> shortest path.
    textless_choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
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
        """Scenes no move reaches, by choices or by skipping."""
        return [s for s in self.story.scenes if s not in self.scenes_reached and s not in self.scenes_reached_by_skip]

    def unreached_endings(self) -> list[str]:
        return [s.id for s in self.story.endings if s.id in self.unreached_scenes()]

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


def liveness(story: Story, reads_of: dict[str, list] | None = None) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """For each scene, the (flags, visited scenes) that can still be read from there on.

    A backwards data-flow fixpoint over the scene graph, guards ignored (so it over-approximates,
    which keeps the projection exact): live(X) is what X's conditions read, plus what is live on
    entering each scene X can move to, minus what the move sets or clears for certain. Entering a
    scene marks it visited, and its `on_enter` flags apply on every entry, skips included.
    `reads_of`: the conditions read in each scene (default: all, the choices' and the texts').
    """
    reads: dict[str, set] = {}
    for scene in story.scenes.values():
        found: set = set()
        for condition in _reads(scene, reads_of):
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
    caps = visit_caps(story, reads_of)  # entering a scene whose count matters does not settle its count: no kill
    entry_kills = {s.id: frozenset(s.on_enter.set) | frozenset(s.on_enter.clear)
                   | (frozenset() if caps.get(s.id, 1) > 1 else {("visited", s.id)})
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
    return {sid: (frozenset(x for x in names if isinstance(x, str)),
                  frozenset(x[1] for x in names if isinstance(x, tuple)))
            for sid, names in live.items()}


def _reads(scene, reads_of: dict[str, list] | None) -> list:
    """The conditions read in a scene: those given, or every one (choices' and texts')."""
    return conditions_read(scene) if reads_of is None else reads_of[scene.id]


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


def meter_classes(story: Story, reads_of: dict[str, list] | None = None,
                  clamps: bool = True) -> dict[str, tuple[tuple[int, ...], ...]]:
    """For each scene, and each meter, the value that stands for each value of the meter there.

    Two values of a meter are interchangeable in a scene when no condition still to come can tell
    them apart and no effect still to come moves one but not the other (one is clamped at a bound,
    the other not). Conditions compare a meter with numbers, so each threshold is a "cut": whether
    the value is at least c. A cut c after an effect `+d` is the cut c-d before it (clamping keeps
    this exact inside the bounds, and outside them the test no longer depends on the value); after
    `=N` nothing before matters. An effect's own cuts (is the meter already at its max, or min, or
    at N?) are added where it applies, so clamp findings stay exact. A backwards fixpoint over the
    scene graph, guards ignored. The result maps each value (from the meter's min) to the lowest
    value of its class. `reads_of` as for `liveness`; without `clamps`, an effect adds no cuts
    of its own (for a walk that finds which effects move a meter another way).
    """
    meters = list(story.meters.values())
    names = [m.name for m in meters]

    def within(meter, values) -> set[int]:
        return {v for v in values if meter.min < v <= meter.max}

    reads: dict[str, list[set[int]]] = {}
    for scene in story.scenes.values():
        found = [set() for _ in meters]
        for condition in _reads(scene, reads_of):
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
                cuts = within(meter, {target, target + 1}) if clamps else set()
            else:
                cuts = within(meter, {c - change.amount for c in cuts})
                if not clamps:
                    pass
                elif change.amount > 0:
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
            start: str | None = None, overrides: dict[str, int | bool] | None = None) -> Exploration:
    """Walk every reachable state of `story` (up to `max_states`), by the engine's rules core.

    The walk builds hundreds of thousands of small tuples and no reference cycles, so the cyclic
    garbage collector is paused while it runs (it would rescan them all, again and again).
    """
    with gc_paused():
        return _explore(story, max_states, skips, start, overrides)


def _explore(story: Story, max_states: int, skips: bool, start: str | None,
             overrides: dict[str, int | bool] | None) -> Exploration:
    began = time.perf_counter()
    scenes = story.scenes
    meter_names = tuple(story.meters)
    meter_lows = tuple(story.meters[n].min for n in meter_names)
    first = rules.begin(story, start, overrides)
    # The texts' conditions are found by masks over the walk's graph (see game.tools.text_reach);
    # the states keep what the choices' conditions read, and what the masks cannot hold.
    plan = TextPlan(story, first, visit_caps(story))
    reads = plan.key_reads
    live = liveness(story, reads)
    # Which effects move a meter is found by masks too, when every changed meter fits one.
    by_masks = plan.meter_groups is not None
    classes = meter_classes(story, reads, clamps=not by_masks)
    caps = visit_caps(story, reads)
    result = Exploration(story, max_states)
    interned: dict[frozenset, frozenset] = {}
    # Per scene: how to project a state arriving there (live flags, live visits, meter classes).
    projections = {sid: (live[sid][0], live[sid][1], classes[sid]) for sid in scenes}

    start_values = {m.name: m.start for m in story.meters.values()}
    for name, value in (overrides or {}).items():
        if name in story.meters:
            start_values[name] = story.meters[name].clamp(int(value))
    _note_changes(scenes[first.scene].on_enter.meters, start_values, story.meters, result)
    flags_seen = set(first.flags)

    keys: list[Key] = []
    index: dict[Key, int] = {}
    parent: list[int] = []
    depth: list[int] = []               # moves from the start
    via: list[object] = []              # the Choice taken, or the skipped scene's id
    choice_edges: list[list] = []       # per state: (next state, text_reach.Move, Choice) per open choice
    skip_edges: list = []               # per state: (next state, Move) of its skip, or None
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

    def project(state: State) -> Key:
        """The key of a state: only what can still change what happens from its scene on."""
        scene = state.scene
        live_flags, live_visits, rows = projections[scene]
        values = state.meters
        shown = tuple([row[values[n] - low] for row, n, low in zip(rows, meter_names, meter_lows)])
        flags = state.flags & live_flags
        visited = frozenset([(s, n if n < caps[s] else caps[s]) for s, n in state.visits.items()
                             if s in live_visits]) if live_visits else EMPTY
        return (scene, shown, interned.setdefault(flags, flags), interned.setdefault(visited, visited))

    watched = rules.watched(story)
    landed: dict[str, tuple] = {}

    def land_visits(visited: frozenset, goto: str) -> frozenset:
        """Visits after entering `goto` (counted when watched, as `rules.enter` does), projected."""
        counts = dict(visited)
        if goto in watched:
            counts[goto] = counts.get(goto, 0) + 1
        live_visits = projections[goto][1]
        found = frozenset([(s, n if n < caps[s] else caps[s]) for s, n in counts.items() if s in live_visits]) \
            if live_visits else EMPTY
        return interned.setdefault(found, found)

    def state_of(key: Key) -> State:
        scene, meters, flags, visited = key
        return State(scene, dict(zip(meter_names, meters)), flags, dict(visited))

    def add(key: Key, from_id: int, move: object) -> int:
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
        choice_edges.append(NO_EDGES)
        skip_edges.append(None)
        queue.append(new)
        return new

    cyclic = _has_cycle(story)  # without a cycle there are no traps, and no need for the state graph
    add(project(first), -1, None)
    choices_taken = result.choices_taken
    shown_locked = result.choices_shown_locked
    reached = result.scenes_reached
    by_skip = result.scenes_reached_by_skip
    settled: set[str] = set()   # choices whose meter changes have all been seen to move a meter
    # Per scene: the text conditions the states evaluate whose two outcomes have not both been seen.
    unsettled = {sid: list(plan.in_key[sid]) for sid in scenes}
    text_true, text_false = result.text_true, result.text_false
    textless = result.textless_choices
    textless_in_key = plan.textless_in_key
    textless_masked = plan.textless
    shown_at: dict[str, set[int]] = {cid: set() for cid in textless_masked}  # states showing the choice
    open_at: dict[str, list[int]] = {}  # by masks: the states in which each choice with meter changes is open
    with_changes = {c.id for s in scenes.values() for c in s.choices
                    if c.effects.meters or scenes[c.goto].on_enter.meters}

    def expand(i: int, choice_phase: bool) -> None:
        nonlocal moves
        key = keys[i]
        sid = key[0]
        scene = scenes[sid]
        state = state_of(key)
        if sid not in reached and sid not in by_skip:
            (reached if choice_phase else by_skip).add(sid)
            result.scene_depth[sid] = depth[i]
            if scene.ending is not None:
                result.endings[sid] = path_to(i)
        pending = unsettled[sid]
        if pending:
            for entry in list(pending):
                (text_true if entry[2](state) else text_false).add(entry[:2])
                if entry[:2] in text_true and entry[:2] in text_false:
                    pending.remove(entry)
        if scene.ending is not None:
            return
        out: list[tuple] = []
        for choice, is_open in rules.choice_states(story, state):
            cid = choice.id
            if is_open or choice.locked:
                if cid in textless_masked:
                    shown_at[cid].add(i)
                elif cid in textless_in_key and cid not in textless \
                        and not any(p.condition(state) for p in choice.text_parts):
                    textless[cid] = path_to(i)
            if not is_open:
                if choice.locked:
                    shown_locked.add(cid)
                continue
            # The state the move lands in, projected for its scene: the rules core's compiled
            # effects (`rules.landing`, what `rules.choose` applies), memoised per choice.
            memo = landed.get(cid)
            if memo is None:
                memo = landed[cid] = ({}, {}, {}, rules.landing(story, choice), plan.choice_move(choice))
            by_meters, by_flags, by_visits, (effects, entry, goto), text_move = memo
            meters = by_meters.get(key[1])
            if meters is None:
                values = entry.meter_tuple(effects.meter_tuple(key[1]))
                rows = projections[goto][2]
                meters = by_meters[key[1]] = tuple([row[v - low] for row, v, low in zip(rows, values, meter_lows)])
            flags = by_flags.get(key[2])
            if flags is None:
                after_flags = entry.flags(effects.flags(key[2]))
                flags_seen.update(after_flags)
                flags = after_flags & projections[goto][0]
                flags = by_flags[key[2]] = interned.setdefault(flags, flags)
            visited = by_visits.get(key[3])
            if visited is None:
                visited = by_visits[key[3]] = land_visits(key[3], goto)
            if by_masks:
                choices_taken.add(cid)
                if cid in with_changes:
                    open_at.setdefault(cid, []).append(i)
            elif cid not in settled:
                choices_taken.add(cid)
                _note_choice(choice, state.meters, story, result, settled)
            target = add((goto, meters, flags, visited), i, choice)
            if target < 0:
                break
            out.append((target, text_move, choice))
        moves += len(out)
        choice_edges[i] = out
        if not out and not full:
            result.softlocks.setdefault(sid, _stuck(story, sid, path_to(i), not choice_phase, start, overrides))
        if not choice_phase and scene.skip_route and not full:
            skip_from(i)

    skipped: dict[str, tuple] = {}

    def skip_from(i: int) -> None:
        """The move "skip this scene" from state i (`rules.skip_landing`, what `rules.skip`
        applies), memoised per scene like the choices."""
        nonlocal moves
        key = keys[i]
        memo = skipped.get(key[0])
        if memo is None:
            landing_ = rules.skip_landing(story, key[0])
            memo = skipped[key[0]] = ({}, {}, {}, landing_,
                                      None if landing_ is None else plan.skip_move(key[0], landing_))
        by_meters, by_flags, by_visits, landing_, text_move = memo
        if landing_ is None:
            return
        entry, target = landing_
        moves += 1
        meters = by_meters.get(key[1])
        if meters is None:
            rows = projections[target][2]
            meters = by_meters[key[1]] = tuple([row[v - low] for row, v, low in zip(rows, key[1], meter_lows)])
        flags = by_flags.get(key[2])
        if flags is None:
            after_flags = entry.flags(key[2])
            flags_seen.update(after_flags)
            flags = after_flags & projections[target][0]
            flags = by_flags[key[2]] = interned.setdefault(flags, flags)
        visited = by_visits.get(key[3])
        if visited is None:
            visited = by_visits[key[3]] = land_visits(key[3], target)
        j = add((target, meters, flags, visited), i, key[0])
        if j >= 0:
            skip_edges[i] = (j, text_move)

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

    result.flags_seen = flags_seen
    result.states = len(keys)
    result.moves = moves
    result.complete = not full
    _by_masks(story, plan, keys, choice_edges, skip_edges, shown_at, open_at, result)
    if result.complete and cyclic:
        successors = [tuple(j for j, _, _ in out) for out in choice_edges]
        _find_traps(story, keys, successors, path_to, start, overrides, result)
    result.seconds = time.perf_counter() - began
    return result


NO_EDGES: list = []  # a state not expanded (yet)


def _by_masks(story: Story, plan: TextPlan, keys: list, choice_edges: list, skip_edges: list,
              shown_at: dict[str, set[int]], open_at: dict[str, list[int]], result: Exploration) -> None:
    """What the masks tell of the states found (`TextPlan.reach`): which texts' conditions hold,
    which fail, which paragraphs show, which choices can show with no text, and which meter
    changes are applied and which move their meter (with every value it can have before)."""
    packed = plan.reach(choice_edges, skip_edges)
    for cid, states in open_at.items():
        possible = 0
        for i in states:
            possible |= packed[i]
        choice = story.choice(cid)
        changes = choice.effects.meters + story.scenes[choice.goto].on_enter.meters
        result.changes_applied.update(changes)
        for name in dict.fromkeys(c.meter for c in changes):
            meter = story.meters[name]
            group = plan.meter_groups[name]
            values = possible >> group.offset & group.full
            for before in range(group.size):
                if not values >> before & 1:
                    continue
                value = meter.min + before
                for change in changes:
                    if change.meter == name:
                        new = meter.clamp(change.apply(value))
                        if new != value:
                            result.changes_effective.add(change)
                        value = new
    by_scene: dict[str, int] = {}
    for key, values in zip(keys, packed):
        by_scene[key[0]] = by_scene.get(key[0], 0) | values
    for sid, values in by_scene.items():
        for key, group, holds in plan.masked[sid]:
            possible = values >> group.offset & group.full
            if possible & holds:
                result.text_true.add((sid, key))
            if possible & ~holds:
                result.text_false.add((sid, key))
    for cid, (group, none_shown) in plan.textless.items():
        states = shown_at[cid]
        if cid not in result.textless_choices and any(packed[i] >> group.offset & none_shown for i in states):
            found = plan.first_textless(cid, states, choice_edges, skip_edges, SKIP)
            if found is not None:
                result.textless_choices[cid] = found
    for sid, scene in story.scenes.items():
        for n, part in enumerate(scene.text):
            if part.condition is not None and (sid, f"text.{n}") in result.text_true:
                result.text_shown.add((sid, n))


VISIT_CAP = 20  # visits compared with something other than a number are told apart up to this count


def visit_caps(story: Story, reads_of: dict[str, list] | None = None) -> dict[str, int]:
    """For each scene whose visits a condition reads, the count from which more visits can no
    longer change a condition: 1 for `visited(s)`, k + 1 for `visits(s) >= k` and the like (and
    VISIT_CAP when visits are compared with a meter or other visits). States keep counts capped
    there, so a loop through a scene does not make new states forever."""
    caps: dict[str, int] = {}

    def note(scene: str, cap: int) -> None:
        caps[scene] = max(caps.get(scene, 1), cap)

    def walk(node) -> None:
        if isinstance(node, Visited):
            note(node.scene, 1)
        elif isinstance(node, Visits):
            note(node.scene, VISIT_CAP)
        elif isinstance(node, Compare):
            for one, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(one, Visits):
                    note(one.scene, other.value + 1 if isinstance(other, Num) else VISIT_CAP)
                elif not isinstance(one, Num):
                    walk(one)
        elif isinstance(node, Not):
            walk(node.operand)
        elif isinstance(node, BoolOp):
            for operand in node.operands:
                walk(operand)

    for scene in story.scenes.values():
        for condition in _reads(scene, reads_of):
            if condition is not None:
                walk(condition.tree)
    for scene in rules.watched(story):
        caps.setdefault(scene, 1)
    return caps


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


def _stuck(story: Story, scene: str, path: tuple[str, ...], via_skip: bool, start, overrides) -> StuckState:
    """The exact state at the end of `path` (explored states keep only what still matters)."""
    state = rules.begin(story, start, overrides)
    for move in path:
        state = rules.skip(story, state) if move == SKIP else rules.choose(story, state, story.choice(move))
    assert state.scene == scene
    return StuckState(scene, dict(state.meters), state.flags, path, via_skip)


def _find_traps(story: Story, keys, successors, path_to, start, overrides, result: Exploration) -> None:
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
                                 _stuck(story, keys[first][0], path_to(first), first >= result.choice_states,
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
