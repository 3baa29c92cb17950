"""The plain player for screen readers and pipes: a story menu, `understood list`, no decorative
symbols, `quit` at every prompt, and any line of input (never a traceback)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from _classroom import demo_story
from game.classroom.plain import ClassroomPlainPlayer
from game.classroom.session import ClassroomSession
from game.cli import main
from game.engine import SaveStore
from game.plain import MAX_LINE, PlainPlayer
from game.story import parse_story
from tests.conftest import ROOT
from tests.storytext import BASE


def plain(lines, tmp_path, story=None) -> str:
    out = io.StringIO()
    player = PlainPlayer(story or parse_story(BASE), saves=SaveStore(tmp_path / "saves"),
                         stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    assert player.run() == 0
    return out.getvalue()


def test_understood_list_numbers_every_story_with_its_id(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "(play demo)" in out and out.lstrip().startswith("1. ")
    assert "*" not in out


def test_the_story_menu_takes_a_number_an_id_or_quit(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("9\n²\nthe-rock\nquit\n"))
    assert main(["--plain"]) == 0
    out = capsys.readouterr().out
    assert "Type a number from 1 to" in out and "== The Rock ==" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))
    assert main(["play", "--plain"]) == 0
    assert "Goodbye." in capsys.readouterr().out


def test_remembered_lines_are_words_not_stars(tmp_path):
    out = plain(["2", "1", "1", "quit"], tmp_path)
    assert "Remembered: Maya will remember that." in out
    assert "\n* " not in out


def test_help_documents_the_commands_the_players_accept(capsys):
    with pytest.raises(SystemExit):
        main(["play", "--help"])
    out = capsys.readouterr().out
    for command in ("undo", "skip", "save NAME", "load NAME", "support", "quit", "pause"):
        assert command in out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "understood list" in capsys.readouterr().out


@pytest.mark.parametrize("line", ["²", "①", "٣", "9" * 5000, "-1", "0", "1" * 4, "x" * (MAX_LINE * 3),
                                  "\x1b[2J", "1\x001", "\u202e1"])
def test_any_line_at_a_choice_prompt_gets_a_message_not_a_traceback(tmp_path, line):
    out = plain([line, "quit"], tmp_path)
    assert "Your place is saved." in out
    assert "\x1b" not in out and "\x00" not in out and "\u202e" not in out
    assert len(out) < 20_000  # a huge line is not echoed back whole


def test_bytes_that_are_not_utf8_are_read_as_a_line_like_any_other(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    story = tmp_path / "tiny.yaml"
    story.write_text(BASE)
    result = subprocess.run([sys.executable, "-m", "game", "play", str(story), "--plain"],
                            input=b"\xff\xfe\x80\n2\nquit\n", capture_output=True, cwd=tmp_path, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr and b"You chose: Go to the kitchen." in result.stdout


def classroom(lines, tmp_path, story=None):
    session = ClassroomSession("p3", tmp_path / "classes")
    out = io.StringIO()
    player = ClassroomPlainPlayer(story or demo_story(), session, saves=SaveStore(tmp_path / "saves"),
                                  stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    code = player.run()
    return code, out.getvalue(), list((tmp_path / "classes" / "p3").glob("*.json"))


def test_quit_at_the_content_notes_stops_and_counts_nothing(tmp_path):
    code, out, files = classroom(["quit"], tmp_path)
    assert code == 0 and "stopped before the story began" in out and files == []


def test_quit_at_the_pause_prompt_stops_and_counts_what_was_played(tmp_path):
    code, out, files = classroom(["1", "1", "pause", "quit"], tmp_path)
    assert code == 0 and len(files) == 1
    assert json.loads(files[0].read_text())["choices"]


@pytest.mark.parametrize("line", ["²", "9" * 5000, "\x1b]52;c;eA==\x07", "x" * (MAX_LINE * 2)])
def test_the_classroom_player_survives_any_line_and_still_writes_the_summary(tmp_path, line):
    code, out, files = classroom(["1", line, "1", line, "quit"], tmp_path)
    assert code == 0 and len(files) == 1 and "\x1b" not in out


def test_a_crash_mid_story_still_writes_the_classroom_summary(tmp_path, monkeypatch):
    def boom(self, number):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ClassroomPlainPlayer, "take", boom)
    with pytest.raises(RuntimeError):
        classroom(["1", "1"], tmp_path)
    assert len(list((tmp_path / "classes" / "p3").glob("*.json"))) == 1


def test_a_closed_terminal_still_writes_the_classroom_summary(tmp_path):
    """SIGHUP (the terminal window closed) mid-story: what was played still counts."""
    import signal
    import time

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "game", "play", "demo", "--plain", "--classroom", "p3",
                                "--classes", str(tmp_path / "classes")], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env)
    process.stdin.write(b"1\n1\n")
    process.stdin.flush()
    seen = b""
    deadline = time.time() + 30
    while b"You chose:" not in seen and time.time() < deadline:
        seen += process.stdout.read1(4096)
    process.send_signal(signal.SIGHUP)
    process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGHUP
    (summary,) = (tmp_path / "classes" / "p3").glob("*.json")
    assert json.loads(summary.read_text())["choices"]
