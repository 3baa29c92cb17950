"""The engine: choices as guarded transitions, effects, undo, skipping, endings and history."""

import pytest

from game.engine import STEPPED_AWAY, ChoiceLocked, Game, GameOver, NoSuchChoice
from game.engine.machine import TRIGGERS, machine_for
from game.story import parse_story
from tests.storytext import BASE, replace


@pytest.fixture
def story():
    return parse_story(BASE, "tiny.yaml")


def test_start_scene_is_entered_with_its_on_enter_effects(story):
    game = Game(story)
    assert game.scene_id == "dinner"
    assert game.meters == {"trust": 3, "armor": 6, "stress": 3}
    assert game.visits == {"dinner": 1}


def test_locked_choice_shows_reason_and_cannot_be_taken(story):
    game = Game(story)
    options = game.options()
    assert [(o.number, o.available, o.locked_reason) for o in options] == [
        (1, False, "The words stick."), (2, True, None), (3, True, None)]
    before = game.snapshot()
    with pytest.raises(ChoiceLocked, match="The words stick."):
        game.choose(1)
    assert game.snapshot() == before and game.history == ()


def test_a_false_choice_without_locked_is_hidden(story):
    assert "A hidden option." not in [o.text for o in Game(story).options()]


def test_choices_unlock_when_their_condition_becomes_true(story):
    game = Game(story)
    game.choose(2)  # kitchen
    game.choose(1)  # back: trust +1 -> 4
    assert game.paragraphs() == ["Maya sets down her fork.", "She glances at the letters."]
    outcome = game.choose(1)
    assert outcome.remembered == "Maya will remember that."
    assert game.is_over and game.ending.title == "Seen"
    assert game.meters["trust"] == 6 and game.meters["armor"] == 4
    assert game.flags == {"told"}


def test_effects_clamp_to_meter_bounds_and_set_values():
    story = parse_story(replace("effects: {trust: +1}", "effects: {trust: +50, armor: =0}"))
    game = Game(story)
    game.choose(2)
    outcome = game.choose(1)
    assert game.meters["trust"] == 10 and game.meters["armor"] == 0
    assert {(m.name, a, b) for m, a, b in outcome.changes} == {("trust", 3, 10), ("armor", 6, 0)}


def test_set_and_clear_flags_and_equals_effect(story):
    game = Game(story)
    game.choose(3)
    assert game.flags == {"hid"}
    game.choose("after-wash")
    assert game.flags == frozenset() and game.meters["stress"] == 0
    assert game.ending.tone == "lonely" and game.ending.support


def test_hidden_meters_are_tracked_but_not_visible(story):
    game = Game(story)
    assert [m.name for m, _ in game.visible_meters()] == ["trust", "armor"]
    assert "stress" in game.meters


def test_undo_any_number_of_steps(story):
    game = Game(story)
    start = game.snapshot()
    game.choose(2)
    mid = game.snapshot()
    game.choose(1)
    game.choose(1)
    assert game.is_over
    assert game.undo() == 1 and not game.is_over
    assert game.undo(1) == 1 and game.snapshot() == mid
    assert game.undo(10) == 1 and game.snapshot() == start
    assert not game.can_undo and game.undo() == 0


def test_skip_moves_to_skip_to_and_never_costs_a_meter(story):
    game = Game(story)
    before = game.meters
    outcome = game.skip()
    assert game.scene_id == "after" and game.meters == before
    assert outcome.step.kind == "skip" and outcome.changes == ()
    assert game.record() == [{"skip": "dinner"}]


def test_skipping_does_not_apply_destination_meter_effects():
    text = replace("  after:\n    text: The dishes.", "  after:\n    on_enter: {trust: -3, set: [hid]}\n    text: The dishes.")
    game = Game(parse_story(text))
    game.skip()
    assert game.meters["trust"] == 3 and "hid" in game.flags


def test_skip_without_skip_to_ends_the_story_gently(story):
    game = Game(story)
    game.choose(2)
    game.skip()
    assert game.is_over and game.ending == STEPPED_AWAY and game.ending.support
    assert game.options() == []
    game.undo()
    assert not game.is_over and game.scene_id == "kitchen"


def test_bad_moves_raise_clear_errors(story):
    game = Game(story)
    with pytest.raises(NoSuchChoice, match="choices: 1 to 3"):
        game.choose(9)
    with pytest.raises(NoSuchChoice):
        game.choose("nope")
    game.choose(3)
    game.choose(1)
    with pytest.raises(GameOver):
        game.choose(1)
    with pytest.raises(GameOver):
        game.skip()


def test_history_meter_history_and_locked_met(story):
    game = Game(story)
    game.choose(2)
    game.choose(1)
    game.choose(3)
    assert [s.choice_id for s in game.history] == ["dinner.2", "kitchen.1", "dinner.3"]
    assert game.history[2].tags == ("mask",)
    assert game.meter_history()["trust"] == [3, 3, 4, 4]
    assert game.meter_history()["stress"] == [3, 3, 4, 4]  # on_enter runs on every entry
    locks = game.locked_met()
    assert [(lock.scene, lock.choice_id, lock.reason) for lock in locks] == [("dinner", "dinner.1", "The words stick.")]


def test_start_anywhere_with_overrides(story):
    game = Game(story, start="after", overrides={"trust": 9, "told": True})
    assert game.scene_id == "after" and game.meters["trust"] == 9 and "told" in game.flags


def test_one_machine_per_story_with_a_fixed_set_of_triggers(story):
    machine = machine_for(story)
    assert machine_for(story) is machine
    Game(story), Game(story)
    assert machine.machine.models == []  # the shared, model-less pattern
    assert set(machine.machine.events) <= set(TRIGGERS) | {"skip"}
    assert not any(name.startswith("to_") for name in machine.machine.events)  # auto_transitions off


def test_the_transitions_machine_moves_the_game_scenes_are_states_and_guards_decide(story):
    from transitions import Machine, State, Transition

    game = Game(story)
    machine = machine_for(story)
    assert isinstance(machine.machine, Machine)
    machine.reach(game.scene_id)  # a scene's transitions go in the first time a game stands there
    option = next(o for o in game.options() if o.available)
    event, transition = machine._moves[option.id]
    assert isinstance(transition, Transition) and isinstance(machine.machine.states[game.scene_id], State)
    assert (transition.source, transition.dest) == (game.scene_id, option.choice.goto)
    transition.conditions[0].func = lambda event: False  # the guard says no: nothing moves
    with pytest.raises(ChoiceLocked):
        game.choose(option.number)
    assert game.scene_id == transition.source and not game.history


def test_reflexive_choices_re_enter_the_scene():
    text = replace("      - text: Back to the table.\n        effects: {trust: +1}\n        goto: dinner",
                   "      - text: Back to the table.\n        effects: {trust: +1}\n        goto: dinner\n"
                   "      - text: Look again.\n        goto: kitchen")
    game = Game(parse_story(text))
    game.choose(2)
    game.choose(2)
    assert game.scene_id == "kitchen" and game.visits["kitchen"] == 2


def test_a_choice_reports_its_own_meter_changes_apart_from_the_next_scenes_on_enter():
    text = replace("  kitchen:\n    text: The letters, face down.",
                   "  kitchen:\n    on_enter: {trust: -1}\n    text: The letters, face down.")
    game = Game(parse_story(text))
    outcome = game.choose(2)  # no effects of its own; the kitchen's on_enter lowers trust
    assert outcome.changes == ()
    assert [(m.name, a, b) for m, a, b in outcome.arrival] == [("trust", 3, 2)]
    outcome = game.choose(1)  # trust +1, then dinner's on_enter moves only the hidden stress
    assert [(m.name, a, b) for m, a, b in outcome.changes] == [("trust", 2, 3)]
    assert outcome.arrival == ()


def test_remembered_renderings_are_what_rendering_gives_in_every_state():
    """`rules.display` keeps renderings by the values a text reads; each must be what rendering
    that state gives, however the states come and go."""
    import random
    from pathlib import Path

    from game.engine import rules, text
    from game.engine.rules import State
    from game.story import load_story
    from game.story.texts import scene_texts

    story = load_story(Path(__file__).parent / "fixtures" / "v2" / "kitchen.yaml", use_cache=False)
    rng = random.Random(3)
    for _ in range(300):
        scene = rng.choice(list(story.scenes.values()))
        meters = {m.name: rng.randint(m.min, m.max) for m in story.meters.values()}
        flags = frozenset(f for f in story.flags if rng.random() < 0.5)
        visits = {s: rng.randint(0, 4) for s in story.scenes if rng.random() < 0.7}
        state = State(scene.id, meters, flags, visits)
        for item in scene_texts(scene):
            context = text.Context(state, story.id, scene.id)
            assert rules.display(story, state, item.parts, scene.id, "paragraphs") == text.paragraphs(item.parts, context)
            assert rules.display(story, state, item.parts, scene.id, "lines") == text.lines(item.parts, context)
            assert rules.display(story, state, item.parts, scene.id) == text.joined(item.parts, context)
        assert rules.offered(story, state) == rules._offered(story, state, rules.choice_states(story, state))
