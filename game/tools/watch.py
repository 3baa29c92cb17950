"""Reloading a story when its file is saved, keeping the player's place (for `play --watch`).

`StoryWatcher.changed()` is a cheap check (size, mtime, then a hash). `reload(game)` checks the
file from source; when it loads, the game's moves are replayed onto the new story with the
engine's own save replay, so the player stays where they were (or at the nearest point that
still fits). When it does not load, the errors come back and the old game goes on: nothing is lost.
Front ends (the plain player here, the TUI) decide how to show it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from game.engine import Game, SaveStore, replay
from game.story import Story, StoryError, check_file


@dataclass(frozen=True, slots=True)
class Reload:
    game: Game                      # the game to carry on with (the old one when the story has errors)
    story: Story | None             # the new story, or None
    errors: list[StoryError] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.story is not None


class StoryWatcher:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._seen = self._stamp()
        self._digest = self._hash()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_size, stat.st_mtime_ns)

    def _hash(self) -> str | None:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError:
            return None

    def changed(self) -> bool:
        """True once per save that changed the file's content."""
        stamp = self._stamp()
        if stamp == self._seen:
            return False
        self._seen = stamp
        digest = self._hash()
        if digest == self._digest or digest is None:
            return False
        self._digest = digest
        return True

    def reload(self, game: Game) -> Reload:
        story, errors = check_file(self.path)
        if story is None:
            return Reload(game, None, errors, "The story has errors; still playing the last version that loaded.")
        result = replay(story, SaveStore().make("watch", game))
        if result.complete:
            message = "The story file changed and was reloaded; you are where you were."
        else:
            message = (f"The story file changed and was reloaded. Your choices fit it up to step {result.applied} "
                       f"of {result.total}, so you are back at that point.")
        return Reload(result.game, story, [], message)
