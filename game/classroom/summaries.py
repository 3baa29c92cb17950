"""Reading a class folder that anyone could have put files in: no file stops the report.

Each entry is checked before it is read: regular files only (a FIFO would hang the read, a device
would never end), links only when they stay inside the folder, a size limit before any byte is
parsed. The JSON is parsed bounded (game/safe_json.py: nesting, finite numbers, a BOM accepted),
its strings are cleaned of control characters, and the summary must make sense (meters within
range). Everything refused is listed with its reason, by a name that is safe to print.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from game.classroom.session import summary_problem
from game.safe_json import BadJSON, loads_bounded
from game.safe_text import clean_data, clean_line

MAX_SUMMARY_BYTES = 1024 * 1024
MAX_FILES = 20_000  # entries looked at in one folder; more are listed as one line
MAX_METER_VALUE = 1_000_000  # story meters are small whole numbers; anything past this is not a summary
MAX_NAME = 120


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in the class folder that is not a summary, and why."""

    name: str
    reason: str


@dataclass
class Folder:
    summaries: list[dict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class Rejected(Exception):
    """Why one file is not read as a summary (the message is the reason shown)."""


def shown_name(name: str) -> str:
    """A file name as the report may print it: no control characters, not endless."""
    cleaned = clean_line(name)
    if cleaned != name:
        cleaned = cleaned or "(a name made of control characters)"
    return cleaned if len(cleaned) <= MAX_NAME else cleaned[: MAX_NAME - 1] + "…"


def read_folder(folder: Path) -> Folder:
    """Every summary in `folder`; anything else is skipped with a reason, never fatal."""
    found = Folder()
    seen: set[tuple[str, str]] = set()
    root = folder.resolve()
    entries = sorted(os.scandir(folder), key=lambda e: e.name)  # a folder that cannot be listed is the caller's to say
    if len(entries) > MAX_FILES:
        found.skipped.append(Skipped(f"{len(entries) - MAX_FILES:,} more files",
                                     f"not read: a class folder holds at most {MAX_FILES:,} files"))
        entries = entries[:MAX_FILES]
    for entry in entries:
        name = entry.name
        if name.startswith(".tmp-") and name.endswith(".json"):
            continue  # a summary being written right now
        try:
            data = read_entry(entry, root)
        except Rejected as why:
            found.skipped.append(Skipped(shown_name(name) + ("/" if _is_dir(entry) else ""), str(why)))
            continue
        key = (data["session"], data["story_id"])
        if key in seen:
            found.skipped.append(Skipped(shown_name(name), "a copy of another summary (same session and story)"))
            continue
        seen.add(key)
        found.summaries.append(data)
    return found


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def read_entry(entry: os.DirEntry, root: Path) -> dict:
    """One folder entry as a summary, or Rejected with the reason."""
    path = Path(entry.path)
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as exc:
        raise Rejected(f"could not be read ({exc.strerror or exc})") from None
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise Rejected("a link that leads nowhere") from None
        if target.parent != root:
            raise Rejected("a link to a file outside the class folder (not followed)")
        path = target
        try:
            info = target.stat()
        except OSError as exc:
            raise Rejected(f"could not be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        hint = ""
        try:
            hint = " (a class folder? report on it by itself)" if any(path.glob("*.json")) else ""
        except OSError:
            pass
        raise Rejected(f"a folder{hint}")
    if not stat.S_ISREG(info.st_mode):
        raise Rejected("not a regular file (a pipe, a socket or a device), not read")
    if path.suffix.lower() != ".json":
        raise Rejected("not a summary (not a .json file)")
    if info.st_size > MAX_SUMMARY_BYTES:
        raise Rejected(f"too large to be a summary ({info.st_size:,} bytes; the limit is {MAX_SUMMARY_BYTES:,})")
    data = _parse(_read_bytes(path, MAX_SUMMARY_BYTES))
    problem = summary_problem(data) or numbers_problem(data)
    if problem:
        raise Rejected(problem)
    return data


def _read_bytes(path: Path, limit: int) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Rejected(f"could not be read ({exc.strerror or exc})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # it changed since it was looked at
            raise Rejected("not a regular file (a pipe, a socket or a device), not read")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Rejected(f"could not be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise Rejected(f"too large to be a summary (over {limit:,} bytes)")
    return data


def _parse(raw: bytes) -> object:
    try:
        data = loads_bounded(raw, max_bytes=MAX_SUMMARY_BYTES)
    except BadJSON as exc:
        reason = str(exc)
        if "UTF-8" in reason:
            raise Rejected("not a summary (not text)") from None
        raise Rejected(f"not a usable summary: {reason}") from None
    try:
        return clean_data(data)
    except (ValueError, RecursionError) as exc:
        raise Rejected(f"not a usable summary: {exc}") from None


STORY_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")  # as the story loader allows
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")


def numbers_problem(data: dict) -> str | None:
    """Ids must be ids (a story id is never a path), meters finite and in a sane range: one absurd
    value would wreck every chart."""
    if not STORY_ID.match(data["story_id"]):
        return "'story_id' is not a story id"
    if not SESSION_ID.match(data["session"]):
        return "'session' is not a session id"
    for values in (data.get("meters") or {}).values():
        for value in values:
            if not math.isfinite(value) or abs(value) > MAX_METER_VALUE:
                return "a meter value is out of range"
    return None


__all__ = ["Folder", "MAX_SUMMARY_BYTES", "Rejected", "Skipped", "read_entry", "read_folder", "shown_name"]
