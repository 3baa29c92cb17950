"""Diagnostics for story files: a place, a message and a hint, printed like a compiler's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoryError:
    """One problem in a story file, with where it is and how to fix it.

    `line` and `col` are 1-based, as editors count them. `severity` is "error" or "warning".
    `code` is a short stable name for tools (JSON output, tests), e.g. "unknown-key".
    `detail` is for experts: the parser's own words (e.g. "YAML said: ..."), printed last.
    """

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: str = "error"
    code: str = "error"
    detail: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        if self.detail:
            text += f"\n  ({self.detail})"
        return text

    def to_dict(self) -> dict:
        found = {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }
        if self.detail:
            found["detail"] = self.detail
        return found

    def __str__(self) -> str:
        return self.format()


class StoryLoadError(Exception):
    """Raised when a story cannot be loaded; carries every error found, not just the first."""

    def __init__(self, errors: list[StoryError]):
        self.errors = list(errors)
        super().__init__("\n".join(e.format() for e in self.errors))
