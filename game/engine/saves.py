"""Saves: one JSON file per slot, written atomically, replayed onto the story when loaded.

A save records the moves (choice ids and skips) rather than trusting its stored state, so a save
made before the story file changed still loads: the moves are replayed on the new story, and
where they stop fitting, the player is told and placed at the nearest valid point.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from game.dirs import user_dir
from game.engine.game import Game, GameError
from game.safe_json import BadJSON, loads_bounded
from game.safe_text import clean_line
from game.story.model import Story
from game.story.names import SOMEWHERE, place_name
from game.story.names import excerpt as excerpt_words

SAVE_FORMAT = 1
SAVE_KIND = "understood-save"
MAX_SAVE_BYTES = 4 * 1024 * 1024
SLOT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")
AUTOSAVE_PREFIX = "autosave-"
STALE_TEMP_SECONDS = 60  # a temp file this old belongs to no write still running (kill -9 leaves them)


class SaveError(Exception):
    """A save could not be written or read; the message is written for the player."""


class BadSave(SaveError):
    def __init__(self, slot: str, message: str):
        super().__init__(f"Save '{slot}': {message}")
        self.slot = slot
        self.reason = message


def default_saves_dir(override: str | Path | None = None) -> Path:
    """`--saves DIR`, else $UNDERSTOOD_SAVES, else the player's own data folder ($XDG_DATA_HOME or
    ~/.local/share, then understood/saves), wherever the game was installed from."""
    if override:
        return Path(override)
    env = os.environ.get("UNDERSTOOD_SAVES")
    if env:
        return Path(env)
    return user_dir("UNDERSTOOD_SAVES", "XDG_DATA_HOME", ".local", "share") / "saves"


def autosave_slot(story_id: str) -> str:
    return f"{AUTOSAVE_PREFIX}{story_id}"[:64]


def excerpt(game: Game, width: int = 72) -> str:
    paragraphs = game.paragraphs()
    text = " ".join(paragraphs[0].split()) if paragraphs else ""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class SaveData:
    slot: str
    story_id: str
    story_hash: str
    story_title: str
    saved_at: str
    scene: str
    excerpt: str
    moves: tuple[dict, ...]
    state: dict
    start: str | None = None
    overrides: dict = field(default_factory=dict)
    ended: bool = False
    place: str = ""  # the scene as a person names it (names.place_name), kept when saved

    @property
    def where(self) -> str:
        """Where the save stands, in words a player reads: never a scene id."""
        return self.place or (excerpt_words(self.excerpt) if self.excerpt else SOMEWHERE)

    @property
    def is_autosave(self) -> bool:
        return self.slot.startswith(AUTOSAVE_PREFIX)

    def to_json(self) -> dict:
        return {
            "kind": SAVE_KIND, "format": SAVE_FORMAT, "slot": self.slot, "story_id": self.story_id,
            "story_hash": self.story_hash, "story_title": self.story_title, "saved_at": self.saved_at,
            "scene": self.scene, "excerpt": self.excerpt, "moves": list(self.moves), "state": self.state,
            "start": self.start, "overrides": self.overrides, "ended": self.ended, "place": self.place,
        }

    @classmethod
    def from_json(cls, slot: str, data: object) -> "SaveData":
        if not isinstance(data, dict) or data.get("kind") != SAVE_KIND:
            raise BadSave(slot, "this file is not an Understood save")
        version = data.get("format")
        if isinstance(version, float) and version.is_integer():
            version = int(version)  # "format": 1.0, from a hand edit or another JSON writer
        if not isinstance(version, int) or isinstance(version, bool):
            raise BadSave(slot, "this save has no usable format number (it should be 1)")
        if version > SAVE_FORMAT:
            raise BadSave(slot, "this save was made by a newer version of Understood")
        if version < 1:
            raise BadSave(slot, f"this save has an unknown format number ({version})")
        try:
            moves = data["moves"]
            if not isinstance(moves, list) or not all(_valid_move(m) for m in moves):
                raise TypeError("moves")
            text_fields = ("story_id", "story_hash", "saved_at", "scene")
            if not all(isinstance(data[k], str) for k in text_fields):
                raise TypeError("fields")
            overrides = data.get("overrides") or {}
            if not isinstance(overrides, dict) or not all(
                    isinstance(k, str) and isinstance(v, (int, bool)) for k, v in overrides.items()):
                raise TypeError("overrides")
            start = data.get("start")
            if start is not None and not isinstance(start, str):
                raise TypeError("start")
            return cls(
                slot=slot, story_id=data["story_id"], story_hash=data["story_hash"],
                story_title=clean_line(str(data.get("story_title") or data["story_id"]))[:200],
                saved_at=clean_line(data["saved_at"])[:40],
                scene=data["scene"], excerpt=clean_line(str(data.get("excerpt") or ""))[:200], moves=tuple(moves),
                state=data.get("state") if isinstance(data.get("state"), dict) else {},
                start=start, overrides=overrides, ended=bool(data.get("ended")),
                place=clean_line(str(data.get("place") or ""))[:120],
            )
        except (KeyError, TypeError):
            raise BadSave(slot, "this save is damaged (missing or wrong fields)") from None


def _valid_move(move: object) -> bool:
    if not isinstance(move, dict) or len(move) != 1:
        return False
    (key, value), = move.items()
    return key in ("choice", "skip") and isinstance(value, str)


@dataclass(frozen=True, slots=True)
class Replay:
    """The result of loading a save onto a story."""

    game: Game
    applied: int
    total: int
    story_changed: bool
    message: str = ""

    @property
    def complete(self) -> bool:
        return self.applied == self.total


def replay(story: Story, save: SaveData) -> Replay:
    """Rebuild a game from a save's moves, stopping at the first move that no longer fits."""
    changed = save.story_hash != story.content_hash
    try:
        game = Game(story, start=save.start, overrides=save.overrides)
    except GameError:
        game = Game(story)
        return Replay(game, 0, len(save.moves), True,
                      "This save started somewhere the story no longer has, so it begins again from the start.")
    applied = game.replay(save.moves).applied
    total = len(save.moves)
    message = ""
    if applied < total:
        message = (f"The story has changed since this save. Your choices fit it up to step {applied} of {total}, "
                   f"so you are back at that point, the nearest one that still holds.")
    elif changed:
        message = "The story has changed since this save; all your choices still fit, so you are where you were."
    return Replay(game, applied, total, changed, message)


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """A save as a slot list shows it, or a damaged one with the reason."""

    slot: str
    path: Path
    save: SaveData | None = None
    problem: str | None = None
    modified: float = 0.0


class SaveStore:
    """The saves directory: atomic writes, safe slot names, damaged files reported not fatal."""

    def __init__(self, directory: str | Path | None = None):
        self.directory = default_saves_dir(directory)
        self._swept = False

    def path_for(self, slot: str) -> Path:
        """The slot's file. The name can hold no separator, so the file is always in the saves folder;
        a slot that is a link is never followed (see `load` and `write`)."""
        if not isinstance(slot, str) or not SLOT.match(slot):
            raise SaveError(f"'{clean_line(str(slot))[:64]}' is not a usable slot name: use letters, digits, "
                            "'-' and '_' (up to 64).")
        return self.directory / f"{slot}.json"

    def sweep(self) -> int:
        """Remove temp files that a killed write left behind (older than a minute); how many went."""
        self._swept = True
        return sweep_stale_temps(self.directory, ".*.tmp")

    def make(self, slot: str, game: Game) -> SaveData:
        return SaveData(
            slot=slot, story_id=game.story.id, story_hash=game.story.content_hash, story_title=game.story.title,
            saved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), scene=game.scene_id,
            excerpt=excerpt(game), moves=tuple(game.record()), state=game.snapshot().to_dict(),
            start=game.start_scene, overrides=game.overrides, ended=game.is_over, place=place_name(game.scene),
        )

    def save(self, slot: str, game: Game) -> SaveData:
        data = self.make(slot, game)
        self.write(data)
        return data

    def autosave(self, game: Game) -> SaveData:
        return self.save(autosave_slot(game.story.id), game)

    def write(self, data: SaveData) -> Path:
        """Write atomically: a temp file in the same directory, fsync, then rename over the slot."""
        path = self.path_for(data.slot)
        if not self._swept:
            self.sweep()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{data.slot}.", suffix=".tmp")
        except OSError as exc:
            raise SaveError(f"Could not save to {self.directory}: {exc.strerror or exc}.") from None
        try:
            # One dumps call without indent uses the C encoder; one write; then fsync before the rename.
            payload = json.dumps(data.to_json(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise SaveError(f"Could not save '{data.slot}': {exc.strerror or exc}. Earlier saves are intact.") \
                    from None
            raise
        self._sync_directory()
        return path

    def _sync_directory(self) -> None:
        try:
            fd = os.open(self.directory, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    def load(self, slot: str) -> SaveData:
        path = self.path_for(slot)
        raw = _read_regular(path, slot, MAX_SAVE_BYTES)
        try:
            data = loads_bounded(raw, max_bytes=MAX_SAVE_BYTES)
        except BadJSON:
            raise BadSave(slot, "the file is damaged or cut short (it is not valid JSON)") from None
        return SaveData.from_json(slot, data)

    def slots(self) -> list[SlotInfo]:
        """Every save, newest first; damaged ones are listed with their problem."""
        if not self.directory.is_dir():
            return []
        if not self._swept:
            self.sweep()
        infos = []
        for path in self.directory.glob("*.json"):
            slot = path.stem
            if not SLOT.match(slot):
                continue
            try:
                modified = path.lstat().st_mtime
            except OSError:
                continue
            try:
                infos.append(SlotInfo(slot, path, self.load(slot), None, modified))
            except BadSave as exc:
                infos.append(SlotInfo(slot, path, None, exc.reason, modified))
        return sorted(infos, key=lambda i: (i.save.saved_at if i.save else "", i.modified), reverse=True)

    def latest_autosave(self) -> SaveData | None:
        for info in self.slots():
            if info.save is not None and info.save.is_autosave and not info.save.ended:
                return info.save
        return None

    def delete(self, slot: str) -> None:
        self.path_for(slot).unlink(missing_ok=True)


def _read_regular(path: Path, slot: str, limit: int) -> bytes:
    """A save file's bytes: never through a link, never from a pipe or a device, at most `limit`."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise BadSave(slot, "there is no save with that name") from None
    except OSError as exc:
        if path.is_symlink():
            raise BadSave(slot, "it is a link to another file, which is not read; the next save here "
                                "replaces the link with a real save") from None
        raise BadSave(slot, f"it cannot be read ({exc.strerror or exc})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BadSave(slot, "it is not a regular file (a pipe, a device or a folder)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise BadSave(slot, f"it cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise BadSave(slot, "the file is too large to be a save")
    return raw


def sweep_stale_temps(folder: Path, pattern: str, age: float = STALE_TEMP_SECONDS) -> int:
    """Delete regular files matching `pattern` in `folder` not touched for `age` seconds: what a
    write killed between creating its temp file and renaming it leaves. Never fails."""
    removed = 0
    cutoff = time.time() - age
    try:
        candidates = list(folder.glob(pattern))
    except OSError:
        return 0
    for path in candidates:
        try:
            info = path.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed
