"""Small wording helpers shared by screens."""

from __future__ import annotations

from datetime import datetime

from game.engine import SaveData


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def saved_when(save: SaveData) -> str:
    """A save's time in the player's local time, e.g. `22 Nov, 14:03`."""
    try:
        moment = datetime.fromisoformat(save.saved_at).astimezone()
    except ValueError:
        return save.saved_at
    return f"{moment.day} {moment:%b}, {moment:%H:%M}"
