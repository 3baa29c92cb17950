"""The raw text of a story file, for placing diagnostics the model keeps no span for.

The model records where scenes, choices, paragraphs, meters and effects start. A few keys
(`skip_to`, `thought`, header keys) and words inside text have no span of their own; these
helpers find them in the lines near a known span, and answer None when unsure, so a caller can
fall back to the enclosing span rather than point at the wrong place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from game.story.model import Span

NEARBY = 80  # how many lines past a span a key or snippet may be


@dataclass(frozen=True)
class SourceText:
    lines: tuple[str, ...]

    @classmethod
    def empty(cls) -> "SourceText":
        return cls(())

    @classmethod
    def of(cls, text: str) -> "SourceText":
        return cls(tuple(text.splitlines()))

    @classmethod
    def read(cls, path: str | Path) -> "SourceText":
        try:
            return cls.of(Path(path).read_text(encoding="utf-8-sig", errors="replace"))
        except OSError:
            return cls.empty()

    def header_key(self, key: str) -> Span | None:
        """Where a top-level key (`flags:`, `debrief:`) is written."""
        pattern = re.compile(rf"{re.escape(key)}\s*:")
        for number, line in enumerate(self.lines, 1):
            if pattern.match(line):
                return Span(number, 1)
        return None

    def find_key(self, key: str, after: Span) -> Span | None:
        """The first `key:` at or after `after` that is indented deeper than the line of `after`."""
        if not self.lines or after.line > len(self.lines):
            return None
        first = self.lines[after.line - 1]
        indent = len(first) - len(first.lstrip())
        pattern = re.compile(rf"(\s*-?\s*){re.escape(key)}\s*:")
        for number in range(after.line + 1, min(len(self.lines), after.line + NEARBY) + 1):
            line = self.lines[number - 1]
            if line.strip() and not line.lstrip().startswith("#"):
                if len(line) - len(line.lstrip()) <= indent:
                    return None  # left the block
                match = pattern.match(line)
                if match:
                    return Span(number, match.end(1) + 1)
        return None

    def find(self, snippet: str, after: Span) -> Span | None:
        """Where `snippet` first occurs at or after the line of `after`, nearby."""
        if not snippet:
            return None
        for number in range(max(after.line, 1), min(len(self.lines), after.line + NEARBY) + 1):
            col = self.lines[number - 1].find(snippet)
            if col >= 0:
                return Span(number, col + 1)
        return None

    def find_word(self, word: str, after: Span) -> Span | None:
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        for number in range(max(after.line, 1), min(len(self.lines), after.line + NEARBY) + 1):
            match = pattern.search(self.lines[number - 1])
            if match:
                return Span(number, match.start() + 1)
        return None


class Sources:
    """The text of every file of a story (its own, and each it includes), by shown path."""

    def __init__(self, main_path: str, texts: dict[str, SourceText]):
        self.main_path = main_path
        self._texts = texts

    @classmethod
    def single(cls, path: str, text: SourceText) -> "Sources":
        return cls(path, {path: text})

    @classmethod
    def of_story(cls, story, main_text: str | None = None) -> "Sources":
        """Every file of `story`, read from disk; the story's own file from `main_text` if given."""
        texts = {story.path: SourceText.read(story.path) if main_text is None else SourceText.of(main_text)}
        for name, _ in story.includes:
            shown = str(Path(story.path).parent / name)
            texts[shown] = SourceText.read(shown)
        return cls(story.path, texts)

    @property
    def main(self) -> SourceText:
        return self._texts.get(self.main_path) or SourceText.empty()

    def get(self, path: str) -> SourceText:
        return self._texts.get(path) or SourceText.empty()

    def items(self):
        return self._texts.items()
