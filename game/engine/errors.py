"""The moves a game refuses, each with a message written for the player."""

from __future__ import annotations


class GameError(Exception):
    """A move that cannot be made; the message is written for the player."""


class ChoiceLocked(GameError):
    def __init__(self, option):
        super().__init__(option.locked_reason or "That choice isn't open to you right now.")
        self.option = option


class NoSuchChoice(GameError):
    pass


class GameOver(GameError):
    pass
