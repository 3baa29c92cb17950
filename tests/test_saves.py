"""Saves never lose progress: atomic writes, damaged files reported, older stories replayed."""

import json
import os

import pytest

from game.engine import BadSave, Game, SaveError, SaveStore, replay
from game.story import parse_story
from tests.storytext import BASE, replace


@pytest.fixture
def story():
    return parse_story(BASE, "tiny.yaml")


@pytest.fixture
def store(tmp_path):
    return SaveStore(tmp_path / "saves")


def played(story):
    game = Game(story)
    game.choose(2)
    game.choose(1)
    return game


def test_save_and_load_round_trip(story, store):
    game = played(story)
    store.save("slot1", game)
    data = store.load("slot1")
    assert data.story_id == "tiny" and data.scene == "dinner" and data.moves == (
        {"choice": "dinner.2"}, {"choice": "kitchen.1"})
    assert data.story_hash == story.content_hash and data.excerpt.startswith("Maya sets down")
    result = replay(story, data)
    assert result.complete and not result.story_changed and result.message == ""
    assert result.game.snapshot() == game.snapshot()
    assert result.game.can_undo


def test_a_save_file_holds_version_story_hash_moves_and_state(story, store):
    path = store.write(store.make("x", played(story)))
    data = json.loads(path.read_text())
    assert data["format"] == 1 and data["kind"] == "understood-save"
    assert data["story_hash"] == story.content_hash
    assert data["state"]["meters"]["trust"] == 4


def test_failure_between_write_and_rename_keeps_the_old_save(story, store, monkeypatch):
    store.save("slot", Game(story))
    old = store.path_for("slot").read_bytes()

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(SaveError, match="Earlier saves are intact"):
        store.save("slot", played(story))
    monkeypatch.undo()
    assert store.path_for("slot").read_bytes() == old
    assert [p.name for p in store.directory.iterdir()] == ["slot.json"]  # no temp file left behind


def test_interrupt_between_write_and_rename_leaves_no_temp_file(story, store, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.save("slot", Game(story))
    monkeypatch.undo()
    assert list(store.directory.iterdir()) == []


@pytest.mark.parametrize("content, fragment", [
    (b'{"kind": "understood-save", "format": 1, "mov', "damaged or cut short"),
    (b"\x00\xff\xfe garbage", "damaged or cut short"),
    (b'{"hello": "world"}', "not an Understood save"),
    (b"[1, 2, 3]", "not an Understood save"),
    (b'{"kind": "understood-save", "format": 99}', "newer version"),
    (b'{"kind": "understood-save", "format": 1, "moves": "x"}', "damaged"),
    (b'{"kind": "understood-save", "format": 1, "moves": [{"choice": 3}], "story_id": "a", '
     b'"story_hash": "b", "saved_at": "c", "scene": "d"}', "damaged"),
])
def test_corrupt_truncated_or_foreign_files_give_a_clear_message(story, store, content, fragment):
    store.save("good", Game(story))
    store.directory.joinpath("bad.json").write_bytes(content)
    with pytest.raises(BadSave, match=fragment):
        store.load("bad")
    assert store.load("good").story_id == "tiny"
    infos = {i.slot: i for i in store.slots()}
    assert infos["bad"].save is None and fragment.split()[0] in infos["bad"].problem
    assert infos["good"].save is not None


def test_missing_save(store):
    with pytest.raises(BadSave, match="no save with that name"):
        store.load("nothing")


@pytest.mark.parametrize("slot", ["../escape", "a/b", "..", "", ".hidden", "x" * 65, "nul\x00", "C:\\x", "sp ace"])
def test_slot_names_can_never_escape_the_saves_directory(story, store, slot):
    with pytest.raises(SaveError):
        store.save(slot, Game(story))
    with pytest.raises(SaveError):
        store.load(slot)


def test_story_ids_in_autosave_slots_stay_inside(story, store):
    data = store.autosave(Game(story))
    assert data.slot == "autosave-tiny"
    assert store.path_for(data.slot).parent == store.directory


def test_a_save_from_an_older_version_of_the_story_replays_onto_the_new_one(story, store):
    store.save("old", played(story))
    newer = parse_story(replace("title: Tiny", "title: Tiny, revised"))
    result = replay(newer, store.load("old"))
    assert result.story_changed and result.complete
    assert result.game.scene_id == "dinner" and result.game.meters["trust"] == 4
    assert "still fit" in result.message


def test_a_save_whose_choices_no_longer_fit_stops_at_the_nearest_valid_point(story, store):
    store.save("old", played(story))
    # The kitchen's way back now leads elsewhere under a new id: the second move no longer fits.
    newer = parse_story(replace("      - text: Back to the table.\n",
                                "      - id: kitchen-back\n        text: Back to the table.\n"))
    result = replay(newer, store.load("old"))
    assert (result.applied, result.total) == (1, 2)
    assert result.game.scene_id == "kitchen"
    assert "up to step 1 of 2" in result.message


def test_slots_are_listed_newest_first_and_latest_autosave_is_found(story, store):
    store.save("manual", Game(story))
    store.autosave(played(story))
    slots = store.slots()
    assert {s.slot for s in slots} == {"manual", "autosave-tiny"}
    assert store.latest_autosave().slot == "autosave-tiny"


def test_finished_games_are_not_offered_to_continue(story, store):
    game = played(story)
    game.choose(1)
    store.autosave(game)
    assert store.latest_autosave() is None


def test_skips_are_saved_and_replayed(story, store):
    game = Game(story)
    game.skip()
    store.save("skipped", game)
    result = replay(story, store.load("skipped"))
    assert result.complete and result.game.scene_id == "after"
