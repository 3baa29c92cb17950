"""The engine's journal and its "last choice that changed the ending" rule (UI-free)."""

from __future__ import annotations

from game.engine import STEPPED_AWAY, Game, journal, last_turning_point
from game.story import load_story, parse_story


def demo_game(path, *numbers: int) -> Game:
    game = Game(load_story(path))
    for number in numbers:
        game.choose(number)
    return game


def test_journal_lists_each_scene_as_it_read_then_and_the_move_made(demo_path):
    game = demo_game(demo_path, 1, 2)
    entries = journal(game)
    assert [e.scene for e in entries] == ["van", "tailgate", "sitting"]
    assert entries[0].step.choice_id == "van.1"
    assert entries[1].paragraphs[0] == '"Yeah," he says. "Yeah. Fine." He keeps taping.'  # as it read then
    assert entries[1].thought == "Ask again. People say fine the first time."
    assert entries[-1].step is None


def test_journal_shows_conditional_text_as_it_was_not_as_it_would_be_now(demo_path):
    game = demo_game(demo_path, 2)
    assert journal(game)[1].paragraphs[0] == "He laughs, a beat late, and keeps taping."


def test_journal_records_a_skip_and_stepping_away_is_not_a_new_scene(demo_path):
    demo = demo_path.read_text(encoding="utf-8")
    van_skip = "    skip_to: tailgate\n"  # a copy of the demo whose first scene has no skip route
    assert demo.count(van_skip) == 1
    game = Game(parse_story(demo.replace(van_skip, "")))
    game.skip()
    assert game.ending is STEPPED_AWAY
    entries = journal(game)
    assert [e.scene for e in entries] == ["van"]
    assert entries[0].step.kind == "skip"


def test_turning_point_is_the_last_choice_with_another_way_to_end(demo_path):
    game = demo_game(demo_path, 2, 2, 2, 3)  # ... and "See you Saturday" at the flat
    point = last_turning_point(game)
    assert point is not None
    assert point.scene == "the_flat" and point.undo == 1 and point.step_index == 3
    assert point.choice_text == '"See you Saturday, yeah?" Keys. Door.'
    assert point.other_endings == ("Chips on the Floor",)
    game.undo(point.undo)
    game.choose(2)
    assert game.ending.title == "Chips on the Floor"


def test_no_turning_point_before_the_end_or_when_nothing_else_could_happen():
    story = parse_story("""\
format: 1
id: one-way
title: One Way
summary: s
perspective: p
start: a
scenes:
  a:
    text: A.
    choices:
      - text: On.
        goto: b
      - text: Also on.
        goto: b
  b:
    ending: {title: The End, tone: hopeful}
    text: B.
""", "one-way.yaml")
    game = Game(story)
    assert last_turning_point(game) is None  # not over yet
    game.choose(1)
    assert last_turning_point(game) is None  # both choices end the same way


LONG_WAY = """\
format: 1
id: long-way
title: Long Way
summary: s
perspective: p
meters:
  n: {start: 0, min: 0, max: 600}
start: a
scenes:
  a:
    text: A.
    choices:
      - text: Round again.
        effects: {n: +1}
        goto: a
      - text: Stop here.
        goto: stopped
      - text: Leave at last.
        if: n >= 500
        goto: left
  stopped:
    ending: {title: Stopped, tone: unresolved}
    text: S.
  left:
    ending: {title: Left, tone: hopeful}
    text: L.
"""


def test_turning_point_search_stays_bounded():
    game = Game(parse_story(LONG_WAY, "long-way.yaml"))
    game.choose(2)
    assert last_turning_point(game, max_states=100) is None  # the other ending is 500 states away
    point = last_turning_point(game)
    assert point is not None and point.other_endings == ("Left",)


def test_endings_one_step_away_need_no_search(demo_path):
    game = demo_game(demo_path, 2, 2, 2, 3)
    assert last_turning_point(game, max_states=0).other_endings == ("Chips on the Floor",)


def test_turning_point_wording_says_what_changed_without_naming_another_ending(demo_path):
    point = last_turning_point(demo_game(demo_path, 2, 2, 2, 3))
    for line in (point.ending_line(), point.rewind_notice()):
        assert '“"See you Saturday, yeah?" Keys. Door.”' in line
        assert "another way" in line
        assert "Chips on the Floor" not in line


def test_turning_point_counts_other_endings_without_naming_them():
    from game.engine import TurningPoint

    point = TurningPoint(0, 1, "a", "Stay.", ("Left", "Stopped"))
    assert point.other_ways() == "in 2 other ways"
    assert "Left" not in point.rewind_notice() and "Stopped" not in point.ending_line()


def test_plain_ending_names_the_turning_choice_and_no_other_ending(demo_path, tmp_path):
    import io

    from game.engine import SaveStore
    from game.plain import PlainPlayer

    out = io.StringIO()
    player = PlainPlayer(load_story(demo_path), saves=SaveStore(tmp_path), stdin=io.StringIO("2\n2\n2\n3\n"),
                         stdout=out)
    player.run()
    text = out.getvalue()
    assert "See You Saturday" in text
    assert "the story can end another way: “\"See you Saturday, yeah?\" Keys. Door.”\n" in text
    assert "Chips on the Floor" not in text
