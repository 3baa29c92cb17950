"""Skip keeps its promise: in every bundled story, skipping any reachable scene moves the story on
to a neutral continuation, never ending it ("You stepped away"), never moving a meter."""

from __future__ import annotations

from functools import cache

import pytest

from conftest import STORIES
from game.engine import Game
from game.engine.game import STEPPED_AWAY
from game.story import discover, load_story
from game.tools.explore import explore

STORY_FILES = discover([STORIES])
# Stories whose skip routes are not all on main yet (their second drafts add them).
PENDING = {"the-rock": "scene 'sunday' has no skip route yet"}


@cache
def reachable(path):
    story = load_story(path)
    found = explore(story)
    return story, sorted(found.scenes_reached | found.scenes_reached_by_skip)


def cases():
    for path in STORY_FILES:
        marks = [pytest.mark.xfail(reason=PENDING[path.stem], strict=True)] if path.stem in PENDING else []
        yield pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", list(cases()))
def test_skipping_any_reachable_scene_never_ends_the_story(path):
    story, scenes = reachable(path)
    ended = []
    for scene_id in scenes:
        if story.scenes[scene_id].ending is not None:
            continue
        game = Game(story, start=scene_id)
        before = game.meters
        outcome = game.skip()
        assert game.meters == before and not outcome.changes, scene_id
        if game.is_over and game.ending is STEPPED_AWAY:
            ended.append(scene_id)
    assert ended == []


def test_a_skip_true_choice_is_followed_without_its_effects():
    from game.story import parse_story

    story = parse_story("""\
format: 2
id: t
title: T
summary: S.
perspective: You
meters:
  trust: {start: 3}
flags: [told]
start: a
scenes:
  a:
    text: A.
    choices:
      - text: Step outside for a minute.
        skip: true
        effects: {trust: +2, set: [told]}
        remember: You stepped out.
        goto: b
  b:
    text: B.
    ending: {title: B, tone: hopeful}
""")
    game = Game(story)
    outcome = game.skip()
    assert game.scene_id == "b" and game.meters == {"trust": 3} and not game.flags
    assert outcome.remembered is None and game.remembered == ()
