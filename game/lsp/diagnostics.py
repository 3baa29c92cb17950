"""`understood check` for an editor: the same checker, the same messages and codes, as ranges.

The checker (game/tools/checker.py) reports `path:line:col`, 1-based, a point. An editor wants a
0-based range, so each point is widened to the word, number or quoted text it falls on.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from game.safe_text import clean
from game.story.errors import StoryError
from game.tools.explore import DEFAULT_MAX_STATES

log = logging.getLogger(__name__)
_WORD = re.compile(r"[\w.+-]+")
_RUN = re.compile(r"[^\s,\[\]{}]+")


@dataclass(frozen=True, slots=True)
class Finding:
    """One diagnostic, ready for an editor: 0-based line, columns in code points, end exclusive."""

    path: str
    line: int
    start: int
    end: int
    severity: str  # "error" or "warning", as `understood check` says
    code: str
    message: str  # the checker's message, then its hint on the next line


def widen(line_text: str, col: int) -> tuple[int, int]:
    """The columns of what starts at `col` (0-based) on a line: a quoted text, a word, or a run
    of non-space characters; one column at least (so that an editor can underline it)."""
    if col >= len(line_text):
        return len(line_text), len(line_text) + (0 if line_text else 1)
    quote = line_text[col]
    if quote in "'\"":
        close = line_text.find(quote, col + 1)
        if close > col:
            return col, close + 1
    for pattern in (_WORD, _RUN):
        match = pattern.match(line_text, col)
        if match:
            return col, match.end()
    return col, col + 1


def finding(error: StoryError, lines: list[str]) -> Finding:
    line = max(error.line - 1, 0)
    col = max(error.col - 1, 0)
    start, end = widen(lines[line] if line < len(lines) else "", col)
    message = error.message + (f"\nhint: {error.hint}" if error.hint else "")
    return Finding(error.path, line, start, end, error.severity, error.code, clean(message))


def check(path: str, text: str | None, *, analysis: bool = True, max_states: int = DEFAULT_MAX_STATES,
          read=None) -> dict[str, list[Finding]]:
    """Every problem of the story file at `path` (its text as the editor holds it, or None to
    read it from disk), by the path of the file it is in; the story's own file is always there.

    Never raises: a checker that fails gives one diagnostic saying so (and a log line)."""
    from game.lsp.project import read_file
    from game.tools.checker import check_story

    read = read or read_file
    try:
        report = check_story(path, text=text, analysis=analysis, max_states=max_states)
        errors = report.diagnostics
    except Exception as exc:  # the server must outlive any story
        log.exception("checking %s failed", path)
        errors = [StoryError(path, 1, 1, f"understood could not check this file ({type(exc).__name__})",
                             "please report it, with the story", code="internal")]
    found: dict[str, list[Finding]] = {path: []}
    lines: dict[str, list[str]] = {}
    for error in errors:
        if error.path not in lines:
            source = text if error.path == path and text is not None else read(error.path)
            lines[error.path] = (source or "").split("\n")
        found.setdefault(error.path, []).append(finding(error, lines[error.path]))
    return found
