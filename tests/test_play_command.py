"""`understood` and `understood play`: which player opens, and the playtesting flags."""

from __future__ import annotations

import argparse
import io

import pytest

from game.cli import UsageError, build_parser, main
from game.commands import play


def test_help_mentions_the_plain_player_for_screen_readers(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--plain" in out and "screen reader" in out


def test_without_a_terminal_understood_offers_the_plain_players_story_menu(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("demo\nquit\n"))
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "Stories:" in out and "(play demo)" in out
    assert "== The Last Box ==" in out and "Your place is saved." in out


def test_play_opens_the_game_app_with_the_story_and_flags(monkeypatch):
    seen = {}
    monkeypatch.setattr(play, "_interactive", lambda: True)
    monkeypatch.setattr("game.tui.app.run_app", lambda options: seen.setdefault("options", options) and 0)
    args = build_parser().parse_args(["play", "demo", "--watch", "--load", "slot-1"])
    args.start, args.set, args.path = "tailgate", ["nerve=4", "asked_about_her"], "van.1,tailgate.2"
    play.run(args)
    options = seen["options"]
    assert (options.story, options.watch, options.load_slot) == ("demo", True, "slot-1")
    assert options.start == "tailgate"
    assert options.overrides == {"nerve": 4, "asked_about_her": True}
    assert options.moves == ("van.1", "tailgate.2")


def test_understood_with_no_story_opens_the_title(monkeypatch):
    seen = {}
    monkeypatch.setattr(play, "_interactive", lambda: True)
    monkeypatch.setattr("game.tui.app.run_app", lambda options: seen.setdefault("options", options) and 0)
    main([])
    assert seen["options"].story is None


def test_play_of_an_unknown_story_says_so_before_opening_anything(monkeypatch, capsys):
    monkeypatch.setattr(play, "_interactive", lambda: True)
    assert main(["play", "no-such-story"]) == 1
    assert "no story called 'no-such-story'" in capsys.readouterr().err


def test_set_values_must_be_numbers_or_true_false():
    assert play._overrides(["trust=+2", "told=off", "x"]) == {"trust": 2, "told": False, "x": True}
    assert play._overrides({"trust": 3}) == {"trust": 3}
    with pytest.raises(UsageError):
        play._overrides(["trust=lots"])


def test_path_reads_a_file_of_choice_ids(tmp_path):
    walkthrough = tmp_path / "to-the-hug.txt"
    walkthrough.write_text("# shortest path\n- van.1\ntailgate.2\n\n", encoding="utf-8")
    assert play._moves(str(walkthrough)) == ("van.1", "tailgate.2")
    assert play._moves(["a", "b"]) == ("a", "b")
    assert play._moves(None) == ()


def test_first_accepts_whichever_name_the_flag_was_given():
    assert play._first(argparse.Namespace(from_scene="x"), "start", "from_scene") == "x"
    assert play._first(argparse.Namespace(), "start") is None
