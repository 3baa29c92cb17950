"""The plain player in classroom mode: notes first with a no-reason opt-out, pause and skip,
a summary at the ending or on stopping, and a reflection that stays the student's."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from _classroom import demo_story
from game.classroom.plain import ClassroomPlainPlayer
from game.classroom.session import ClassroomSession
from game.cli import main
from game.engine import SaveStore
from game.story import parse_story

QUIET_STORY = """
format: 1
id: quiet
title: Quiet
summary: A short one.
perspective: Ash, 40
start: a
scenes:
  a:
    text: The kettle clicks off.
    choices:
      - text: Make tea.
        tags: [presence]
        goto: end
  end:
    ending: {title: Tea, tone: tender}
    text: It's warm.
"""


def run_player(tmp_path: Path, lines: list[str], story=None) -> tuple[str, Path, ClassroomPlainPlayer]:
    story = story or demo_story()
    session = ClassroomSession("p3", tmp_path / "classes")
    out = io.StringIO()
    player = ClassroomPlainPlayer(story, session, saves=SaveStore(tmp_path / "saves"),
                                  stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    assert player.run() == 0
    return out.getvalue(), tmp_path / "classes" / "p3", player


def only_summary(folder: Path) -> dict:
    (path,) = folder.glob("*.json")
    return json.loads(path.read_text())


def test_content_notes_come_first_with_a_way_to_sit_out(tmp_path):
    out, _, _ = run_player(tmp_path, [])
    notes = out.index("this story touches on breakup and loneliness")
    assert notes < out.index("Sit this one out") and "don't have to say why" in out
    assert "The van smells" not in out  # nothing of the story before the student says yes


def test_content_notes_are_shown_even_when_the_story_lists_none(tmp_path):
    out, _, _ = run_player(tmp_path, ["1", "1"], story=parse_story(QUIET_STORY))
    assert "lists no content notes" in out and "Sit this one out" in out


def test_sitting_out_asks_no_reason_and_offers_the_debrief_questions(tmp_path):
    out, folder, _ = run_player(tmp_path, ["2"])
    assert "Nobody will ask why" in out and "why?" not in out.lower().replace("say why", "")
    assert "What did Tom need, and what did Arun do with that?" in out
    data = only_summary(folder)
    assert data["opted_out"] is True and data["choices"] == []


def test_input_ending_before_the_story_starts_counts_nothing(tmp_path):
    _, folder, _ = run_player(tmp_path, [])
    assert not folder.exists() or not list(folder.iterdir())


def test_pause_waits_and_then_shows_the_scene_again(tmp_path):
    out, _, _ = run_player(tmp_path, ["1", "pause", "", "quit"])
    paused = out.index("Paused. Take as long as you need.")
    assert out.count("The van smells") == 2 and out.index("The van smells", paused) > paused


def test_skip_is_always_there_and_is_counted_as_a_skip(tmp_path):
    out, folder, _ = run_player(tmp_path, ["1", "skip", "quit"])
    assert "skip this scene" in out.lower()
    assert only_summary(folder)["choices"] == [{"scene": "van", "skip": True}]


def test_quitting_writes_the_choices_so_far(tmp_path):
    out, folder, _ = run_player(tmp_path, ["1", "1", "quit"])
    data = only_summary(folder)
    assert [c["choice"] for c in data["choices"]] == ["van.1"] and data["completed"] is False
    assert "You've stopped here" in out


def test_input_ending_mid_story_writes_the_summary_too(tmp_path):
    _, folder, _ = run_player(tmp_path, ["1", "2"])
    assert [c["choice"] for c in only_summary(folder)["choices"]] == ["van.2"]


def test_the_ending_writes_the_summary_and_keeps_no_saves(tmp_path):
    out, folder, _ = run_player(tmp_path, ["1", "2", "3", "3", "n"])
    data = only_summary(folder)
    assert data["completed"] is True and data["ending"]["title"] == "See You Saturday"
    assert not (tmp_path / "saves").exists() or not list((tmp_path / "saves").iterdir())


def test_save_and_load_are_not_offered_in_class(tmp_path):
    out, _, _ = run_player(tmp_path, ["1", "save mine", "quit"])
    assert "nothing is saved on this computer" in out


def test_a_reflection_stays_with_the_student_unless_shared(tmp_path):
    lines = ["1", "2", "3", "3", "y", "It was hard to watch", "", "", "", "", "n"]
    out, folder, player = run_player(tmp_path, lines)
    assert player.reflection.answers[0] == "It was hard to watch"
    assert "It was hard" not in (folder / next(folder.glob("*.json")).name).read_text()
    assert "Your answers stay with you" in out


def test_a_shared_reflection_goes_into_the_summary(tmp_path):
    lines = ["1", "2", "3", "3", "y", "It was hard to watch", "", "", "", "", "y"]
    _, folder, _ = run_player(tmp_path, lines)
    assert only_summary(folder)["reflection"] == ["It was hard to watch", "", "", ""]


def test_a_reflection_can_be_kept_as_markdown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = ["1", "2", "3", "3", "y", "Hard", "He needed a friend", "", "", "mine.md", "n"]
    out, _, _ = run_player(tmp_path, lines)
    text = (tmp_path / "mine.md").read_text()
    assert text.startswith("# The Last Box: my reflection")
    assert "## What did Tom need, and what did Arun do with that?\n\nHe needed a friend" in text
    assert "_(left blank)_" in text


def test_keeping_a_reflection_never_overwrites_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.md").write_text("precious")
    lines = ["1", "2", "3", "3", "y", "Hard", "", "", "", "mine.md", "other.md", "n"]
    out, _, _ = run_player(tmp_path, lines)
    assert (tmp_path / "mine.md").read_text() == "precious"
    assert "already a file called mine.md" in out and (tmp_path / "other.md").exists()


def test_the_command_line_plays_in_class_mode(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n2\nquit\n"))
    assert main(["play", "demo", "--plain", "--classroom", "p3", "--classes", str(tmp_path / "c")]) == 0
    assert "Sit this one out" in capsys.readouterr().out
    assert only_summary(tmp_path / "c" / "p3")["choices"][0]["choice"] == "van.2"


def test_class_options_before_the_command_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("2\n"))
    assert main(["--classroom", "p4", "--classes", str(tmp_path / "c"), "play", "demo", "--plain"]) == 0
    assert only_summary(tmp_path / "c" / "p4")["opted_out"] is True


def test_a_bad_class_name_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["play", "demo", "--plain", "--classroom", "no spaces"])
    assert exit_.value.code == 2 and "not a usable class name" in capsys.readouterr().err


def test_summaries_go_under_the_working_directory_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("2\n"))
    assert main(["play", "demo", "--plain", "--classroom", "p5"]) == 0
    assert only_summary(tmp_path / "classes" / "p5")["opted_out"] is True
