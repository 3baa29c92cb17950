"""Classroom mode: anonymous session summaries, the class report, and serving in a browser.

The names below load on first use, so that `game.classroom.options` (read while the command line
is built) costs nothing at start-up.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "ClassroomSession": "game.classroom.session",
    "SummaryError": "game.classroom.session",
    "classes_dir": "game.classroom.session",
    "summary_problem": "game.classroom.session",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'game.classroom' has no attribute {name!r}")
