"""Recorded playthroughs: a transcript of the shortest path to every ending of every story.

The transcripts are what the plain player prints, kept as snapshots (pytest-snapshot), so an edit
that changes an ending, or the way to it, shows up as a diff to review. After a deliberate
change, refresh them with `pytest tests/test_story_transcripts.py --snapshot-update`.
"""

from __future__ import annotations

import io

import pytest

from game.engine import Game, SaveStore
from game.plain import PlainPlayer
from game.story import discover, load_story
from game.tools.explore import SKIP, explore
from tests.conftest import STORIES

CASES = []
for path in discover([STORIES]):
    story = load_story(path, use_cache=False)
    for ending, moves in sorted(explore(story).endings.items()):
        CASES.append(pytest.param(path, ending, moves, id=f"{story.id}-{ending}"))


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


@pytest.mark.parametrize("path, ending, moves", CASES)
def test_transcript_to_each_ending(path, ending, moves, snapshot, tmp_path):
    story = load_story(path)
    script = "\n".join(typed_lines(story, moves)) + "\n"
    out = io.StringIO()
    PlainPlayer(story, saves=SaveStore(tmp_path), stdin=io.StringIO(script), stdout=out, width=None).run()
    transcript = out.getvalue()
    assert f"== Ending: {story.scenes[ending].ending.title} " in transcript
    snapshot.snapshot_dir = STORIES.parent / "tests" / "snapshots" / "transcripts"
    snapshot.assert_match(transcript, f"{story.id}--{ending}.txt")
