"""Helpers for the classroom tests: play the demo story along a path, write a class of summaries."""

from __future__ import annotations

import random
from pathlib import Path

from game.classroom.session import ClassroomSession
from game.engine import Game
from game.story import load_story

STORIES = Path(__file__).resolve().parent.parent / "stories"
DEMO = STORIES / "demo.yaml"


def demo_story():
    return load_story(DEMO)


def play(story, picks: list[int | str]) -> Game:
    """A game of `story` after taking `picks` (choice numbers, or 'skip')."""
    game = Game(story)
    for pick in picks:
        if pick == "skip":
            game.skip()
        else:
            game.choose(pick)
    return game


def play_randomly(story, rng: random.Random, *, finish: bool = True, max_steps: int = 40) -> Game:
    game = Game(story)
    steps = 0
    while not game.is_over and steps < max_steps:
        if not finish and rng.random() < 0.15:
            break
        if rng.random() < 0.05:
            game.skip()
        else:
            game.choose(rng.choice([o for o in game.options() if o.available]).number)
        steps += 1
    return game


def write_class(folder_base: Path, name: str, count: int, *, seed: int = 7, story=None) -> list[Path]:
    """`count` sessions of the demo story played at random, each writing its summary."""
    story = story or demo_story()
    rng = random.Random(seed)
    paths = []
    for _ in range(count):
        session = ClassroomSession(name, folder_base)
        game = play_randomly(story, rng, finish=rng.random() < 0.9)
        paths.append(session.write(game, opted_out=False))
    return paths
