"""One anonymous classroom session and the summary it writes to the class folder.

Promises kept here: no names or accounts (a random id per session), nothing the student typed
unless they opt in, timestamps rounded to the minute, atomic writes that never clobber another
session's file.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from game.engine import Game

SUMMARY_KIND = "understood-summary"
SUMMARY_FORMAT = 1
CLASS_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")


class SummaryError(Exception):
    """A class name or folder that cannot be used; the message is for the facilitator."""


def classes_dir(override: str | Path | None = None) -> Path:
    """`--classes DIR`, else ./classes under the working directory."""
    return Path(override) if override else Path.cwd() / "classes"


def minute(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%MZ")


class ClassroomSession:
    """An anonymous student session in class NAME; writes one summary JSON per story played."""

    def __init__(self, name: str, base: str | Path | None = None):
        if not CLASS_NAME.match(name or ""):
            raise SummaryError(f"'{name}' is not a usable class name: use letters, digits, '-' and '_'.")
        self.name = name
        self.folder = classes_dir(base) / name
        self.session_id = secrets.token_hex(6)
        self.started = datetime.now(timezone.utc)

    def summary(self, game: Game, *, reflection: list[str] | None = None, share_reflection: bool = False,
                opted_out: bool = False) -> dict:
        """The anonymous summary of a game; free text only when the student chose to share it."""
        choices = []
        for step in game.history:
            if step.kind == "skip":
                choices.append({"scene": step.scene, "skip": True})
            else:
                choices.append({"scene": step.scene, "choice": step.choice_id, "tags": list(step.tags)})
        ending = game.ending
        return {
            "kind": SUMMARY_KIND,
            "format": SUMMARY_FORMAT,
            "session": self.session_id,
            "story_id": game.story.id,
            "story_hash": game.story.content_hash,
            "started": minute(self.started),
            "finished": minute(datetime.now(timezone.utc)),
            "completed": game.is_over,
            "opted_out": opted_out,
            "ending": None if ending is None else {"scene": game.scene_id, "title": ending.title,
                                                   "tone": ending.tone},
            "choices": choices,
            "locked": [{"scene": lock.scene, "choice": lock.choice_id} for lock in game.locked_met()],
            "meters": game.meter_history(),
            "reflection": list(reflection) if (share_reflection and reflection) else None,
        }

    def write(self, game: Game, **options) -> Path:
        """Write (or rewrite) this session's summary for the game's story, atomically."""
        data = self.summary(game, **options)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{self.session_id}-{game.story.id}.json"
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, indent=1)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise SummaryError(f"Could not write the class summary to {self.folder}: {exc.strerror or exc}") \
                from None
        return target
