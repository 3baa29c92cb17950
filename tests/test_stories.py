"""Every story in stories/ holds together: the explorer walks each one completely.

New stories are picked up automatically: whatever .yaml files are in stories/ are tested.
"""

from __future__ import annotations

from functools import cache

import pytest

from conftest import STORIES
from game.engine import Game
from game.story import discover
from game.tools.checker import check_story

STORY_FILES = discover([STORIES])


@cache
def report(path):
    return check_story(path)


def story_ids():
    return [p.stem for p in STORY_FILES]


@pytest.fixture(params=STORY_FILES, ids=story_ids())
def checked(request):
    result = report(request.param)
    assert result.story is not None, "\n".join(e.format() for e in result.errors)
    return result


def test_there_are_stories_to_check():
    assert STORY_FILES


def test_no_check_errors(checked):
    assert not checked.errors, "\n".join(e.format() for e in checked.errors)


def test_the_exploration_is_complete(checked):
    assert checked.exploration.complete


def test_every_scene_is_reachable(checked):
    assert checked.exploration.unreached_scenes() == []


def test_every_ending_is_reachable(checked):
    assert checked.exploration.unreached_endings() == []


def test_no_reachable_dead_end(checked):
    found = checked.exploration
    assert not found.softlocks, [f"{s.scene} via {s.path}" for s in found.softlocks.values()]
    assert not found.traps, [f"{t.scenes} via {t.first.path}" for t in found.traps]


def test_every_locked_choice_unlocks_on_some_reachable_path(checked):
    assert [c.id for c in checked.exploration.never_unlocked()] == []


def test_each_endings_shortest_walkthrough_plays_to_it_in_the_game(checked):
    story = checked.story
    for ending, path in checked.exploration.endings.items():
        game = Game(story)
        for move in path:
            game.choose(move)
        assert game.is_over and game.scene_id == ending
