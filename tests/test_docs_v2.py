"""docs/story-format.md's complete format-2 example is real: it loads from its two files, checks
clean, and plays as the document says, every inline form rendered by the engine."""

from __future__ import annotations

import re

from game.engine import Game
from game.story import load_story
from game.tools.checker import check_story
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "story-format.md").read_text(encoding="utf-8")


def write_example(folder):
    files = re.findall(r"<!-- v2-example: ([\w.-]+) -->\n```yaml\n(.*?)```", DOC, re.S)
    assert [name for name, _ in files] == ["kitchen.yaml", "kitchen-endings.yaml"]
    for name, body in files:
        (folder / name).write_text(body, encoding="utf-8")
    return folder / "kitchen.yaml"


def test_the_format_2_example_checks_clean(tmp_path):
    report = check_story(write_example(tmp_path))
    assert [d.format() for d in report.diagnostics] == []
    assert report.exploration.complete and not report.exploration.unreached_scenes()


def test_the_format_2_example_plays_with_every_form_rendered(tmp_path):
    story = load_story(write_example(tmp_path))
    game = Game(story)
    assert game.paragraphs()[:2] == ["The kitchen smells of toast.", '"Is something wrong?" she asks.']
    assert game.paragraphs()[2].startswith("Your phone buzzes on the counter. You ignore it. Outside, ")
    assert game.thought == "Tell her. Just tell her."
    assert [o.text for o in game.options()] == ["Tell her about the job.", "Make more toast"]

    outcome = game.choose(1)
    assert outcome.remembered == "You told her, and her trust rose to 5."
    assert game.paragraphs()[:2] == ["The kitchen again. The toast has gone cold.", '"You told me," she says.']
    assert "You ignore it again." in game.paragraphs()[2]
    assert game.thought == "She knows now. It didn't kill you."
    locked, toast = game.options()
    assert not locked.available and locked.locked_reason == "The words won't come. Trust is only 5."
    assert toast.text == "Make more toast (again)"

    game.choose(toast.number)
    assert game.paragraphs() == ["Your coat is on the hook. 5 out of ten, you think, and you don't know why "
                                 "you think it."]
    game.choose(2)
    assert game.is_over and game.ending.title == "Told"
    assert game.paragraphs() == ["The air is cold. You feel lighter."]


def test_the_example_shuffle_is_the_same_on_every_replay(tmp_path):
    story = load_story(write_example(tmp_path))
    seen = {Game(story).paragraphs()[2] for _ in range(3)}
    assert len(seen) == 1


def test_skipping_the_kitchen_follows_its_skip_choice_without_its_effects(tmp_path):
    story = load_story(write_example(tmp_path))
    game = Game(story)
    game.skip()
    assert game.scene_id == "hallway" and game.meters == {"trust": 3}
    game.choose(2)
    assert game.ending.title == "Not Yet" and game.paragraphs() == ["The air is cold. You carry it out with you."]
