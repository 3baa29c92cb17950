"""Playtesting a branch: play --from/--set/--path, walkthroughs from explore, and --watch reloads."""

from __future__ import annotations

import io
import os
import shutil
import time

import pytest

from game.cli import main
from game.engine import Game, SaveStore
from game.story import load_story
from game.tools.playtest import PlaytestError, WatchingPlayer, parse_sets, read_path, replay_moves
from game.tools.watch import StoryWatcher


def play(monkeypatch, capsys, args, typed=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    code = main(["play", *args])
    return code, capsys.readouterr()


def test_set_parses_meters_flags_and_bare_flag_names(demo_path):
    demo = load_story(demo_path)
    assert parse_sets(["closeness=9", "stayed", "joked_it_off=false"], demo) == \
        {"closeness": 9, "stayed": True, "joked_it_off": False}


@pytest.mark.parametrize("item, message", [
    ("closeness", "give it a value"),
    ("closeness=lots", "whole number"),
    ("closeness=11", "from 0 to 10"),
    ("stayed=maybe", "true or false"),
    ("closenes=3", "Did you mean 'closeness'?"),
])
def test_set_rejects_what_does_not_fit_the_story(demo_path, item, message):
    with pytest.raises(PlaytestError, match=message):
        parse_sets([item], load_story(demo_path))


def test_from_and_set_start_the_plain_player_anywhere(monkeypatch, capsys):
    code, out = play(monkeypatch, capsys, ["demo", "--from", "the_flat", "--set", "closeness=9", "--set",
                                           "nerve=4"], "1\n")
    assert code == 0
    assert "(Playtest: from 'the_flat', closeness=9, nerve=4.)" in out.out
    assert "1. Hug him." in out.out  # open: a locked one reads "1. (locked) Hug him."
    assert "== Ending: The Real One (tender) ==" in out.out


def test_path_replays_a_walkthrough_then_play_goes_on(monkeypatch, capsys):
    code, out = play(monkeypatch, capsys, ["demo", "--path", "van.1,tailgate.3"], "2\n")
    assert code == 0
    assert "(Walked 2 of 2 moves of the walkthrough.)" in out.out
    assert "== Ending: Chips on the Floor (hopeful) ==" in out.out


def test_a_walkthrough_that_stops_fitting_says_where(monkeypatch, capsys):
    code, out = play(monkeypatch, capsys, ["demo", "--path", "van.2,tailgate.1"], "")
    assert "(Walked 1 of 2 moves of the walkthrough.)" in out.out
    assert "move 2 ('tailgate.1'): choice 'tailgate.1' is locked here" in out.out


def test_explore_walkthrough_files_replay_with_play_path(tmp_path, monkeypatch, capsys):
    assert main(["explore", "demo", "--walkthroughs", str(tmp_path)]) == 0
    capsys.readouterr()
    walk = tmp_path / "ending_hug.txt"
    assert walk.read_text().startswith("# The Last Box: shortest walkthrough to 'ending_hug'")
    code, out = play(monkeypatch, capsys, ["demo", "--path", str(walk)])
    assert "== Ending: The Real One (tender) ==" in out.out


def test_read_path_takes_lists_files_and_playthroughs(tmp_path):
    assert read_path("van.1, tailgate.2 ,skip") == ["van.1", "tailgate.2", "skip"]
    (tmp_path / "w.yaml").write_text("- van.1\n- skip\n")
    assert read_path(str(tmp_path / "w.yaml")) == ["van.1", "skip"]
    (tmp_path / "p.yaml").write_text("steps:\n  - scene: van\n  - choose: van.2\n  - skip\n")
    assert read_path(str(tmp_path / "p.yaml")) == ["van.2", "skip"]
    with pytest.raises(PlaytestError, match="no walkthrough file"):
        read_path(str(tmp_path / "missing.txt"))


def test_moves_can_name_a_choice_by_text_number_or_id(demo_path):
    game = Game(load_story(demo_path))
    result = replay_moves(game, ["you doing all right, mate?", "2", "sitting.2"])
    assert result.problem is None and game.scene_id == "the_flat"


def test_bad_playtest_values_are_bad_usage(monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_:
        play(monkeypatch, capsys, ["demo", "--from", "attic"])
    assert exit_.value.code == 2
    assert "there is no scene called 'attic'" in capsys.readouterr().err


# --- --watch ---------------------------------------------------------------------------------------


@pytest.fixture
def story_copy(tmp_path, demo_path):
    path = tmp_path / "demo.yaml"
    shutil.copy(demo_path, path)
    return path


def rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stamp = time.time() + 5  # a different mtime, even on coarse clocks
    os.utime(path, (stamp, stamp))


def test_a_saved_change_reloads_and_keeps_the_players_place(story_copy):
    game = Game(load_story(story_copy))
    game.choose("van.1")
    watcher = StoryWatcher(story_copy)
    assert not watcher.changed()
    rewrite(story_copy, "The street lamp comes on.", "The street lamp flickers on.")
    assert watcher.changed() and not watcher.changed()
    result = watcher.reload(game)
    assert result.ok and result.game.scene_id == "tailgate" and len(result.game.history) == 1
    assert any("flickers" in p for p in result.game.paragraphs())


def test_a_broken_save_shows_errors_and_keeps_the_old_game(story_copy):
    game = Game(load_story(story_copy))
    watcher = StoryWatcher(story_copy)
    rewrite(story_copy, "goto: tailgate\n      - text: '\"Fourteen", "goto: tailgat\n      - text: '\"Fourteen")
    result = watcher.reload(game)
    assert not result.ok and result.game is game
    assert "names a missing scene 'tailgat'" in result.errors[0].format()


def test_the_watching_player_reprints_the_scene_after_a_reload(story_copy):
    out = io.StringIO()
    story = load_story(story_copy)
    player = WatchingPlayer(story, saves=SaveStore(), stdin=io.StringIO(""), stdout=out, game=Game(story),
                            watcher=StoryWatcher(story_copy))
    rewrite(story_copy, "Six years of his life", "Seven years of his life")
    assert player.check_reload()
    assert "reloaded; you are where you were" in out.getvalue() and "Seven years" in out.getvalue()
    rewrite(story_copy, "tone: tender", "tone: soft")
    assert player.check_reload()
    assert "unknown tone 'soft'" in out.getvalue() and player.story.id == "demo"
