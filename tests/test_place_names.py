"""A place is named to a person by its title, else by its opening words: never by its id."""

from game.story import load_story, parse_story
from game.story.names import SOMEWHERE, excerpt, place_name, place_name_of
from tests.conftest import ROOT


def test_a_title_is_the_place_name():
    story = load_story(ROOT / "tests" / "fixtures" / "v2" / "kitchen.yaml", use_cache=False)
    assert place_name(story.scenes["kitchen"]) == "The kitchen"


def test_without_a_title_the_opening_words_stand_in_and_never_the_id():
    story = load_story(ROOT / "tests" / "fixtures" / "stories-v1" / "the-rock.yaml", use_cache=False)
    names = {sid: place_name(scene) for sid, scene in story.scenes.items()}
    assert names["a_and_e"] == "Resus has a corridor with plastic…"
    assert all(name and "_" not in name and name != sid for sid, name in names.items())


def test_a_scene_the_story_no_longer_has_is_somewhere_earlier():
    story = load_story(ROOT / "stories" / "demo.yaml")
    assert place_name_of(story, "gone_now") == SOMEWHERE


def test_excerpts_stop_at_a_sentence_or_a_word():
    assert excerpt("Five o'clock. The kettle.") == "Five o'clock"
    assert excerpt("one two three four five six seven eight nine ten", 20) == "one two three four…"
