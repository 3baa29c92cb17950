"""Silencing a finding where it is meant: `# check: ignore CODE` (or a few codes, comma-separated)
on the finding's line or the line above it. Short names work too: `continuity`, `promise`."""

from __future__ import annotations

import re

from game.story.errors import StoryError
from game.tools.source import Sources

MARK = re.compile(r"#\s*check:\s*ignore\s+([a-z][a-z, -]*)")
SHORT = {"promise": "promise-not-kept", "promises": "promise-not-kept", "skip": "no-skip-route",
         "never-shows": "text-never-shows", "foreign": "foreign-syntax"}


def _codes(line: str) -> set[str]:
    match = MARK.search(line)
    if not match:
        return set()
    return {SHORT.get(c.strip(), c.strip()) for c in match.group(1).split(",") if c.strip()}


def silenced(found: list[StoryError], sources: Sources) -> list[StoryError]:
    out = []
    for item in found:
        lines = sources.get(item.path).lines
        codes: set[str] = set()
        for number in (item.line - 1, item.line):
            if 1 <= number <= len(lines):
                codes |= _codes(lines[number - 1])
        if item.code not in codes:
            out.append(item)
    return out
