"""The story-format document is the contract: its example loads and plays, and every key is in it."""

import re

from game.engine import Game
from game.story import parse_story
from game.story import loader
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "story-format.md").read_text()


def example() -> str:
    return re.search(r"```yaml\n(.*?)```", DOC, re.S).group(1)


def test_the_documented_example_loads_and_plays_to_an_ending():
    story = parse_story(example(), "docs-example.yaml")
    game = Game(story)
    while not game.is_over:
        game.choose(next(o for o in game.options() if o.available).number)
    assert game.ending.title == "Seen"


def test_every_key_the_loader_knows_is_in_the_reference_tables():
    keys = set()
    for table in (loader.HEADER_KEYS, loader.METER_KEYS, loader.SCENE_KEYS, loader.CHOICE_KEYS,
                  loader.ENDING_KEYS, loader.TEXT_ITEM_KEYS):
        keys |= set(table)
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", DOC, re.M))
    assert keys - {"if", "text"} <= documented
