"""The explorer finds exactly what players can reach, through the engine, and says where things stick."""

from __future__ import annotations

import os
from collections import deque

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import Game
from game.story import load_story, parse_story
from game.tools.explore import explore, liveness
from storykit import story_text


def story(body: str):
    return parse_story(story_text(body))


# --- the demo, end to end ----------------------------------------------------------------------


def test_demo_is_fully_covered_and_every_ending_has_a_walkthrough(demo_path):
    found = explore(load_story(demo_path))
    assert found.complete and found.clean
    assert set(found.endings) == {"ending_hug", "ending_takeaway", "ending_door"}
    assert found.states > 0 and found.choice_states <= found.states


def test_every_shortest_walkthrough_replays_in_the_game_to_its_ending(demo_path):
    demo = load_story(demo_path)
    for ending, path in explore(demo).endings.items():
        game = Game(demo)
        for move in path:
            game.choose(move)
        assert game.is_over and game.scene_id == ending


# --- what it reports ---------------------------------------------------------------------------

SOFTLOCK = """
meters:
  nerve: {start: 0, min: 0, max: 3}
start: a
scenes:
  a:
    text: Start.
    choices:
      - text: Brave.
        effects: {nerve: +2}
        goto: b
      - text: Timid.
        goto: b
  b:
    text: The door.
    choices:
      - text: Knock.
        if: nerve >= 2
        locked: Not yet.
        goto: end
  end:
    ending: {title: End, tone: hopeful}
    text: Done.
"""


def test_a_scene_reachable_with_every_choice_closed_is_a_softlock_with_its_shortest_path():
    found = explore(story(SOFTLOCK))
    assert list(found.softlocks) == ["b"]
    stuck = found.softlocks["b"]
    assert stuck.path == ("a.2",) and stuck.meters == {"nerve": 0} and not stuck.via_skip
    assert not found.clean


TRAP = """
meters:
  tired: {start: 0, min: 0, max: 5}
start: a
scenes:
  a:
    text: Start.
    choices:
      - text: Go round.
        goto: b
      - text: Rest.
        if: tired == 0
        goto: end
  b:
    text: Round again.
    choices:
      - text: Back.
        effects: {tired: +1}
        goto: c
  c:
    text: And again.
    choices:
      - text: Once more.
        goto: b
  end:
    ending: {title: End, tone: hopeful}
    text: Done.
"""


def test_a_loop_that_can_never_reach_an_ending_is_a_trap():
    found = explore(story(TRAP))
    assert not found.softlocks
    assert [t.scenes for t in found.traps] == [("b", "c")]
    assert found.traps[0].first.path == ("a.1",)


SKIP_TRAP = """
flags: [packed]
start: a
scenes:
  a:
    text: Start.
    skip_to: c
    choices:
      - text: Pack.
        effects: {set: [packed]}
        goto: c
  c:
    text: The car.
    choices:
      - text: Drive.
        if: packed
        goto: end
  end:
    ending: {title: End, tone: hopeful}
    text: Done.
"""


def test_a_skip_that_lands_where_no_choice_opens_is_a_softlock_found_after_skips():
    found = explore(story(SKIP_TRAP))
    assert found.softlocks["c"].via_skip and found.softlocks["c"].path == ("skip",)
    assert not explore(story(SKIP_TRAP), skips=False).softlocks


def test_the_state_bound_stops_the_walk_and_says_it_is_incomplete(demo_path):
    found = explore(load_story(demo_path), max_states=10)
    assert not found.complete and found.states == 10
    assert not found.clean


def test_flags_no_condition_will_read_again_do_not_multiply_states():
    body = """
    flags: [a, b, c, d]
    start: s1
    scenes:
      s1:
        text: One.
        choices:
          - {text: A, effects: {set: [a]}, goto: s2}
          - {text: not A, goto: s2}
      s2:
        text: Two.
        choices:
          - {text: B, effects: {set: [b]}, goto: s3}
          - {text: not B, goto: s3}
      s3:
        text: Three.
        choices:
          - {text: Read a, if: a, goto: end}
          - {text: Always, goto: end}
      end:
        ending: {title: End, tone: hopeful}
        text: Done.
    """
    found = explore(story(body))
    # b is never read: s3 holds two states (a on or off), not four.
    assert found.choice_states == 1 + 2 + 2 + 1
    assert liveness(story(body))["s1"][0] == frozenset({"a"})


def test_clamped_effects_are_seen_exactly():
    body = """
    meters:
      calm: {start: 9, min: 0, max: 10}
    start: a
    scenes:
      a:
        text: Start.
        choices:
          - {text: Up, effects: {calm: +1}, goto: b}
      b:
        text: Next.
        choices:
          - {text: Up again, effects: {calm: +3}, goto: end}
      end:
        ending: {title: End, tone: hopeful}
        text: Done.
    """
    found = explore(story(body))
    up = story(body).choice("a.1").effects.meters[0]
    assert up in found.changes_effective
    up_again = story(body).choice("b.1").effects.meters[0]
    assert up_again in found.changes_applied and up_again not in found.changes_effective


# --- the property: projection and cache change nothing a player could notice ---------------------


@st.composite
def small_stories(draw):
    n_scenes = draw(st.integers(2, 6))
    names = [f"s{i}" for i in range(n_scenes)]
    endings = set(draw(st.sets(st.sampled_from(names[1:]), min_size=1, max_size=2)))
    flags = ["f0", "f1", "f2"][: draw(st.integers(0, 3))]
    meter_max = draw(st.integers(2, 4))
    meters = {"m": draw(st.integers(0, meter_max)), "n": draw(st.integers(-1, 1))}

    def condition():
        options = [f"m {draw(st.sampled_from(['>=', '<', '==', '!=', '>', '<=']))} {draw(st.integers(-1, meter_max + 1))}",
                   f"{draw(st.integers(-1, 2))} < n",
                   "m > n",
                   f"visited({draw(st.sampled_from(names))})"]
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
            parts.append(f"n: {draw(st.sampled_from(['+', '-', '=']))}{draw(st.integers(0, 2))}")
        if flags and draw(st.booleans()):
            parts.append(f"set: [{draw(st.sampled_from(flags))}]")
        if flags and draw(st.booleans()):
            parts.append(f"clear: [{draw(st.sampled_from(flags))}]")
        return "{" + ", ".join(parts) + "}" if parts else None

    lines = [f"meters:\n  m: {{start: {meters['m']}, min: 0, max: {meter_max}}}\n"
             f"  n: {{start: {meters['n']}, min: -1, max: 1}}"]
    if flags:
        lines.append(f"flags: [{', '.join(flags)}]")
    lines.append("start: s0\nscenes:")
    for i, name in enumerate(names):
        lines.append(f"  {name}:")
        lines.append("    text:")
        lines.append(f"      - Scene {i}.")
        if draw(st.booleans()):
            lines.append(f"      - {{if: '{condition()}', text: Variant of {i}.}}")
        if name in endings:
            lines.append("    ending: {title: End %d, tone: hopeful}" % i)
            continue
        on_enter = effects() if draw(st.booleans()) else None
        if on_enter:
            lines.append(f"    on_enter: {on_enter}")
        if draw(st.booleans()):
            lines.append(f"    skip_to: {draw(st.sampled_from(names))}")
        lines.append("    choices:")
        for c in range(draw(st.integers(1, 3))):
            item = [f"text: Choice {i}.{c}", f"goto: {draw(st.sampled_from(names))}"]
            if draw(st.booleans()):
                item.append(f"if: '{condition()}'")
                if draw(st.booleans()):
                    item.append("locked: Not now.")
            eff = effects()
            if eff:
                item.append(f"effects: {eff}")
            lines.append("      - {" + ", ".join(item) + "}")
    return parse_story(story_text("\n".join(lines) + "\n"))


def reference(story_):
    """A slow, obvious explorer: full Games, every visit remembered as visited-or-not, no projection."""
    def key(game):
        return (game.scene_id, tuple(game.meters.values()), game.flags,
                frozenset(s for s, n in game.visits.items() if n))

    def replay(path):
        game = Game(story_)
        for move in path:
            game.choose(move)
        return game

    def note(changes, values, effective):
        """Which meter changes move the meter, applied in order as the format says."""
        for change in changes:
            meter = story_.meters[change.meter]
            new = meter.clamp(change.apply(values[change.meter]))
            if new != values[change.meter]:
                effective.add(change)
            values[change.meter] = new
        return values

    first = Game(story_)
    seen = {key(first): ()}
    queue = deque([()])
    scenes, choices, texts, softlocks, effective = {}, set(), set(), set(), set()
    note(story_.scenes[story_.start].on_enter.meters, {m.name: m.start for m in story_.meters.values()}, effective)
    while queue:
        path = queue.popleft()
        game = replay(path)
        scenes.setdefault(game.scene_id, len(path))
        shown = game.paragraphs()
        for n, part in enumerate(game.scene.text):
            if part.condition is not None and part.text in shown:
                texts.add((game.scene_id, n))
        if game.is_over:
            continue
        available = [o for o in game.options() if o.available]
        if not available:
            softlocks.add(game.scene_id)
        for option in available:
            choices.add(option.id)
            after = note(option.choice.effects.meters, game.meters, effective)
            note(story_.scenes[option.choice.goto].on_enter.meters, after, effective)
            nxt = replay(path)
            nxt.choose(option.id)
            k = key(nxt)
            if k not in seen:
                seen[k] = path + (option.id,)
                queue.append(path + (option.id,))
    return scenes, choices, texts, softlocks, effective


@settings(max_examples=int(os.environ.get("EXPLORE_EXAMPLES", 150)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_stories())
def test_exploration_agrees_with_a_brute_force_walk_of_full_games(story_):
    found = explore(story_, skips=False)
    scenes, choices, texts, softlocks, effective = reference(story_)
    assert found.scene_depth == scenes
    assert found.choices_taken == choices
    assert found.text_shown == texts
    assert set(found.softlocks) == softlocks
    assert found.changes_effective == effective


@pytest.mark.parametrize("max_states", [1, 2, 5])
def test_tiny_bounds_never_crash(demo_path, max_states):
    assert explore(load_story(demo_path), max_states=max_states).states <= max_states


# --- skips are moves ---------------------------------------------------------------------------------

SKIP_ONLY = """
start: a
scenes:
  a:
    text: Something hard is coming.
    skip_to: aside
    choices:
      - text: Stay.
        goto: end
  aside:
    text: You take a breath outside.
    choices:
      - text: Go home.
        goto: gentle
  end:
    ending: {title: End, tone: hopeful}
    text: Done.
  gentle:
    ending: {title: Gentle, tone: tender}
    text: Home.
"""


def test_a_scene_reached_only_by_skipping_is_reached_and_its_choices_taken():
    story_ = story(SKIP_ONLY)
    found = explore(story_)
    assert found.unreached_scenes() == [] and found.untaken_choices() == []
    assert found.scenes_reached_by_skip == {"aside", "gentle"}
    assert found.endings["gentle"] == ("skip", "aside.1")
    assert found.clean
    assert explore(story_, skips=False).unreached_scenes() == ["aside", "gentle"]


# --- the command -------------------------------------------------------------------------------------


def test_explore_command_reports_coverage_and_walkthroughs(capsys):
    from game.cli import main

    assert main(["explore", "demo"]) == 0
    out = capsys.readouterr().out
    assert "scenes         8/8      100%" in out
    assert "understood play stories/demo.yaml --plain --path" in out or "--path van." in out
    assert "Everything is reachable" in out


def test_explore_from_a_scene_with_state_covers_only_what_follows(capsys):
    import json

    from game.cli import main

    assert main(["explore", "demo", "--from", "the_flat", "--set", "closeness=9", "--set", "nerve=4",
                 "--format", "json"]) == 1  # the scenes before the flat are not covered from there
    found = json.loads(capsys.readouterr().out)
    assert found["endings"]["ending_hug"]["shortest_path"] == ["demo-hug"]
    assert "van" in found["unreached_scenes"]


def test_explore_says_clearly_when_the_bound_is_hit(capsys):
    from game.cli import main

    assert main(["explore", "demo", "--max-states", "5"]) == 1
    assert "STOPPED at --max-states 5: this exploration is INCOMPLETE." in capsys.readouterr().out
