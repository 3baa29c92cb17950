"""Noticing that a story file was saved: its modification time, polled by a screen's timer."""

from __future__ import annotations

import os
from pathlib import Path


class FileWatch:
    """`changed()` is true once for each new modification time of `path` (a missing file waits)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._seen = self._mtime()

    def _mtime(self) -> int | None:
        try:
            return os.stat(self.path).st_mtime_ns
        except OSError:
            return None

    def changed(self) -> bool:
        mtime = self._mtime()
        if mtime is None or mtime == self._seen:
            return False
        self._seen = mtime
        return True
