"""Random playtests are reproducible and honest; the story map draws what the story holds."""

from __future__ import annotations

import shutil

import pytest

from game.cli import main
from game.story import load_story, parse_story
from game.tools import graph
from game.tools.randomtest import randomtest
from storykit import story_text

# --- randomtest ------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_playthroughs(demo_path):
    demo = load_story(demo_path)
    assert randomtest(demo, 500, seed=3).to_dict() == randomtest(demo, 500, seed=3).to_dict()
    assert randomtest(demo, 500, seed=3).to_dict() != randomtest(demo, 500, seed=4).to_dict()


def test_every_run_is_counted_once_at_an_ending(demo_path):
    report = randomtest(load_story(demo_path), 300, seed=1)
    assert sum(report.endings.values()) == 300 == len(report.lengths)
    for counts in report.meters_at_endings.values():
        assert sum(counts.values()) == 300
    assert not report.problems


def test_least_used_choices_come_first_so_every_choice_is_taken(demo_path):
    report = randomtest(load_story(demo_path), 50, seed=9)
    assert report.never_taken == []


def test_a_softlock_is_reported_as_stuck_with_an_example():
    story = parse_story(story_text("""
    meters:
      nerve: {start: 0, min: 0, max: 3}
    start: a
    scenes:
      a:
        text: Start.
        choices:
          - {text: Brave, effects: {nerve: +2}, goto: b}
          - {text: Timid, goto: b}
      b:
        text: Door.
        choices:
          - {text: Knock, if: nerve >= 2, goto: end}
      end:
        ending: {title: End, tone: hopeful}
        text: Done.
    """))
    report = randomtest(story, 20, seed=0)
    assert 0 < report.stuck["b"] < 20 and report.stuck_example["b"] == ("a.2",)
    assert report.stuck["b"] + report.endings["end"] == 20
    assert report.problems


def test_randomtest_command_prints_percentages_and_exits_zero(capsys):
    assert main(["randomtest", "demo", "-n", "200", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "200 random playthroughs, seed 5" in out and "%" in out and "Length: mean" in out
    assert "Meters at the endings" in out


def test_randomtest_rejects_a_bad_count():
    with pytest.raises(SystemExit) as exit_:
        main(["randomtest", "demo", "-n", "zero"])
    assert exit_.value.code == 2


# --- graph -----------------------------------------------------------------------------------------

MAP = """
meters:
  trust: {start: 3, min: 0, max: 10}
start: a
scenes:
  a:
    text: Start.
    skip_to: c
    choices:
      - {text: '"Say it"', if: trust > 5, locked: Not yet., goto: c}
      - {text: Wait, goto: c}
  lost:
    text: Nobody comes here.
    choices:
      - {text: Leave, goto: c}
  c:
    ending: {title: 'The "End"', tone: bittersweet}
    text: Done.
"""


def test_mermaid_marks_guards_tones_skips_and_unreachable_scenes():
    text = graph.mermaid(parse_story(story_text(MAP)), {"lost"})
    assert text.startswith("flowchart TD\n")
    assert 's_a -.->|"if trust #gt; 5"| s_c' in text          # guarded: dashed, with its condition
    assert "s_a --> s_c" in text                               # open: plain
    assert 's_a -.-o|"skip"| s_c' in text
    assert 's_c{{"The #quot;End#quot;<br/>bittersweet"}}' in text   # tone shape, quotes escaped
    assert "class s_c bittersweet" in text and "class s_lost unreachable" in text
    assert "(unreachable)" in text and "class s_a start" in text


def test_dot_marks_guards_tones_and_unreachable_scenes():
    text = graph.dot(parse_story(story_text(MAP)), {"lost"})
    assert '"a" -> "c" [label="if trust > 5", style=dashed' in text
    assert 'shape=hexagon, style=filled, fillcolor="#fde5c5"' in text
    assert '"lost" [label="lost\\n(unreachable)", style="rounded,dashed"' in text
    assert 'label="The \\"End\\"\\nbittersweet"' in text


def test_graph_command_marks_what_exploration_cannot_reach(tmp_path, capsys):
    path = tmp_path / "map.yaml"
    path.write_text(story_text(MAP), encoding="utf-8")
    assert main(["graph", str(path)]) == 0
    assert "class s_lost unreachable" in capsys.readouterr().out
    assert main(["graph", str(path), "--format", "dot", "-o", str(tmp_path / "map.dot")]) == 0
    assert (tmp_path / "map.dot").read_text().startswith('digraph "test-story"')


@pytest.mark.skipif(shutil.which("dot") is not None, reason="Graphviz is installed here")
def test_svg_without_graphviz_says_what_to_do_and_exits_two(capsys):
    assert main(["graph", "demo", "--format", "svg"]) == 2
    assert "Graphviz" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_svg_is_drawn_by_graphviz(capsys):
    assert main(["graph", "demo", "--format", "svg"]) == 0
    assert "<svg" in capsys.readouterr().out
