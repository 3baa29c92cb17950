"""Where accepted summaries go: the class folder, written atomically by the same writer the
terminal game uses (one file per session and story, replaced by a later summary from the same
session, never another session's), or only memory when the server runs without a class."""

from __future__ import annotations

import asyncio
from pathlib import Path

from game.classroom.session import ClassroomSession


class SummaryStore:
    def __init__(self, classroom: str | None, classes: Path | None):
        self.classroom = classroom
        self.classes = classes
        self._writers: dict[str, ClassroomSession] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def folder(self) -> Path | None:
        if not self.classroom:
            return None
        return (self.classes or Path.cwd() / "classes") / self.classroom

    async def keep(self, session: str, summary: dict) -> Path | None:
        """Write `summary` for the browser `session` (one at a time per session: a replay's summary
        never races its first). Returns the file, or None without a class folder."""
        if not self.classroom:
            return None
        lock = self._locks.setdefault(session, asyncio.Lock())
        async with lock:
            writer = self._writers.get(session)
            if writer is None:
                writer = self._writers[session] = ClassroomSession(self.classroom, self.classes)
                writer.session_id = session  # the file is named for the session the page knows
            return await asyncio.to_thread(writer.write_data, summary)
