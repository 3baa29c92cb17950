"""Small helpers for tests that need a story: a header, and a file written from scenes."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent, indent

HEADER = """\
format: 1
id: {id}
title: A Test Story
summary: A story written by a test.
perspective: Someone, 30
content_notes: [nothing much]
minutes: 5
debrief:
  - How did that feel?
"""


def story_text(body: str, *, story_id: str = "test-story", header: str | None = None) -> str:
    """A full story: the standard header, then `body` (meters, flags, start, scenes) as written."""
    head = HEADER.format(id=story_id) if header is None else header
    return head + dedent(body).lstrip("\n")


def write_story(folder: Path, body: str, *, name: str = "story.yaml", **kwargs) -> Path:
    path = Path(folder) / name
    path.write_text(story_text(body, **kwargs), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """The 1-based line where `needle` first appears (for asserting diagnostics' places)."""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


__all__ = ["HEADER", "indent", "line_of", "story_text", "write_story"]
