"""The explorer's findings (which text conditions hold, which fail, which choices can show no
text, which effects move a meter, and where everything is first reached) agree with a
brute-force walk of full states, skips included.

The explorer keeps only what the choices' conditions read in its states and finds the rest by
masks over its graph (game/tools/text_reach.py); the reference keeps everything.
"""

from __future__ import annotations

import os
from collections import deque
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import rules
from game.story import parse_story
from game.story.texts import text_conditions
from game.tools import text_reach
from game.tools.explore import explore
from storykit import story_text

V2 = """\
format: 2
id: test-story
title: A Test Story
summary: A story written by a test.
perspective: Someone, 30
content_notes: [nothing much]
minutes: 5
"""

VISITS_KEPT = 5  # the reference tells visit counts apart up to here; conditions compare up to 3


@st.composite
def v2_stories(draw):
    n_scenes = draw(st.integers(2, 6))
    names = [f"s{i}" for i in range(n_scenes)]
    endings = set(draw(st.sets(st.sampled_from(names[1:]), min_size=1, max_size=2)))
    flags = ["f0", "f1", "f2"][: draw(st.integers(0, 3))]
    meter_max = draw(st.integers(2, 4))

    def condition():
        options = [f"m {draw(st.sampled_from(['>=', '<', '==', '!=', '>', '<=']))} {draw(st.integers(-1, meter_max + 1))}",
                   f"{draw(st.integers(-1, 2))} < n", "m > n",
                   f"visited({draw(st.sampled_from(names))})",
                   f"visits({draw(st.sampled_from(names))}) >= {draw(st.integers(1, 3))}"]
        if flags:
            flag = draw(st.sampled_from(flags))
            options += [flag, f"not {flag}"]
        first = draw(st.sampled_from(options))
        if draw(st.booleans()):
            return f"{first} {draw(st.sampled_from(['and', 'or']))} {draw(st.sampled_from(options))}"
        return first

    def effects():
        parts = []
        if draw(st.booleans()):
            parts.append(f"m: {draw(st.sampled_from(['+', '-', '=']))}{draw(st.integers(0, meter_max + 2))}")
        if draw(st.booleans()):
            parts.append(f"n: {draw(st.sampled_from(['+', '-']))}{draw(st.integers(0, 2))}")
        if flags and draw(st.booleans()):
            parts.append(f"set: [{draw(st.sampled_from(flags))}]")
        if flags and draw(st.booleans()):
            parts.append(f"clear: [{draw(st.sampled_from(flags))}]")
        return "{" + ", ".join(parts) + "}" if parts else None

    def items(label: str) -> str:
        """A text: plain, or a list of items (some conditional, maybe all), maybe an inline if."""
        kind = draw(st.sampled_from(["plain", "items", "inline"]))
        if kind == "plain":
            return f"'{label}'"
        if kind == "inline":
            return f"'{label} ((if {condition()}: yes | no))'"
        parts = [f"{{if: '{condition()}', text: '{label} {k}'}}" for k in range(draw(st.integers(1, 2)))]
        if draw(st.booleans()):
            parts.insert(0, f"'{label}'")
        return "[" + ", ".join(parts) + "]"

    lines = [f"meters:\n  m: {{start: {draw(st.integers(0, meter_max))}, min: 0, max: {meter_max}}}\n"
             f"  n: {{start: {draw(st.integers(-1, 1))}, min: -1, max: 1}}"]
    if flags:
        lines.append(f"flags: [{', '.join(flags)}]")
    lines.append("start: s0\nscenes:")
    for i, name in enumerate(names):
        lines += [f"  {name}:", "    text:", f"      - Scene {i}."]
        if draw(st.booleans()):
            lines.append(f"      - {{if: '{condition()}', text: Variant of {i}.}}")
        if draw(st.booleans()):
            lines.append(f"      - '((if {condition()}: Then. | Else.))'")
        if name in endings:
            title = f"'((if {condition()}: Yes | No))'" if draw(st.booleans()) else f"End {i}"
            lines.append(f"    ending: {{title: {title}, tone: hopeful}}")
            continue
        on_enter = effects() if draw(st.booleans()) else None
        if on_enter:
            lines.append(f"    on_enter: {on_enter}")
        if draw(st.booleans()):
            lines.append(f"    skip_to: {draw(st.sampled_from(names))}")
        lines.append("    choices:")
        for c in range(draw(st.integers(1, 3))):
            item = [f"text: {items(f'Choice {i}.{c}')}", f"goto: {draw(st.sampled_from(names))}"]
            if draw(st.booleans()):
                item.append(f"if: '{condition()}'")
                if draw(st.booleans()):
                    item.append("locked: Not now.")
            eff = effects()
            if eff:
                item.append(f"effects: {eff}")
            lines.append("      - {" + ", ".join(item) + "}")
    return parse_story(story_text("\n".join(lines) + "\n", header=V2))


def reference(story):
    """Breadth-first over full states (every meter, flag and visit count kept), in the explorer's
    order: choices alone first, then every state's skip and on from there."""
    def key(state):
        return (state.scene, tuple(sorted(state.meters.items())), state.flags,
                tuple(sorted((s, min(n, VISITS_KEPT)) for s, n in state.visits.items())))

    first = rules.begin(story)
    parent = {key(first): None}
    order = [first]
    queue = deque(order)
    out = {"reached": set(), "by_skip": set(), "true": set(), "false": set(), "textless": {}, "endings": {},
           "softlocks": {}, "taken": set(), "locked": set(), "applied": set(), "effective": set()}

    def note(changes, values):
        """Which meter changes are applied, and which move their meter, in order as the format says."""
        values = dict(values)
        for change in changes:
            out["applied"].add(change)
            new = story.meters[change.meter].clamp(change.apply(values[change.meter]))
            if new != values[change.meter]:
                out["effective"].add(change)
            values[change.meter] = new
        return values

    start_values = {m.name: m.start for m in story.meters.values()}
    note(story.scenes[story.start].on_enter.meters, start_values)

    def path(state):
        moves = []
        at = parent[key(state)]
        while at is not None:
            before, move = at
            moves.append(move)
            at = parent[key(before)]
        return tuple(reversed(moves))

    def found(state, before, move):
        if key(state) not in parent:
            parent[key(state)] = (before, move)
            order.append(state)
            queue.append(state)

    def skip(state):
        if story.scenes[state.scene].skip_route:
            found(rules.skip(story, state), state, "skip")

    def expand(state, choice_phase):
        scene = story.scenes[state.scene]
        if state.scene not in out["reached"] | out["by_skip"]:
            out["reached" if choice_phase else "by_skip"].add(state.scene)
            if scene.ending is not None:
                out["endings"][state.scene] = path(state)
        for item in text_conditions(scene):
            out["true" if item.condition(state) else "false"].add((state.scene, item.key))
        if scene.ending is not None:
            return
        opened = 0
        for choice, is_open in rules.choice_states(story, state):
            if (is_open or choice.locked) and choice.text_parts \
                    and all(p.condition is not None for p in choice.text_parts) \
                    and not any(p.condition(state) for p in choice.text_parts):
                out["textless"].setdefault(choice.id, path(state))
            if not is_open:
                if choice.locked:
                    out["locked"].add(choice.id)
                continue
            opened += 1
            out["taken"].add(choice.id)
            note(story.scenes[choice.goto].on_enter.meters, note(choice.effects.meters, state.meters))
            found(rules.choose(story, state, choice), state, choice.id)
        if not opened:
            out["softlocks"].setdefault(state.scene, (path(state), not choice_phase))
        if not choice_phase:
            skip(state)

    while queue:
        expand(queue.popleft(), True)
    for state in order[:]:
        skip(state)
    while queue:
        expand(queue.popleft(), False)
    return out


@contextmanager
def masks_limited_to(size: int):
    kept = text_reach.MAX_GROUP
    text_reach.MAX_GROUP = size
    try:
        yield
    finally:
        text_reach.MAX_GROUP = kept


def agrees(story, expected) -> None:
    found = explore(story)
    assert found.complete
    assert found.scenes_reached == expected["reached"]
    assert found.scenes_reached_by_skip == expected["by_skip"]
    assert found.choices_taken == expected["taken"]
    assert found.choices_shown_locked == expected["locked"]
    assert found.endings == expected["endings"]
    assert {s: (x.path, x.via_skip) for s, x in found.softlocks.items()} == expected["softlocks"]
    assert found.changes_applied == expected["applied"]
    assert found.changes_effective == expected["effective"]
    assert found.text_true == expected["true"]
    assert found.text_false == expected["false"]
    assert found.textless_choices == expected["textless"]
    paragraphs = {(s, int(k.split(".")[1])) for s, k in expected["true"] if k.count(".") == 1 and k.startswith("text.")}
    assert found.text_shown == {(s, n) for s, n in paragraphs if story.scenes[s].text[n].condition is not None}


@settings(max_examples=int(os.environ.get("EXPLORE_EXAMPLES", 150)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(v2_stories())
def test_text_findings_agree_with_a_brute_force_walk_of_full_states(story_):
    expected = reference(story_)
    agrees(story_, expected)
    with masks_limited_to(1):  # every text condition (and clamp) read from the explorer's states instead
        agrees(story_, expected)


def test_a_text_only_flag_does_not_multiply_the_explorers_states():
    body = """
flags: [a, b, c]
start: s1
scenes:
  s1:
    text: One.
    skip_to: s2
    choices:
      - {text: A, effects: {set: [a]}, goto: s2}
      - {text: not A, goto: s2}
  s2:
    text: Two.
    skip_to: s3
    choices:
      - {text: B, effects: {set: [b]}, goto: s3}
      - {text: not B, goto: s3}
  s3:
    text:
      - Three.
      - {if: a and b, text: Both.}
      - '((if c: Never. | Always.))'
    skip_to: end
    choices:
      - {text: [{if: a, text: Because of a.}, {if: b, text: Because of b.}], goto: end}
  end:
    ending: {title: End, tone: hopeful}
    text: Done.
"""
    story_ = parse_story(story_text(body, header=V2))
    found = explore(story_)
    assert found.choice_states == 4  # one state per scene: a and b are only read by texts
    assert ("s3", "text.1") in found.text_true and ("s3", "text.1") in found.text_false
    assert ("s3", "text.2.if.0") in found.text_false and ("s3", "text.2.if.0") not in found.text_true
    assert found.textless_choices == {"s3.1": ("s1.2", "s2.2")}
    assert found.text_shown == {("s3", 1)}
