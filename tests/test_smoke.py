"""The quick start works: the demo story loads and plays to an ending."""

from game.engine import Game
from game.story import load_story


def test_demo_story_plays_to_an_ending(demo_path):
    game = Game(load_story(demo_path))
    while not game.is_over:
        game.choose(next(o for o in game.options() if o.available).number)
    assert game.ending is not None
