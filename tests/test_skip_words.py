"""Every message about skip says what really happens in that scene."""

from game.engine.skipping import MOVE_ON, STEP_AWAY, TO_AN_ENDING, skip_words
from game.story import parse_story

STORY = """\
format: 1
id: t
title: T
summary: S.
perspective: You
start: a
scenes:
  a:
    text: A.
    skip_to: b
    choices: [{text: Go, goto: b}]
  b:
    text: B.
    skip_to: c
    choices: [{text: Go, goto: c}, {text: Stay, goto: d}]
  d:
    text: D.
    choices: [{text: Go, goto: c}]
  c:
    text: C.
    ending: {title: C, tone: hopeful}
"""


def test_the_words_follow_the_route():
    story = parse_story(STORY)
    assert skip_words(story, story.scenes["a"]) is MOVE_ON
    assert skip_words(story, story.scenes["b"]) is TO_AN_ENDING and TO_AN_ENDING.ends
    assert skip_words(story, story.scenes["d"]) is STEP_AWAY and "ends the story" in STEP_AWAY.offer
    assert all("never costs you anything" in w.offer for w in (MOVE_ON, TO_AN_ENDING, STEP_AWAY))


def test_the_plain_player_says_so_when_skipping_ends_the_story(tmp_path):
    import io

    from game.engine import SaveStore
    from game.plain import play_plain

    story = parse_story(STORY)
    out = io.StringIO()
    play_plain(story, SaveStore(tmp_path / "saves"), stdin=io.StringIO("1\n2\nskip\n"), stdout=out)
    assert f"({STEP_AWAY.done})" in out.getvalue()
