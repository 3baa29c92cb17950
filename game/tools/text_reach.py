"""Which text conditions can hold where, without keeping what they read in the explorer's states.

A text condition (a paragraph's or a choice text's `if:`, an inline ((if …)), an ending title's)
changes what a player reads, never where the story can go. So the explorer's states keep only
what the choices' conditions read (and what each effect's clamping needs), and this pass finds,
for every state of that smaller graph, every value the texts' variables can have there.

Why that is exact: a variable's value after a path depends only on the moves made (an effect
sets, clears or moves it; entering a scene counts a visit), never on another variable. The
explorer's graph has exactly the move sequences of play (its states keep everything that decides
which moves are open, and a state's moves lead to the same next states whatever else differs).
So the values a group of variables can have in a state of that graph are the values at the end
of the paths to it: a forward fixpoint over the graph, each group's possible valuations a
bitmask, all groups packed into one int per state. A condition is seen true in a scene when a
valuation that satisfies it is possible in one of the scene's states.

The variables one condition reads are kept together (a group), so a condition on two of them
sees their joint values, not each alone. A group with more than MAX_GROUP valuations is not
masked: the explorer keeps its variables in its states and evaluates that condition there.
Each meter an effect changes has a group of its own, so the explorer can tell which effects
move a meter from every value it can have where the choice is open.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from game.engine import rules
from game.engine.rules import State
from game.story.conditions import Condition
from game.story.model import Choice, Story
from game.story.texts import text_conditions

MAX_GROUP = 4096  # valuations of one group of variables; beyond this the explorer keeps them


@dataclass(slots=True)
class Group:
    """Variables read together, as ("meter" | "flag" | "visits", name), and their valuations:
    a valuation is a mixed-radix index over the variables' values (a meter's from its min,
    a flag's 0 or 1, a visit count's from 0 up to its cap)."""

    names: tuple[tuple[str, str], ...]
    sizes: tuple[int, ...]
    size: int
    offset: int = 0  # where its bits start in a state's packed int

    @property
    def full(self) -> int:
        return (1 << self.size) - 1


class Move:
    """One move's effect on every group: untouched groups' bits are kept as they are (`keep`),
    each touched group's valuations are mapped by a table (each mask's image memoised)."""

    __slots__ = ("keep", "parts", "tables")

    def __init__(self, keep: int, parts: list[tuple[int, int, tuple[int, ...], dict]], tables: dict[int, tuple]):
        self.keep = keep
        self.parts = parts
        self.tables = tables  # group offset -> table (touched groups only)

    def apply(self, packed: int) -> int:
        out = packed & self.keep
        for offset, full, table, memo in self.parts:
            sub = (packed >> offset) & full
            image = memo.get(sub)
            if image is None:
                image, rest = 0, sub
                while rest:
                    low = rest & -rest
                    image |= 1 << table[low.bit_length() - 1]
                    rest ^= low
                memo[sub] = image
            out |= image << offset
        return out


class TextPlan:
    """For one story: which text conditions are masked (and in which group), which the explorer
    must evaluate in its own states, and what the explorer's states must keep for those."""

    def __init__(self, story: Story, first: State, caps: dict[str, int]):
        self.story = story
        self.caps = caps
        self.watched = rules.watched(story)
        self.groups: dict[tuple, Group] = {}
        # scene -> (key, group, satisfying valuations) of its masked text conditions
        self.masked: dict[str, list[tuple[str, Group, int]]] = {}
        # scene -> (scene, key, condition) of the text conditions the explorer's states evaluate
        self.in_key: dict[str, list[tuple[str, str, Condition]]] = {}
        # choices whose every text item has a condition: masked (group, valuations with no item shown)
        self.textless: dict[str, tuple[Group, int]] = {}
        self.textless_in_key: set[str] = set()
        # scene -> the conditions the explorer's states must be able to evaluate there
        self.key_reads: dict[str, list[Condition]] = {}
        self._first = first
        self._moves: dict[object, Move] = {}
        for scene in story.scenes.values():
            reads = [c.condition for c in scene.choices if c.condition is not None]
            masked, in_key = [], []
            for item in text_conditions(scene):
                group = self._group(item.condition.names())
                if group is None:
                    in_key.append((scene.id, item.key, item.condition))
                    reads.append(item.condition)
                else:
                    masked.append((item.key, group, self._satisfying(group, item.condition)))
            for choice in scene.choices:
                if choice.text_parts and all(p.condition is not None for p in choice.text_parts):
                    names = [p.condition.names() for p in choice.text_parts]
                    group = self._group(tuple(set().union(*(n[i] for n in names)) for i in range(3)))
                    if group is None:
                        self.textless_in_key.add(choice.id)
                        reads += [p.condition for p in choice.text_parts]
                    else:
                        self.textless[choice.id] = (group, self._none_shown(group, choice))
            self.masked[scene.id] = masked
            self.in_key[scene.id] = in_key
            self.key_reads[scene.id] = reads
        # Per meter an effect changes, its own group (which effects move it are found by masks),
        # or None when one of them is too wide for a mask.
        changed = {c.meter for s in story.scenes.values() for e in (s.on_enter, *(c.effects for c in s.choices))
                   for c in e.meters}
        meter_groups = {name: self._group(({name}, set(), set())) for name in sorted(changed)}
        self.meter_groups = None if None in meter_groups.values() else meter_groups
        offset = 0
        self.by_variable: dict[tuple[str, str], list[Group]] = {}  # the groups each variable is in
        for group in self.groups.values():
            group.offset = offset
            offset += group.size
            for variable in group.names:
                self.by_variable.setdefault(variable, []).append(group)
        self.everything = (1 << offset) - 1
        self.start = 0
        for group in self.groups.values():
            self.start |= 1 << (group.offset + self._index(group, first))

    # --- groups ---------------------------------------------------------------------------------

    def _group(self, names: tuple[set[str], set[str], set[str]]) -> Group | None:
        meters, flags, scenes = names
        key = (tuple(sorted(meters)), tuple(sorted(flags)), tuple(sorted(scenes)))
        found = self.groups.get(key)
        if found is not None:
            return found
        story = self.story
        variables = [("meter", m) for m in key[0]] + [("flag", f) for f in key[1]] + [("visits", s) for s in key[2]]
        sizes = []
        for kind, name in variables:
            if kind == "meter":
                sizes.append(story.meters[name].max - story.meters[name].min + 1)
            elif kind == "flag":
                sizes.append(2)
            else:
                sizes.append(self.caps.get(name, 1) + 1)
        size = 1
        for n in sizes:
            size *= n
        if size > MAX_GROUP:
            return None
        found = self.groups[key] = Group(tuple(variables), tuple(sizes), size)
        return found

    def _values(self, group: Group, index: int) -> list[int]:
        values = []
        for n in group.sizes:
            index, value = divmod(index, n)
            values.append(value)
        return values

    def _encode(self, group: Group, values: list[int]) -> int:
        index, stride = 0, 1
        for value, n in zip(values, group.sizes):
            index += value * stride
            stride *= n
        return index

    def _index(self, group: Group, state: State) -> int:
        """A full state's valuation of the group."""
        values = []
        for kind, name in group.names:
            if kind == "meter":
                values.append(state.meters[name] - self.story.meters[name].min)
            elif kind == "flag":
                values.append(int(name in state.flags))
            else:
                values.append(min(state.visits.get(name, 0), self.caps.get(name, 1)))
        return self._encode(group, values)

    def _state(self, group: Group, index: int) -> State:
        """A state holding a valuation of the group (every other variable at its start)."""
        story = self.story
        meters = {m.name: m.start for m in story.meters.values()}
        flags, visits = set(), {}
        for (kind, name), value in zip(group.names, self._values(group, index)):
            if kind == "meter":
                meters[name] = story.meters[name].min + value
            elif kind == "flag":
                if value:
                    flags.add(name)
            else:
                visits[name] = value
        return State(self._first.scene, meters, frozenset(flags), visits)

    def _satisfying(self, group: Group, condition: Condition) -> int:
        mask = 0
        for index in range(group.size):
            if condition(self._state(group, index)):
                mask |= 1 << index
        return mask

    def _none_shown(self, group: Group, choice: Choice) -> int:
        mask = 0
        for index in range(group.size):
            state = self._state(group, index)
            if not any(p.condition(state) for p in choice.text_parts):
                mask |= 1 << index
        return mask

    # --- moves ----------------------------------------------------------------------------------

    def choice_move(self, choice: Choice) -> Move:
        """What taking `choice` does to every group (`rules.landing`, what `rules.choose` applies)."""
        found = self._moves.get(choice.id)
        if found is None:
            effects, entry, goto = rules.landing(self.story, choice)
            found = self._moves[choice.id] = self._move(effects, entry, goto, True)
        return found

    def skip_move(self, scene_id: str, landing: tuple) -> Move:
        """What skipping `scene_id` does (`rules.skip_landing`): the route's entry flags, no meters."""
        key = ("skip", scene_id)
        found = self._moves.get(key)
        if found is None:
            entry, target = landing
            found = self._moves[key] = self._move(None, entry, target, False)
        return found

    def _move(self, effects, entry, goto: str, meters_move: bool) -> Move:
        story = self.story
        base = {m.name: m.start for m in story.meters.values()}
        counted = goto in self.watched

        def step(kind: str, name: str, value: int) -> int:
            if kind == "meter":
                if not meters_move:
                    return value
                values = dict(base)
                values[name] = story.meters[name].min + value
                return entry.meters(effects.meters(values))[name] - story.meters[name].min
            if kind == "flag":
                flags = frozenset([name]) if value else frozenset()
                if effects is not None:
                    flags = effects.flags(flags)
                return int(name in entry.flags(flags))
            if name == goto and counted:
                return min(value + 1, self.caps.get(name, 1))
            return value

        touched = set()  # the variables this move can change
        for one in (effects, entry):
            if one is not None:
                touched.update(("flag", f) for f in one.add | one.remove)
                if meters_move:
                    touched.update(("meter", op[0]) for op in one.ops)
        if counted:
            touched.add(("visits", goto))
        keep, parts, tables = self.everything, [], {}
        for group in {id(g): g for v in touched for g in self.by_variable.get(v, ())}.values():
            maps = [[step(kind, name, v) for v in range(n)] for (kind, name), n in zip(group.names, group.sizes)]
            if all(m == list(range(len(m))) for m in maps):
                continue
            keep &= ~(group.full << group.offset)
            table = tuple(self._encode(group, [m[v] for m, v in zip(maps, self._values(group, i))])
                          for i in range(group.size))
            parts.append((group.offset, group.full, table, {}))
            tables[group.offset] = table
        return Move(keep, parts, tables)

    # --- the fixpoint ---------------------------------------------------------------------------

    def reach(self, choice_edges: list, skip_edges: list) -> list[int]:
        """Every state's possible valuations (packed), from the start state (0) along the edges
        (per state: (next, Move, Choice) per open choice; (next, Move) or None for its skip).
        Sweeps in the walk's order (breadth-first, so most edges point forward) until nothing
        grows."""
        count = len(choice_edges)
        packed = [0] * count
        if not self.groups or not count:
            return packed
        packed[0] = self.start
        dirty = bytearray(count)
        dirty[0] = 1
        again = True
        while again:
            again = False
            for i in range(count):
                if not dirty[i]:
                    continue
                dirty[i] = 0
                here = packed[i]
                edges = choice_edges[i]
                skip = skip_edges[i]
                if skip is not None:
                    edges = [*edges, (skip[0], skip[1], None)]
                for j, move, _ in edges:
                    before = packed[j]
                    after = before | move.apply(here)
                    if after != before:
                        packed[j] = after
                        dirty[j] = 1
                        if j <= i:
                            again = True
        return packed

    def first_textless(self, cid: str, shown_at: set[int], choice_edges: list, skip_edges: list,
                       skip: str) -> tuple[str, ...] | None:
        """The path to the first state, in the explorer's breadth-first order (choices alone, then
        every state's skip and on), in which choice `cid` is shown with none of its text: a walk of
        the explorer's graph times the choice's group alone. `choice_edges[i]`: (next, Move,
        Choice) per open choice; `skip_edges[i]`: (next, Move) or None; `skip` labels a skip."""
        group, none_shown = self.textless[cid]
        start = (0, self._index(group, self._first))
        parent: dict[tuple[int, int], tuple] = {start: (None, None)}
        order = [start]
        queue = deque(order)

        def image(move: Move, value: int) -> int:
            table = move.tables.get(group.offset)
            return value if table is None else table[value]

        def path(node) -> tuple[str, ...]:
            out = []
            while parent[node][0] is not None:
                node, label = parent[node]
                out.append(label)
            return tuple(reversed(out))

        def visit(node, source, label) -> bool:
            """Note a newly found node; True when it is the one looked for."""
            if node in parent:
                return False
            parent[node] = (source, label)
            order.append(node)
            queue.append(node)
            return node[0] in shown_at and none_shown >> node[1] & 1

        def skip_from(node) -> bool:
            step = skip_edges[node[0]]
            return step is not None and visit((step[0], image(step[1], node[1])), node, skip)

        if start[0] in shown_at and none_shown >> start[1] & 1:
            return ()
        for phase in (1, 2):
            if phase == 2:
                for node in order[:]:
                    if skip_from(node):
                        return path(order[-1])
            while queue:
                node = queue.popleft()
                i, value = node
                for j, move, choice in choice_edges[i]:
                    if visit((j, image(move, value)), node, choice.id):
                        return path(order[-1])
                if phase == 2 and skip_from(node):
                    return path(order[-1])
        return None
