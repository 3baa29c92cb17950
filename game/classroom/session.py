"""One anonymous classroom session and the summary it writes to the class folder.

Promises kept here: no names or accounts (a random id per session), nothing the student typed
unless they opt in, timestamps rounded to the minute (the file's own modification time too),
atomic writes that never clobber another session's file.

The summary format (kind "understood-summary", format 1) is read by the class report; new keys may
be added, but the keys below keep their meaning. `summary_problem` says why a file is not one.
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
from game.engine.saves import sweep_stale_temps

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
        self._claimed: set[str] = set()  # story ids whose file this session has reserved
        self._swept = False

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
            "stopped_at": None if (ending is not None or opted_out) else game.scene_id,
            "choices": choices,
            "locked": [{"scene": lock.scene, "choice": lock.choice_id} for lock in game.locked_met()],
            "meters": game.meter_history(),
            "reflection": list(reflection) if (share_reflection and reflection) else None,
        }

    def path_for(self, story_id: str) -> Path:
        return self.folder / f"{self.session_id}-{story_id}.json"

    def write(self, game: Game, **options) -> Path:
        """Write (or rewrite) this session's summary for the game's story, atomically."""
        return self.write_data(self.summary(game, **options))

    def write_data(self, data: dict) -> Path:
        """Write a summary made earlier by `summary()` (kept, say, to add a reflection later).

        The first write of a story links the finished file into place, which fails rather than
        overwrite if another session somehow drew the same id (a new id is drawn then); later
        writes replace this session's own file. Readers never see a half-written file.
        """
        story_id = data["story_id"]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self._swept:  # a summary killed mid-write leaves its temp file: tidy once a session
                self._swept = True
                sweep_stale_temps(self.folder, ".tmp-*.json")
            for _ in range(20):
                data["session"] = self.session_id
                fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
                try:
                    with os.fdopen(fd, "w", encoding="utf-8") as handle:
                        json.dump(data, handle, indent=1)
                        handle.flush()
                        os.fsync(handle.fileno())
                    stamp = datetime.now(timezone.utc).replace(second=0, microsecond=0).timestamp()
                    os.utime(tmp, (stamp, stamp))  # the file's own clock says no more than the summary
                    target = self.path_for(story_id)
                    if story_id in self._claimed:
                        os.replace(tmp, target)
                        return target
                    try:
                        _place_new(tmp, target)
                    except FileExistsError:
                        self.session_id = secrets.token_hex(6)  # someone else's file: draw a new id
                        self._claimed.clear()
                        continue
                    self._claimed.add(story_id)
                    return target
                finally:
                    Path(tmp).unlink(missing_ok=True)
            raise OSError(0, "could not find a free file name")
        except OSError as exc:
            raise SummaryError(f"Could not write the class summary to {self.folder}: {exc.strerror or exc}") \
                from None


def _place_new(tmp: str, target: Path) -> None:
    """Put a finished file at `target` only if nothing is there (FileExistsError otherwise)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (a FAT USB stick, say): reserve the name, then replace the reservation.
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        os.replace(tmp, target)


def summary_problem(data: object) -> str | None:
    """Why `data` (parsed JSON) is not a usable summary, or None when it is."""
    if not isinstance(data, dict):
        return "not a summary (the JSON is not an object)"
    if data.get("kind") != SUMMARY_KIND:
        return "not an Understood summary"
    version = data.get("format")
    if not isinstance(version, int) or isinstance(version, bool):
        return "the summary has no format number"
    if version > SUMMARY_FORMAT:
        return f"made by a newer Understood (summary format {version}); update to read it"
    if version < 1:
        return f"unknown summary format {version}"
    text_fields = ("session", "story_id", "story_hash")
    for key in text_fields:
        if not isinstance(data.get(key), str) or not data.get(key):
            return f"'{key}' is missing or not text"
    if not isinstance(data.get("opted_out", False), bool) or not isinstance(data.get("completed", False), bool):
        return "'opted_out' and 'completed' should be true or false"
    choices = data.get("choices")
    if not isinstance(choices, list):
        return "'choices' is missing or not a list"
    for step in choices:
        if not isinstance(step, dict) or not isinstance(step.get("scene"), str):
            return "a choice has no scene"
        if step.get("skip") is True:
            continue
        if not isinstance(step.get("choice"), str):
            return "a choice has no choice id"
        tags = step.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            return "a choice's tags should be a list of words"
    locked = data.get("locked", [])
    if not isinstance(locked, list) or not all(
            isinstance(lock, dict) and isinstance(lock.get("scene"), str) and isinstance(lock.get("choice"), str)
            for lock in locked):
        return "'locked' should be a list of scene and choice ids"
    meters = data.get("meters", {})
    if not isinstance(meters, dict) or not all(
            isinstance(path, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in path)
            for path in meters.values()):
        return "'meters' should map each meter to a list of numbers"
    ending = data.get("ending")
    if ending is not None and not (isinstance(ending, dict) and isinstance(ending.get("title"), str)):
        return "'ending' should be empty or have a title"
    if not isinstance(data.get("stopped_at"), (str, type(None))):
        return "'stopped_at' should be a scene id"
    reflection = data.get("reflection")
    if reflection is not None and not (isinstance(reflection, list) and all(isinstance(a, str) for a in reflection)):
        return "'reflection' should be a list of answers"
    return None
