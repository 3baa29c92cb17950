"""The smaller hardening items: an empty class name, a linked save slot, "format": 1.0, stale
temp files, special files where a save should be."""

from __future__ import annotations

import json
import os
import time

import pytest

from game.classroom.session import ClassroomSession
from game.cli import main
from game.engine import BadSave, Game, SaveStore
from game.story import parse_story
from tests.storytext import BASE


@pytest.mark.parametrize("argv", [["play", "demo", "--plain", "--classroom", ""], ["--classroom", "", "--plain"],
                                  ["serve", "--classroom", ""], ["play", "demo", "--plain", "--classroom", "a/b"]])
def test_an_empty_or_bad_class_name_is_a_usage_error_not_class_mode_off(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert "not a usable class name" in capsys.readouterr().err


def test_a_linked_save_slot_is_replaced_by_a_real_save_and_its_target_is_untouched(tmp_path):
    store = SaveStore(tmp_path / "saves")
    store.directory.mkdir(parents=True)
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (store.directory / "autosave-tiny.json").symlink_to(target)
    with pytest.raises(BadSave, match="link to another file"):
        store.load("autosave-tiny")
    game = Game(parse_story(BASE))
    store.autosave(game)  # no error: the autosave works
    assert target.read_text() == "keep me"
    assert not (store.directory / "autosave-tiny.json").is_symlink()
    assert store.load("autosave-tiny").story_id == "tiny"


def test_format_one_point_oh_loads_and_a_missing_format_says_so(tmp_path):
    store = SaveStore(tmp_path / "saves")
    game = Game(parse_story(BASE))
    path = store.write(store.make("one", game))
    data = json.loads(path.read_text())
    data["format"] = 1.0
    path.write_text(json.dumps(data))
    assert store.load("one").story_id == "tiny"
    data["format"] = "one"
    path.write_text(json.dumps(data))
    with pytest.raises(BadSave, match="no usable format number"):
        store.load("one")
    data["format"] = 2
    path.write_text(json.dumps(data))
    with pytest.raises(BadSave, match="newer version"):
        store.load("one")


def test_stale_temp_files_are_cleaned_on_start_and_fresh_ones_kept(tmp_path):
    store = SaveStore(tmp_path / "saves")
    store.directory.mkdir(parents=True)
    old, fresh = store.directory / ".autosave-tiny.abc.tmp", store.directory / ".autosave-tiny.def.tmp"
    old.write_text("{")
    fresh.write_text("{")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    store.slots()
    assert not old.exists() and fresh.exists()
    classes = ClassroomSession("p3", tmp_path / "classes")
    classes.folder.mkdir(parents=True)
    stale = classes.folder / ".tmp-x.json"
    stale.write_text("{")
    os.utime(stale, (an_hour_ago, an_hour_ago))
    classes.write(Game(parse_story(BASE)))
    assert not stale.exists()


def test_a_fifo_or_a_hostile_file_in_a_save_slot_is_refused_at_once(tmp_path):
    store = SaveStore(tmp_path / "saves")
    store.directory.mkdir(parents=True)
    os.mkfifo(store.directory / "pipe.json")
    with pytest.raises(BadSave, match="not a regular file"):
        store.load("pipe")
    for name, text in {"nan": '{"kind": "understood-save", "format": NaN}', "deep": "[" * 200_000,
                       "huge": '{"format": ' + "9" * 5000 + "}", "bom": "\ufeff{}"}.items():
        (store.directory / f"{name}.json").write_text(text)
        with pytest.raises(BadSave):
            store.load(name)
    problems = {info.slot: info.problem for info in store.slots()}
    assert problems["bom"] == "this file is not an Understood save"  # read, BOM and all
    assert all(problems[name] for name in ("pipe", "nan", "deep", "huge"))
