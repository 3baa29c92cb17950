"""The compiled cache: used when the story is unchanged, silently rebuilt when corrupt or stale."""

import hashlib
import json

import pytest

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
    checksum, header, first_scene, *rest = entry.read_text().split("\n")
    scene_id, scene = first_scene.split("\t")
    data = json.loads(scene)
    data["choices"][0][3] = ["if", ["bogus"]]
    first_scene = scene_id + "\t" + json.dumps(data)
    entry.write_text("\n".join([checksum, header, first_scene, *rest]))  # the checksum no longer matches
    assert load_story(path).choice("dinner.1").condition.source == story.choice("dinner.1").condition.source


def test_an_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("UNDERSTOOD_CACHE", str(blocker / "cache"))
    assert load_story(write(tmp_path)).id == "tiny"


# --- a bad entry is rebuilt when it is found, never a failure in a game -----------------------------------


def _scenes_of(entry) -> tuple[dict, list[tuple[str, bytes]]]:
    """A cache entry's header (without its index) and its scenes as (id, JSON bytes)."""
    _, header, *lines = entry.read_bytes().split(b"\n")
    data = json.loads(header)
    del data["index"]
    return data, [(scene_id.decode(), body) for scene_id, _, body in (line.partition(b"\t") for line in lines)]


def _rewrite_first_scene(entry, change) -> None:
    """Change the first scene of a cache entry and give it a valid checksum and CRC again."""
    header, scenes = _scenes_of(entry)
    scene_id, body = scenes[0]
    data = json.loads(body)
    change(data)
    entry.write_bytes(cache.payload(header, [(scene_id, json.dumps(data).encode()), *scenes[1:]]))


def _breaks(data, index, value):
    data["choices"][0][index] = value


@pytest.mark.parametrize("change", [
    lambda d: _breaks(d, 2, "no_such_scene"),                        # a goto to nowhere
    lambda d: _breaks(d, 3, ["trust >= 4", ["cmp", ">=", ["meter", "nope"], ["num", 4]]]),  # an undeclared meter
    lambda d: _breaks(d, 3, ["trust >= 4", ["cmp", "<>", ["meter", "trust"], ["num", 4]]]),  # a bad operator
    lambda d: _breaks(d, 6, [[["nope", "+", 1, 1, 1]], [], [], 1, 1]),  # an effect on an undeclared meter
    lambda d: d.__setitem__("choices", "oops"),                        # a field of the wrong type
], ids=["goto", "condition-meter", "condition-op", "effect-meter", "wrong-type"])
def test_an_entry_with_a_valid_checksum_but_a_bad_field_is_rebuilt_at_load(tmp_path, change):
    from game.engine import Game

    path = write(tmp_path)
    expected = to_data(load_story(path, use_cache=False))
    load_story(path)
    (entry,) = entries()
    _rewrite_first_scene(entry, change)
    story = load_story(path)
    assert to_data(story) == expected                   # rebuilt from the source...
    game = Game(story)
    game.choose(next(o.id for o in game.options() if o.available))  # ...and plays
    assert to_data(load_story(path)) == expected        # the entry was written again, good this time


def test_scenes_are_decoded_when_a_game_reaches_them_and_a_bad_one_later_is_rebuilt(tmp_path):
    from game.engine import Game

    path = write(tmp_path)
    expected = to_data(load_story(path, use_cache=False))
    load_story(path)
    (entry,) = entries()
    header, scenes = _scenes_of(entry)
    last_id, body = scenes[-1]
    data = json.loads(body)
    data["choices"] = "oops" if data["choices"] else data["choices"]
    data["text"] = 7  # not a text list
    entry.write_bytes(cache.payload(header, [*scenes[:-1], (last_id, json.dumps(data).encode())]))
    story = load_story(path)
    game = Game(story)  # the start scene is decoded; the damaged last one is not looked at yet
    assert game.options() and len(story.scenes._done) < len(expected["scenes"])
    assert story.scenes[last_id] is not None  # found bad now: the rest come from the source
    assert to_data(story) == expected
    game.choose(next(o.id for o in game.options() if o.available))  # and the game plays on
    assert to_data(load_story(path)) == expected  # the entry was written again, good this time


# --- the layout is versioned ------------------------------------------------------------------------------

# The shape of the compiled form of tests' sample story, for each COMPILED_VERSION. A change to the
# layout changes the shape: bump COMPILED_VERSION (and docs/compiled-format.md) and add the new shape.
LAYOUTS = {
    2: "c8497f9ade4e4f8b",
}


def _shape(value) -> object:
    """The layout of compiled data without its values: keys, positions and kinds."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


def test_a_change_to_the_compiled_layout_comes_with_a_new_version():
    from game.story import compiled
    from game.story.loader import parse_story

    story = parse_story(LAYOUT_STORY, "layout.yaml")
    shape = hashlib.sha256(json.dumps(_shape(to_data(story)), sort_keys=True).encode()).hexdigest()[:16]
    assert LAYOUTS.get(compiled.COMPILED_VERSION) == shape, (
        f"the compiled layout is {shape} at COMPILED_VERSION {compiled.COMPILED_VERSION}: if the layout "
        f"changed, bump COMPILED_VERSION and record {{{compiled.COMPILED_VERSION + 1}: '{shape}'}} in LAYOUTS")


LAYOUT_STORY = """\
format: 1
id: layout
title: Layout
summary: Every field of the compiled form, once.
perspective: A tester
content_notes: [none]
minutes: 1
meters:
  trust: {start: 3, min: 0, max: 10, label: Trust}
  armor: {start: 5, min: 0, max: 10, hidden: true}
flags: [told]
start: a
scenes:
  a:
    text:
      - First.
      - if: told
        text: Second.
    thought: A thought.
    on_enter: {trust: +1, set: [told]}
    skip_to: b
    choices:
      - text: Say it.
        if: trust >= 2 and visited(a)
        locked: Not yet.
        tags: [open]
        effects: {trust: +1, armor: =0, clear: [told]}
        remember: You said it.
        goto: b
      - text: Go.
        goto: b
  b:
    ending: {title: End, tone: hopeful, support: true}
    text: Done.
debrief:
  - How did it feel?
"""


def test_a_scene_damaged_in_place_fails_its_crc_and_is_rebuilt_when_reached(tmp_path):
    path = write(tmp_path)
    expected = to_data(load_story(path, use_cache=False))
    load_story(path)
    (entry,) = entries()
    raw = bytearray(entry.read_bytes())
    at = raw.rindex(b'"text":[["') + len(b'"text":[["')  # the last scene's first paragraph (the header stays valid)
    raw[at] = ord("X" if raw[at] != ord("X") else "Y")  # one letter of prose: valid JSON, a valid scene; only its CRC-32 tells
    entry.write_bytes(bytes(raw))
    story = load_story(path)
    assert len(story.scenes._done) < len(expected["scenes"])  # accepted: the header is intact
    assert to_data(story) == expected  # the damaged scene found when decoded: the rest from the source
