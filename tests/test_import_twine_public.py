"""Public Twine stories, written by others (tests/fixtures/twine/README.md: the Twine Cookbook,
CC BY-SA 4.0), import with their conditionals kept, load, pass `understood check`, and the
report's reachability line says what play can and cannot reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.story import parse_story
from game.tools.checker import check_story
from game.tools.twine import import_twee

PUBLIC = Path(__file__).parent / "fixtures" / "twine"
SPACE = ("sugarcube-space-exploration.twee", "harlowe-space-exploration.twee")
LOCKS = ("sugarcube-lock-and-key.twee", "harlowe-lock-and-key.twee")


def imported(name: str):
    result = import_twee((PUBLIC / name).read_text(encoding="utf-8"), name)
    return result, parse_story(result.yaml, "imported.yaml")


@pytest.mark.parametrize("name", SPACE + LOCKS)
def test_public_stories_import_load_and_pass_check(name, tmp_path, capsys):
    out = tmp_path / "story.yaml"
    assert main(["import", str(PUBLIC / name), "-o", str(out)]) == 0
    assert check_story(out).errors == []
    err = capsys.readouterr().err
    assert "It passes `understood check`" in err


@pytest.mark.parametrize("name, story_format", [(SPACE[0], "sugarcube"), (SPACE[1], "harlowe")])
def test_space_exploration_keeps_the_status_checks_as_conditions(name, story_format):
    result, story = imported(name)
    assert result.story_format == story_format
    # 7 conditionals in the source: the 3 status checks are kept (in both scenes that show the HUD); the
    # 2 planet colours (inside a loop over an array) and 2 random outcomes (on temporary variables) are not.
    assert result.passages == 12
    assert (result.stats["conditionals"], result.stats["conditionals kept"], result.stats["conditionals lost"]) == (7, 3, 4)
    assert result.stats["conditional choices"] == 8
    assert {m["name"] for m in result.meters} == {"fuel", "health", "number_of_jumps_left"}
    assert story.meters["health"].start == 20 and story.meters["number_of_jumps_left"].start == 10
    jump, destroyed, lost, safe = story.scenes["explore_space_1"].choices
    assert (jump.text, jump.goto) == ("Hyperjump", "explore_space_2")
    assert [str(m) for m in jump.effects.meters] == ["fuel -1", "number_of_jumps_left -1"]
    assert jump.condition.source == "health > 0 and fuel > 0 and number_of_jumps_left > 0"
    assert (destroyed.goto, destroyed.condition.source) == ("destroyed", "health <= 0")
    assert (lost.goto, lost.condition.source) == ("lost_in_space", "fuel <= 0 and health > 0")
    assert safe.condition.source == "number_of_jumps_left <= 0 and health > 0 and fuel > 0"
    assert "Fuel: ((fuel))" in result.yaml                     # the HUD, included, prints the meters
    assert {"destroyed", "lost_in_space", "safe"} <= {s for s, sc in story.scenes.items() if sc.ending}


@pytest.mark.parametrize("name", SPACE)
def test_space_exploration_reports_the_random_planets_and_says_what_play_cannot_reach(name, tmp_path, capsys):
    result, _ = imported(name)
    kinds = {n.kind for n in result.notes if n.severity == "warning"}
    assert "condition that cannot be translated" in kinds        # the random outcome, on a temporary variable
    assert any(k in kinds for k in ("macro <<for>>", "macro (for:)"))
    out = tmp_path / "space.yaml"
    main(["import", str(PUBLIC / name), "-o", str(out)])
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("It passes `understood check`")
    # Without the untranslated refuelling, fuel runs out before the tenth jump: two endings
    # ('Destroyed', 'Safe') cannot be reached, and the summary says why.
    assert "2 of 6 scenes unreachable until the untranslated macros are handled" in err[-1]


@pytest.mark.parametrize("name", LOCKS)
def test_lock_and_key_plays_as_the_puzzle_it_is(name):
    result, story = imported(name)
    assert result.untranslated == 0 and result.stats["conditionals kept"] == 2
    assert story.flags == ("key",)
    assert story.scenes["start"].on_enter.clear == ("key",)
    exit_ = next(c for c in story.scenes["front_room"].choices if c.goto == "exit")
    assert exit_.condition.source == "key"
    take = story.scenes["back_room"].choices[0]
    assert take.goto == "back_room" and take.condition.source == "not key" and take.effects.set == ("key",)
    nothing = next(p for p in story.scenes["back_room"].text if "nothing here" in p.text)
    assert nothing.condition.source == "key"


@pytest.mark.parametrize("name", LOCKS)
def test_lock_and_key_exit_is_reachable_by_play(name, tmp_path, capsys):
    out = tmp_path / "lock.yaml"
    main(["import", str(PUBLIC / name), "-o", str(out)])
    assert "all 4 scenes reachable" in capsys.readouterr().err
    report = check_story(out)
    assert "exit" in report.exploration.scenes_reached
