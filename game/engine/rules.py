"""The rules of play, in one place: pure functions over an immutable `State`.

    state = begin(story, start, overrides)      # overrides applied, the first scene entered
    offered(story, state)                        # the choices shown: open, or locked with a reason
    choose(story, state, choice)                 # take(...) then enter(...): the state after a choice
    skip(story, state)                           # "skip this scene": its skip route, or stepped away
    paragraphs(story, state), display(...)      # the text as the player reads it now

Everything that plays a story uses these: the live `Game` (whose `transitions` machine calls
`take` and `enter` from its callbacks and reads `offered` in its guards), the explorer,
randomtest, the turning point, the journal and recorded playthroughs. A rule changed here is
changed everywhere.

A `State` is never changed after it is made; a move returns a new one. Its dictionaries are
shared between states and must never be written to (the functions here copy before changing).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Callable, Mapping

from game.engine import text
from game.engine.errors import GameError
from game.story.model import Choice, Effects, Ending, Story, TextPart
from game.story.texts import watched_scenes

# The ending a player reaches by skipping a scene that has nowhere safe to skip to.
STEPPED_AWAY = Ending("You stepped away", "unresolved", support=True)


class State:
    """Where a playthrough stands: what every condition, effect and text can read.

    `visits` counts the entries of each scene that something in the story reads (`watched`):
    the scenes conditions name with `visited(scene)`. Other scenes' visits cannot change what
    happens, so they are not kept (a game's full visit counts come from its history).

    Treat a State as immutable: nothing changes one after it is made, and its dictionaries are
    shared with the states made from it. (A plain slotted class rather than a frozen dataclass:
    tools make hundreds of thousands, and a frozen dataclass's __init__ costs three times as much.)
    """

    __slots__ = ("scene", "meters", "flags", "visits", "remembered", "stepped_away")

    def __init__(self, scene: str, meters: Mapping[str, int], flags: frozenset[str], visits: Mapping[str, int],
                 remembered: tuple[str, ...] = (), stepped_away: bool = False):
        self.scene = scene
        self.meters = meters
        self.flags = flags
        self.visits = visits
        self.remembered = remembered
        self.stepped_away = stepped_away

    def key(self) -> tuple:
        """A hashable, order-independent form (for comparing states)."""
        return (self.scene, tuple(sorted(self.meters.items())), self.flags, tuple(sorted(self.visits.items())),
                self.remembered, self.stepped_away)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return (f"State({self.scene!r}, {dict(self.meters)!r}, {set(self.flags) or '{}'}, {dict(self.visits)!r}"
                f"{', stepped away' if self.stepped_away else ''})")


def watched(story: Story) -> frozenset[str]:
    """The scenes whose visits something in the story reads: a condition's `visited(scene)` or
    `visits(scene)` (of a choice, a paragraph, or an inline `((if …))`), and every scene whose own
    text has a visit-based form (`first`, `seq`, `cycle`, `shuffle`). Worked out once per story
    by the story format (`game.story.texts.watched_scenes`, which a compiled story may carry)."""
    return watched_scenes(story)


@dataclass(frozen=True, slots=True)
class Option:
    """A choice as the player sees it: numbered from 1, available or locked with a reason.

    `text` and `locked_reason` are already resolved for display (see `display`).
    """

    number: int
    choice: Choice
    available: bool
    locked_reason: str | None = None
    text: str = ""

    @property
    def id(self) -> str:
        return self.choice.id


# --- per scene, worked out once --------------------------------------------------------------------


def kept(story: Story, name: str) -> dict:
    """The table called `name` that the engine keeps on the story object (made the first time):
    a story never changes, so what is worked out from it (plans, compiled effects, renderings)
    can stay with it."""
    table = story.__dict__.get(name)
    if table is None:
        table = story.__dict__[name] = {}
    return table


class ScenePlan:
    """What the rules need of one scene on every move, worked out the first time a state stands
    in it and kept on the story (which never changes): one lookup a move instead of one per rule.

    `guards`: each choice with its condition's compiled test (None: always open); `tests`: the
    tests alone, of the guarded choices (their outcomes key the offers); `offers`: the
    offers by open pattern, and by the values `offer_reads` names when a choice's text or locked
    reason reads the state;
    `counted`: whether entering counts a visit; `entry`: the compiled `on_enter`, or None;
    `paragraphs`: the scene's items as (text, test) when none has an inline form (else None);
    `thought`: the thought when it is one plain item (else `VARIES`); `view_key` and `views`:
    when the paragraphs or the thought have inline forms, what their values read (a key
    function, see `keyer`) and their renderings by it, `[paragraphs, thought]`, each made when
    first asked for."""

    __slots__ = ("scene", "ending", "guards", "tests", "offers", "offer_reads", "offer_key", "counted", "entry",
                 "paragraphs", "thought", "view_key", "views")

    def __init__(self, story: Story, scene_id: str):
        scene = self.scene = story.scenes[scene_id]
        self.ending = scene.ending
        self.guards = () if scene.ending is not None else tuple(
            (c, None if c.condition is None else c.condition.test) for c in scene.choices)
        self.tests = tuple(test for _, test in self.guards if test is not None)

        def fixed(parts) -> bool:
            return all(p.condition is None and p.tree is None for p in parts)

        self.offers = {}
        # What the choices' texts and locked reasons read (None: nothing): offers are cached by
        # which choices are open and those values (rendering is a pure function of them).
        self.offer_reads = None if all(fixed(c.text_parts) and fixed(c.lockeds) for c in scene.choices) else \
            text.reads([p for c in scene.choices for p in (*c.text_parts, *c.lockeds)], scene_id)
        self.offer_key = None if self.offer_reads is None else keyer(self.offer_reads)
        self.counted = scene_id in watched(story)
        self.entry = compiled(story, scene.on_enter) if scene.on_enter else None
        self.paragraphs = None if any(p.tree is not None for p in scene.text) else tuple(
            (p.text, None if p.condition is None else p.condition.test) for p in scene.text)
        thoughts = scene.thoughts
        self.thought = VARIES
        if not thoughts:
            self.thought = None
        elif len(thoughts) == 1 and thoughts[0].condition is None and thoughts[0].tree is None:
            self.thought = thoughts[0].text if thoughts[0].text else None  # as `display` gives it
        self.view_key = self.views = None
        if self.paragraphs is None or any(p.tree is not None for p in thoughts):
            self.view_key, self.views = keyer(text.reads((*scene.text, *thoughts), scene_id)), {}


VARIES = object()  # a ScenePlan's thought that is rendered for each state


def keyer(reads: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]) -> Callable[[State], object]:
    """A function of a state giving the values `reads` names (meters, flags, visited scenes, as
    `text.reads` gives them), in a hashable form: two states with the same key render alike.
    Built once per text list; the common shapes get a function that reads them directly."""
    meters, flags, visits = reads
    of_meters = itemgetter(*meters) if meters else None  # one value, or a tuple of them
    wanted = frozenset(flags)
    if not meters and not flags and len(visits) == 1:
        (only,) = visits
        return lambda state: state.visits.get(only, 0)
    if len(visits) == 1:
        (only,) = visits
        if not flags:
            return lambda state: (of_meters(state.meters), state.visits.get(only, 0))
        if not meters:
            return lambda state: (wanted.intersection(state.flags), state.visits.get(only, 0))
        return lambda state: (of_meters(state.meters), wanted.intersection(state.flags), state.visits.get(only, 0))

    def key(state: State) -> tuple:
        seen = state.visits
        return (of_meters(state.meters) if meters else None, wanted.intersection(state.flags),
                tuple([seen.get(s, 0) for s in visits]))

    return key


def plan(story: Story, scene_id: str) -> ScenePlan:
    """The scene's `ScenePlan` (kept on the story object, like its compiled effects)."""
    plans = kept(story, "_rules_plans")
    found = plans.get(scene_id)
    if found is None:
        found = plans[scene_id] = ScenePlan(story, scene_id)
    return found


# --- text --------------------------------------------------------------------------------------


def display(story: Story, state: State, parts: tuple[TextPart, ...], scene_id: str, how: str = "joined"):
    """The one place where story text becomes the text a player reads: paragraphs, the thought,
    choice text, locked reasons and remembered lines all pass through here, rendered against the
    state they are shown in (inline forms, see `game.engine.text`). `how`: "paragraphs" (a list),
    "lines" (a thought: one line per item, None when none shows) or "joined" (one string)."""
    if len(parts) == 1 and parts[0].condition is None and parts[0].tree is None:  # text as written
        plain = parts[0].text
        return [plain] if how == "paragraphs" else plain if plain or how != "lines" else None
    for part in parts:
        if part.tree is not None:
            break
    else:  # no inline forms: each item is its text, shown when its condition holds (as text.shown)
        found = [p.text for p in parts if (p.condition is None or p.condition(state)) and p.text]
        if how == "paragraphs":
            return found
        if how == "lines":
            return "\n".join(found) if found else None
        return " ".join(found)
    # Rendering is a pure function of the values the items read (see game.engine.text): the
    # same values give the same text, so each text list keeps its last renderings by them.
    of_state, memo = _renderings(story, parts, scene_id)
    key = (how, of_state(state))
    found = memo.get(key)
    if found is None:
        if len(memo) >= 256:
            memo.clear()
        found = memo[key] = _render(story, state, parts, scene_id, how)
    return list(found) if how == "paragraphs" else found


def _renderings(story: Story, parts: tuple[TextPart, ...], scene_id: str) -> tuple:
    """What a text list reads (a key function of a state, see `keyer`) and its renderings by
    those values, kept on the story object by the list's identity."""
    table = kept(story, "_rules_renderings")
    entry = table.get((id(parts), scene_id))
    if entry is None or entry[0] is not parts:
        entry = table[(id(parts), scene_id)] = (parts, keyer(text.reads(parts, scene_id)), {})
    return entry[1], entry[2]


def _render(story: Story, state: State, parts: tuple[TextPart, ...], scene_id: str, how: str):
    context = text.Context(state, story.id, scene_id)
    if how == "paragraphs":
        return text.paragraphs(parts, context)
    if how == "lines":
        return text.lines(parts, context)
    return text.joined(parts, context)


def shown_parts(story: Story, state: State) -> list[int]:
    """The positions of the scene's paragraphs whose condition holds in this state."""
    return [i for i, part in enumerate(story.scenes[state.scene].text)
            if part.condition is None or part.condition(state)]


def paragraphs(story: Story, state: State) -> list[str]:
    """The scene's text as the player reads it now: conditional paragraphs and inline forms resolved."""
    found = plan(story, state.scene)
    items = found.paragraphs
    if items is not None:  # no inline forms: what `display` does, with the tests at hand
        if len(items) == 1 and items[0][1] is None:
            return [items[0][0]]
        return [text for text, test in items if text and (test is None or test(state))]
    return list(_view(story, state, found, 0))


def thought(story: Story, state: State) -> str | None:
    found = plan(story, state.scene)
    if found.thought is not VARIES:
        return found.thought
    if found.views is None:
        return display(story, state, found.scene.thoughts, state.scene, "lines")
    return _view(story, state, found, 1)


def _view(story: Story, state: State, found: ScenePlan, which: int):
    """The scene's paragraphs (0, a tuple) or thought (1) in `state`, from its renderings by the
    values they read (what `display` would give: rendering is a pure function of them)."""
    views = found.views
    key = found.view_key(state)
    entry = views.get(key)
    if entry is None:
        if len(views) >= 256:
            views.clear()
        entry = views[key] = [VARIES, VARIES]
    made = entry[which]
    if made is VARIES:
        context = text.Context(state, story.id, state.scene)
        parts = found.scene.text if which == 0 else found.scene.thoughts
        made = entry[which] = tuple(text.paragraphs(parts, context)) if which == 0 else text.lines(parts, context)
    return made


def choice_text(story: Story, state: State, choice: Choice) -> str:
    if not choice.text_parts:  # format 1: one plain text (what `display` would return for it)
        return choice.text
    return display(story, state, choice.text_parts, choice.scene)


# --- where a state stands ------------------------------------------------------------------------


def is_over(story: Story, state: State) -> bool:
    return state.stepped_away or plan(story, state.scene).ending is not None


def ending(story: Story, state: State) -> Ending | None:
    """The ending reached, its title rendered for this state (format 2 titles may vary)."""
    if state.stepped_away:
        return STEPPED_AWAY
    found = story.scenes[state.scene].ending
    if found is None or not any(p.tree is not None or p.condition is not None for p in found.title_parts):
        return found
    title = display(story, state, found.title_parts, state.scene) or found.title
    return Ending(title, found.tone, found.support, found.title_parts)


def choice_states(story: Story, state: State) -> list[tuple[Choice, bool]]:
    """Each choice of the state's scene and whether it is open: the one place a choice's condition
    is evaluated, once per state. A finished story has none."""
    if state.stepped_away:
        return []
    return [(c, test is None or test(state)) for c, test in plan(story, state.scene).guards]


def offered(story: Story, state: State) -> tuple[Option, ...]:
    """The choices shown in a state: the open ones, and locked ones that carry a reason.

    What is offered depends only on which choices are open and on the values the choices' texts
    and locked reasons read (nothing, in a scene without conditions or inline forms in them): it
    is made once for each and shared (an `Option` never changes)."""
    if state.stepped_away:
        return ()
    return _offers(story, state, plan(story, state.scene))


def _offers(story: Story, state: State, found: ScenePlan) -> tuple[Option, ...]:
    cache = found.offers
    tests = found.tests  # the guarded choices' tests: their outcomes say which choices are open
    if not tests:
        opened = ()
    elif len(tests) == 1:
        opened = tests[0](state)
    else:
        opened = tuple([test(state) for test in tests])
    of_state = found.offer_key
    key = opened if of_state is None else (opened, of_state(state))
    offers = cache.get(key)
    if offers is None:
        if len(cache) >= 256:
            cache.clear()
        offers = cache[key] = _offered(story, state, choice_states(story, state))
    return offers


def standing(story: Story, state: State) -> tuple[tuple[Option, ...], bool]:
    """`offered` and `is_over` for a state at once (one look at its scene's plan: what a live
    game asks after every move)."""
    if state.stepped_away:
        return (), True
    found = plan(story, state.scene)
    return _offers(story, state, found), found.ending is not None


def _offered(story: Story, state: State, states: list[tuple[Choice, bool]]) -> tuple[Option, ...]:
    shown: list[Option] = []
    for choice, is_open in states:
        if is_open:
            shown.append(Option(len(shown) + 1, choice, True, None, choice_text(story, state, choice)))
        elif choice.locked:
            shown.append(Option(len(shown) + 1, choice, False, display(story, state, choice.lockeds, choice.scene),
                                choice_text(story, state, choice)))
    return tuple(shown)


def open_choices(story: Story, state: State) -> list[Choice]:
    """The choices that can be taken in a state (no text resolved: for tools that walk stories)."""
    return [choice for choice, is_open in choice_states(story, state) if is_open]


# --- moves ---------------------------------------------------------------------------------------


class Compiled:
    """An `Effects` made ready to apply: per meter it changes, a table from each value in the
    meter's range to the value after all of its changes (clamped); the flags it turns on and off.
    Built once per Effects of a story (`compiled`) and shared by every move that applies it."""

    __slots__ = ("ops", "add", "remove")

    def __init__(self, story: Story, effects: Effects):
        order = list(story.meters)
        ops = []
        for name in dict.fromkeys(change.meter for change in effects.meters):
            meter = story.meters[name]
            table = []
            for value in range(meter.min, meter.max + 1):
                for change in effects.meters:
                    if change.meter == name:
                        value = meter.clamp(change.apply(value))
                table.append(value)
            ops.append((name, order.index(name), meter.min, tuple(table)))
        self.ops = tuple(ops)
        self.add = frozenset(effects.set)
        self.remove = frozenset(effects.clear)

    def meters(self, values: Mapping[str, int]) -> Mapping[str, int]:
        if not self.ops:
            return values
        values = dict(values)
        for name, _, low, table in self.ops:
            values[name] = table[values[name] - low]
        return values

    def meter_tuple(self, values: tuple[int, ...]) -> tuple[int, ...]:
        """The same, on meter values in the story's order (for tools that keep states as tuples)."""
        if not self.ops:
            return values
        out = list(values)
        for _, index, low, table in self.ops:
            out[index] = table[out[index] - low]
        return tuple(out)

    def flags(self, flags: frozenset[str]) -> frozenset[str]:
        if self.add or self.remove:
            return (flags | self.add) - self.remove
        return flags


def compiled(story: Story, effects: Effects) -> Compiled:
    """The story's `Compiled` form of `effects` (kept on the story object, by identity)."""
    table = kept(story, "_rules_compiled")
    entry = table.get(id(effects))
    if entry is None or entry[0] is not effects:
        made = Compiled(story, effects)
        # Effects that do the same (the same changes in the same order, the same flags) share one
        # Compiled: a long story's thousands of "+1"s become a handful, which stay in the CPU's cache.
        same = table.setdefault(("same", made.ops, made.add, made.remove), made)
        entry = table[id(effects)] = (effects, same)
    return entry[1]


def begin(story: Story, start: str | None = None, overrides: Mapping[str, int | bool] | None = None) -> State:
    """The first state: every meter at its start, the overrides (clamped to each meter's range),
    then the first scene entered (its visit counted, its `on_enter` applied)."""
    scene = start or story.start
    if scene not in story.scenes:
        raise GameError(f"there is no scene called '{scene}'")
    meters = {m.name: m.start for m in story.meters.values()}
    flags: set[str] = set()
    for name, value in (overrides or {}).items():
        if name in story.meters:
            meters[name] = story.meters[name].clamp(int(value))
        elif name in story.flags:
            (flags.add if value else flags.discard)(name)
        else:
            raise GameError(f"'{name}' is neither a meter nor a flag of this story")
    return enter(story, State(scene, meters, frozenset(flags), {}), scene)


def take(story: Story, state: State, choice: Choice) -> State:
    """A choice's own part of a move: its effects and its remembered line (still in its scene)."""
    plans = kept(story, "_rules_take")
    move = plans.get(choice.id)
    if move is None:
        move = plans[choice.id] = (compiled(story, choice.effects) if choice.effects else None, bool(choice.remember))
    done, remember = move
    if done is None:
        if not remember:
            return state
        meters, flags = state.meters, state.flags
    else:
        meters, flags = done.meters(state.meters), done.flags(state.flags)
    after = State(state.scene, meters, flags, state.visits, state.remembered)
    if remember:  # rendered in the state after the effects (docs/compiled-format.md)
        line = display(story, after, choice.remembers, choice.scene)
        if line:
            after = State(state.scene, meters, flags, state.visits, state.remembered + (line,))
    return after


def enter(story: Story, state: State, scene_id: str, *, skipped: bool = False) -> State:
    """Arrive in a scene: its visit is counted and its `on_enter` applied (no meter moves when the
    player arrives by skipping: a skip never costs or earns anything)."""
    found = plan(story, scene_id)
    done = found.entry
    visits = state.visits
    if found.counted:
        visits = dict(visits)
        visits[scene_id] = visits.get(scene_id, 0) + 1
    if done is None:
        return State(scene_id, state.meters, state.flags, visits, state.remembered)
    return State(scene_id, state.meters if skipped else done.meters(state.meters), done.flags(state.flags), visits,
                 state.remembered)


def choose(story: Story, state: State, choice: Choice) -> State:
    """The state after taking `choice` (which must be open) in `state`."""
    return enter(story, take(story, state, choice), choice.goto)


def skip(story: Story, state: State) -> State:
    """The state after "skip this scene": its skip route (`skip_to`, else its `skip: true` choice's
    goto) entered without the choice's effects or any meter change, or, when it has nowhere safe to
    skip to, the story ends gently (stepped away) where it stands."""
    target = story.scenes[state.scene].skip_route
    if target is None:
        return State(state.scene, state.meters, state.flags, state.visits, state.remembered, True)
    return enter(story, state, target, skipped=True)


def landing(story: Story, choice: Choice) -> tuple[Compiled, Compiled, str]:
    """What `choose` applies for a choice, for tools that keep states as tuples: the choice's
    effects, then its destination's `on_enter` (both `Compiled`), and the destination, whose
    visit `enter` counts when it is `watched`."""
    return compiled(story, choice.effects), compiled(story, story.scenes[choice.goto].on_enter), choice.goto


def skip_landing(story: Story, scene_id: str) -> tuple[Compiled, str] | None:
    """What `skip` applies from a scene, for tools that keep states as tuples: its skip route's
    `on_enter` (`Compiled`; its flags only: a skip moves no meter) and the scene it leads to, or
    None when it has no skip route (skipping ends the story there)."""
    target = story.scenes[scene_id].skip_route
    return None if target is None else (compiled(story, story.scenes[target].on_enter), target)


def moves(story: Story, state: State) -> list[tuple[Choice | None, State]]:
    """Every move open in a state and where it leads: each open choice, then skip (as None)."""
    if is_over(story, state):
        return []
    found: list[tuple[Choice | None, State]] = [(c, choose(story, state, c)) for c in open_choices(story, state)]
    found.append((None, skip(story, state)))
    return found
