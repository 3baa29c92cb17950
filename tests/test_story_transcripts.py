"""Recorded playthroughs: a transcript of the shortest path to every ending of every story.

The transcripts are what the plain player prints, kept as snapshots (pytest-snapshot), so an edit
that changes an ending, or the way to it, shows up as a diff to review. After a deliberate
change, refresh them with `pytest tests/test_story_transcripts.py --snapshot-update`.
"""

from __future__ import annotations

import io
from functools import cache

import pytest

from game.engine import Game, SaveStore
from game.plain import PlainPlayer
from game.story import discover, load_story
from game.tools.explore import SKIP, explore
from tests.conftest import STORIES

# One case per ending scene of every story, found by loading alone: the walk that finds each
# ending's shortest path runs in the test (once per story and worker), not at collection.
CASES = [pytest.param(path, scene.id, id=f"{story.id}-{scene.id}")
         for path in discover([STORIES]) for story in [load_story(path)] for scene in story.endings]


@cache
def shortest_paths(path) -> dict[str, tuple[str, ...]]:
    return explore(load_story(path)).endings


def typed_lines(story, moves) -> list[str]:
    """The plain player's input for a path of choice ids: the number each choice shows under."""
    game = Game(story)
    lines = []
    for move in moves:
        if move == SKIP:
            lines.append("skip")
            game.skip()
            continue
        number = game.find_option(move).number
        lines.append(str(number))
        game.choose(move)
    return lines


@pytest.mark.parametrize("path, ending", CASES)
def test_transcript_to_each_ending(path, ending, snapshot, tmp_path):
    moves = shortest_paths(path).get(ending)
    if moves is None:
        pytest.skip("no move reaches this ending (`understood explore` reports it)")
    story = load_story(path)
    script = "\n".join(typed_lines(story, moves)) + "\n"
    out = io.StringIO()
    PlainPlayer(story, saves=SaveStore(tmp_path), stdin=io.StringIO(script), stdout=out, width=None).run()
    transcript = out.getvalue()
    assert f"== Ending: {story.scenes[ending].ending.title} " in transcript
    snapshot.snapshot_dir = STORIES.parent / "tests" / "snapshots" / "transcripts"
    snapshot.assert_match(transcript, f"{story.id}--{ending}.txt")
