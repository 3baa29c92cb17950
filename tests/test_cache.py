"""The compiled cache: used when the story is unchanged, silently rebuilt when corrupt or stale."""

import hashlib
import json

from game.story import cache, load_story
from game.story.compiled import to_data
from tests.storytext import BASE, replace


def write(tmp_path, text=BASE):
    path = tmp_path / "tiny.yaml"
    path.write_text(text)
    return path


def entries():
    return list(cache.cache_dir().glob("*.json"))


def test_a_loaded_story_is_cached_and_the_cache_is_used(tmp_path, monkeypatch):
    path = write(tmp_path)
    first = load_story(path)
    assert len(entries()) == 1
    from game.story import loader

    monkeypatch.setattr(loader, "build_story", lambda *a: (_ for _ in ()).throw(AssertionError("reparsed")))
    second = load_story(path)
    assert to_data(second) == to_data(first)
    assert second.path == str(path)


def test_the_cached_story_behaves_like_the_source(tmp_path):
    from game.engine import Game

    path = write(tmp_path)
    fresh = load_story(path, use_cache=False)
    load_story(path)
    cached = load_story(path)
    a, b = Game(fresh), Game(cached)
    for game in (a, b):
        game.choose(2)
        game.choose(1)
    assert a.meters == b.meters and [o.available for o in a.options()] == [o.available for o in b.options()]


def test_a_changed_story_is_not_served_from_the_cache(tmp_path):
    path = write(tmp_path)
    load_story(path)
    path.write_text(replace("title: Tiny", "title: Tinier"))
    assert load_story(path).title == "Tinier"


def test_a_corrupt_cache_entry_is_rebuilt_silently(tmp_path):
    path = write(tmp_path)
    load_story(path)
    (entry,) = entries()
    for junk in ["{not json", json.dumps({"compiled": 1, "content_hash": "x"}), json.dumps([1, 2]), ""]:
        entry.write_text(junk)
        assert load_story(path).title == "Tiny"
    for junk in ["{not json", json.dumps({"compiled": 1, "content_hash": "x"}), json.dumps([1, 2])]:
        entry.write_text(hashlib.sha256(junk.encode()).hexdigest() + "\n" + junk)  # a valid checksum
        assert load_story(path).title == "Tiny"


def test_a_truncated_cache_entry_is_rebuilt(tmp_path):
    path = write(tmp_path)
    load_story(path)
    (entry,) = entries()
    entry.write_bytes(entry.read_bytes()[:-100])
    story = load_story(path)
    assert story.title == "Tiny" and story.choice("dinner.1").condition.source == "trust >= 4 and armor <= 6"


def test_a_cache_entry_with_the_right_hash_but_broken_fields_is_rebuilt(tmp_path):
    path = write(tmp_path)
    story = load_story(path)
    (entry,) = entries()
    checksum, payload = entry.read_text().split("\n", 1)
    data = json.loads(payload)
    data["scenes"][0]["choices"][0][3] = ["if", ["bogus"]]
    entry.write_text(checksum + "\n" + json.dumps(data))  # the checksum no longer matches
    assert load_story(path).choice("dinner.1").condition.source == story.choice("dinner.1").condition.source


def test_an_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("UNDERSTOOD_CACHE", str(blocker / "cache"))
    assert load_story(write(tmp_path)).id == "tiny"
