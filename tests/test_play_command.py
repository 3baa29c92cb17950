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
    args.from_scene, args.set, args.path = "tailgate", ["nerve=4", "asked_about_her"], "van.1,tailgate.2"
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


# --- one play setup for every front end ------------------------------------------------------------


def _tui_options(monkeypatch, argv):
    seen = {}
    monkeypatch.setattr(play, "_interactive", lambda: True)
    monkeypatch.setattr("game.tui.app.run_app", lambda options: seen.setdefault("options", options) and 0)
    code = main(argv)
    return code, seen.get("options")


@pytest.mark.parametrize("argv, message", [
    (["--set", "closeness=99"], "'closeness' goes from 0 to 10"),
    (["--set", "trsut=3"], "'trsut' is neither a meter nor a flag of demo"),
    (["--set", "closenes=3"], "Did you mean 'closeness'?"),
    (["--set", "nerv=3"], "Did you mean 'nerve'?"),
    (["--from", "tailgat"], "Did you mean 'tailgate'?"),
])
def test_a_bad_setup_is_the_same_usage_error_in_the_game_and_the_plain_player(monkeypatch, capsys, argv, message):
    with pytest.raises(SystemExit) as plain_exit:
        main(["play", "demo", "--plain", *argv])
    plain_err = capsys.readouterr().err
    with pytest.raises(SystemExit) as tui_exit:
        _tui_options(monkeypatch, ["play", "demo", *argv])
    tui_err = capsys.readouterr().err
    assert plain_exit.value.code == tui_exit.value.code == 2
    assert message in plain_err and plain_err == tui_err


def test_a_path_with_a_skip_starts_the_game_where_the_plain_player_starts(monkeypatch, capsys):
    from game.engine.setup import PlaySetup
    from game.story import load_story
    from game.tui.app import UnderstoodApp

    code, options = _tui_options(monkeypatch, ["play", "demo", "--path", "van.1,skip"])
    assert options.moves == ("van.1", "skip")
    app = UnderstoodApp(options)
    story = load_story("stories/demo.yaml")
    app._cli_story_id = story.id
    game, notice = app.new_game(story)
    assert notice is None and game.history[-1].kind == "skip"
    plain, _ = PlaySetup(moves=("van.1", "skip")).begin(story)
    assert game.scene_id == plain.scene_id == "the_flat"


def test_the_plain_player_walks_a_path_with_a_skip(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))
    assert main(["play", "demo", "--plain", "--path", "van.1,skip"]) == 0
    assert "(Walked 2 of 2 moves of the walkthrough.)" in capsys.readouterr().out
