"""Exhaustive exploration: every reachable (scene, state) of a story, each visited once.

Moves go through the story's own `transitions` machine (see `game.tools.stepper`), so what it
finds is what players get. States are deduplicated by a key that keeps only what can still
change what happens:

- the scene, and every meter's value (kept exact, so meter findings are exact too);
- the flags that are *live* in that scene: some condition that can still come (a choice, or a
  paragraph, here or in a scene reachable from here) reads the flag before anything sets or
  clears it for certain. A flag nothing will read again cannot change the story;
- for visits, only whether each live scene read with `visited()` was entered (counts are never
  read);
- remembered lines are dropped (no rule reads them).

The walk is breadth-first, so the first path found to anything is a shortest one. It runs in
two phases: first by choices alone (what a story "reaches"), then again from every state with
"skip this scene" moves added, so a skip that lands the player in a state with no way on is
found too.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from game.engine.state import Playthrough
from game.story.model import Choice, MeterChange, Story
from game.tools.stepper import State, Stepper, View

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
    endings: dict[str, tuple[str, ...]] = field(default_factory=dict)        # ending scene -> shortest path
    scene_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)    # scene -> shortest path
    meter_values: dict[str, set[int]] = field(default_factory=dict)
    flags_seen: set[str] = field(default_factory=set)
    changes_applied: set[MeterChange] = field(default_factory=set)  # applied on some reachable move
    changes_effective: set[MeterChange] = field(default_factory=set)
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
        for condition in [c.condition for c in scene.choices] + [p.condition for p in scene.text]:
            if condition is not None:
                _, flags, scenes = condition.names()
                found |= flags | {("visited", s) for s in scenes}
        reads[scene.id] = found
    edges: dict[str, list[tuple[str, frozenset]]] = {}
    for scene in story.scenes.values():
        out = []
        for choice in scene.choices:
            out.append((choice.goto, frozenset(choice.effects.set) | frozenset(choice.effects.clear)))
        if scene.skip_to:
            out.append((scene.skip_to, frozenset()))
        edges[scene.id] = out
    entry_kills = {s.id: frozenset(s.on_enter.set) | frozenset(s.on_enter.clear) | {("visited", s.id)}
                   for s in story.scenes.values()}
    live: dict[str, set] = {sid: set(r) for sid, r in reads.items()}
    changed = True
    while changed:
        changed = False
        for sid in reversed(list(story.scenes)):
            new = set(reads[sid])
            for goto, kills in edges[sid]:
                new |= live[goto] - entry_kills[goto] - kills
            if new != live[sid]:
                live[sid] = new
                changed = True
    return {sid: (frozenset(x for x in names if isinstance(x, str)),
                  frozenset(x[1] for x in names if isinstance(x, tuple)))
            for sid, names in live.items()}


def explore(story: Story, *, max_states: int = DEFAULT_MAX_STATES, skips: bool = True,
            start: str | None = None, overrides: dict[str, int | bool] | None = None,
            cache: bool = True) -> Exploration:
    """Walk every reachable state of `story` (up to `max_states`), through the engine's machine."""
    began = time.perf_counter()
    stepper = Stepper(story, cache=cache)
    scenes = story.scenes
    meter_names = stepper.meter_names
    live = liveness(story)
    result = Exploration(story, max_states)
    result.meter_values = {name: set() for name in meter_names}
    interned: dict[frozenset, frozenset] = {}

    def project(state: State) -> State:
        scene, meters, flags, visited = state
        live_flags, live_visits = live[scene]
        flags = flags & live_flags if flags else flags
        visited = visited & live_visits if visited else visited
        return (scene, meters, interned.setdefault(flags, flags), interned.setdefault(visited, visited))

    first = stepper.start(start, overrides)
    start_values = Playthrough.begin(story, start).meters
    for name, value in (overrides or {}).items():
        if name in story.meters:
            start_values[name] = story.meters[name].clamp(int(value))
    _note_changes(scenes[first[0]].on_enter.meters, start_values, story.meters, result)
    result.flags_seen.update(first[2])

    keys: list[State] = [project(first)]
    index: dict[State, int] = {keys[0]: 0}
    parent: list[int] = [-1]
    via: list[object] = [None]          # the Choice taken, or the skipped scene's id
    successors: list[tuple[int, ...]] = [()]   # by choices only
    queue = deque([0])
    full = False
    moves = 0

    def path_to(i: int) -> tuple[str, ...]:
        moves = []
        while parent[i] >= 0:
            move = via[i]
            moves.append(SKIP if isinstance(move, str) else move.id)
            i = parent[i]
        return tuple(reversed(moves))

    def add(state: State, from_id: int, move: object) -> int:
        nonlocal full, moves
        moves += 1
        scene, meters, flags, visited = state
        live_flags, live_visits = live[scene]
        if flags:
            flags = flags & live_flags
            flags = interned.setdefault(flags, flags)
        if visited:
            visited = visited & live_visits
            visited = interned.setdefault(visited, visited)
        key = (scene, meters, flags, visited)
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
        via.append(move)
        successors.append(())
        queue.append(new)
        return new

    choices_taken = result.choices_taken
    shown_locked = result.choices_shown_locked
    text_shown = result.text_shown
    reached = result.scenes_reached
    flags_seen = result.flags_seen
    settled: set[str] = set()   # choices whose meter changes have all been seen to move a meter

    # Per scene: the scene, whether anything there reads state, and its paragraphs still unshown.
    plans = {sid: (scene, any(c.condition for c in scene.choices) or any(p.condition for p in scene.text),
                   [(n, p.condition) for n, p in enumerate(scene.text) if p.condition is not None])
             for sid, scene in scenes.items()}

    def expand(i: int, choice_phase: bool) -> None:
        state = keys[i]
        scene, reads, unshown = plans[state[0]]
        view = View(dict(zip(meter_names, state[1])), state[2], dict.fromkeys(state[3], 1)) if reads else None
        if choice_phase:
            if scene.id not in reached:
                reached.add(scene.id)
                result.scene_paths[scene.id] = path_to(i)
                if scene.ending is not None:
                    result.endings[scene.id] = result.scene_paths[scene.id]
            if unshown:
                for entry in list(unshown):
                    if entry[1](view):
                        text_shown.add((scene.id, entry[0]))
                        unshown.remove(entry)
        if scene.ending is not None:
            return
        out: list[int] = []
        for choice in scene.choices:
            condition = choice.condition
            if condition is not None and not condition(view):
                if choice_phase and choice.locked:
                    shown_locked.add(choice.id)
                continue
            moved = stepper.choose(state, choice)
            if choice_phase:
                if choice.id not in settled:
                    choices_taken.add(choice.id)
                    _note_choice(choice, dict(zip(meter_names, state[1])), story, result, settled)
                if moved[2]:
                    flags_seen.update(moved[2])
            target = add(moved, i, choice)
            if target < 0:
                return
            out.append(target)
        successors[i] = tuple(out)
        if not out:
            result.softlocks.setdefault(scene.id, _stuck(state, meter_names, path_to(i), not choice_phase))
        if not choice_phase:
            skip_from(i)

    def skip_from(i: int) -> None:
        state = keys[i]
        if scenes[state[0]].skip_to:
            add(stepper.skip(state), i, state[0])

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

    result.states = len(keys)
    result.complete = not full
    result.engine_moves = stepper.engine_moves
    result.replayed_moves = moves - stepper.engine_moves
    for key in keys[: result.choice_states]:
        for name, value in zip(meter_names, key[1]):
            result.meter_values[name].add(value)
    for key in keys[result.choice_states:]:
        if key[0] not in reached:
            result.scenes_reached_by_skip.add(key[0])
    if result.complete:
        _find_traps(story, keys, successors, path_to, meter_names, result)
    result.seconds = time.perf_counter() - began
    return result


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


def _stuck(key: State, meter_names, path, via_skip: bool) -> StuckState:
    return StuckState(key[0], dict(zip(meter_names, key[1])), key[2], path, via_skip)


def _find_traps(story: Story, keys, successors, path_to, meter_names, result: Exploration) -> None:
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
                                 _stuck(keys[first], meter_names, path_to(first), first >= result.choice_states),
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
