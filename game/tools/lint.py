"""Warnings about the writing rather than the structure: header gaps, long paragraphs, and the
quote and whitespace slips that are easy to make and hard to see.

All are warnings: the story plays, but a reader or a screen reader may stumble.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from game.story.errors import StoryError
from game.story.model import Span, Story
from game.tools.source import SourceText

LONG_PARAGRAPH_WORDS = 150

# Characters that look like a space, or like nothing, but are not a plain space.
ODD_SPACES = {
    "\u00a0": "a non-breaking space", "\u2007": "a figure space", "\u202f": "a narrow no-break space",
    "\u2009": "a thin space", "\u200a": "a hair space", "\u2002": "an en space", "\u2003": "an em space",
    "\u200b": "a zero-width space", "\u200c": "a zero-width non-joiner", "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner", "\ufeff": "a byte-order mark", "\u00ad": "a soft hyphen",
}
SPACE_BEFORE_PUNCT = re.compile(r"\w( +)([,;:!?]|\.(?!\.))")
DOUBLE_SPACE = re.compile(r"\S(  +)\S")
WORD_APOSTROPHE = re.compile(r"(?<=\w)(['’`´])(?=\w)")


@dataclass(frozen=True, slots=True)
class Prose:
    """A piece of text the player reads, with where to start looking for it in the file."""

    text: str
    anchor: Span
    what: str
    continued: bool = False  # the next paragraph opens with a quote: a speech that runs on


def prose(story: Story, source: SourceText) -> Iterator[Prose]:
    """Every string the player reads, in file order as far as the model knows it."""
    for key in ("title", "summary", "perspective"):
        yield Prose(getattr(story, key), source.header_key(key) or Span(1, 1), f"the {key}")
    notes = source.header_key("content_notes") or Span(1, 1)
    for note in story.content_notes:
        yield Prose(note, notes, "a content note")
    for scene in story.scenes.values():
        for number, part in enumerate(scene.text):
            following = scene.text[number + 1].text if number + 1 < len(scene.text) else ""
            yield Prose(part.text, part.span, f"a paragraph of '{scene.id}'", following[:1] in ('"', "“"))
        if scene.thought:
            yield Prose(scene.thought, source.find_key("thought", scene.span) or scene.span,
                        f"the thought of '{scene.id}'")
        if scene.ending:
            yield Prose(scene.ending.title, source.find_key("ending", scene.span) or scene.span,
                        f"the ending title of '{scene.id}'")
        for choice in scene.choices:
            yield Prose(choice.text, choice.span, f"choice '{choice.id}'")
            if choice.locked:
                yield Prose(choice.locked, source.find_key("locked", choice.span) or choice.span,
                            f"the locked reason of '{choice.id}'")
            if choice.remember:
                yield Prose(choice.remember, source.find_key("remember", choice.span) or choice.span,
                            f"the remember line of '{choice.id}'")
    debrief = source.header_key("debrief") or Span(1, 1)
    for question in story.debrief:
        yield Prose(question, debrief, "a debrief question")


def lint(story: Story, source: SourceText, *, long_paragraph: int = LONG_PARAGRAPH_WORDS) -> list[StoryError]:
    out: list[StoryError] = []

    def warn(span: Span, message: str, hint: str, code: str) -> None:
        out.append(StoryError(story.path, span.line, span.col, message, hint, "warning", code))

    _header(story, source, warn)
    texts = list(prose(story, source))
    for item in texts:
        _paragraph(item, source, warn, long_paragraph)
    _quote_styles(texts, source, warn)
    _source_lines(source, warn)
    return sorted(out, key=lambda e: (e.line, e.col, e.code))


def _header(story: Story, source: SourceText, warn) -> None:
    at = source.header_key("id") or Span(1, 1)
    if not story.content_notes:
        warn(at, "the story has no content notes",
             "add content_notes: [...]; players see them before the story begins, and can choose another",
             "missing-content-notes")
    if not story.debrief:
        warn(at, "the story has no debrief questions",
             "add debrief: with 4 to 6 questions; classrooms and players use them afterwards", "missing-debrief")
    if story.minutes is None:
        warn(at, "the story has no play time", "add minutes: N, a rough play time", "missing-minutes")


def _where(item: Prose, source: SourceText, snippet: str) -> Span:
    return source.find(snippet, item.anchor) or item.anchor


def _paragraph(item: Prose, source: SourceText, warn, long_paragraph: int) -> None:
    text = item.text
    words = len(text.split())
    if words > long_paragraph and item.what.startswith("a paragraph"):
        warn(item.anchor, f"{item.what} is {words} words long",
             f"paragraphs over {long_paragraph} words are hard to read in a terminal; split it in two",
             "long-paragraph")
    opening, closing = text.count("“"), text.count("”")
    if opening == closing + 1 and item.continued:
        pass  # a speech over several paragraphs leaves each one open but the last
    elif opening != closing:
        warn(_where(item, source, "“" if opening > closing else "”"),
             f"unbalanced curly quotes in {item.what}: {opening} “ but {closing} ”",
             "every “ needs a ” (or use straight quotes throughout)", "smart-quotes")
    elif re.search(r"”\w|\w“", text):
        snippet = re.search(r"”\w|\w“", text).group(0)
        warn(_where(item, source, snippet), f"a curly quote faces the wrong way in {item.what}",
             "“ opens a quote and ” closes it", "smart-quotes")
    if '"' in text and (opening or closing):
        warn(_where(item, source, "“" if opening else "”"), f"{item.what} mixes straight and curly double quotes",
             "pick one kind of quote and use it throughout", "smart-quotes")
    elif text.count('"') % 2 and not item.continued:
        warn(item.anchor, f"an odd number of double quotes in {item.what}",
             "a quote is opened and not closed, or closed and not opened", "smart-quotes")
    for match in re.finditer(r"(?<=\w)[`´](?=\w)", text):
        warn(_where(item, source, match.group(0)), f"'{match.group(0)}' used as an apostrophe in {item.what}",
             "write ' (or ’)", "smart-quotes")
    for pattern, message, hint in (
        (DOUBLE_SPACE, "two spaces in a row", "one space is enough; screen readers may pause"),
        (SPACE_BEFORE_PUNCT, "a space before punctuation", "remove the space"),
    ):
        for match in pattern.finditer(text):
            snippet = text[max(0, match.start(1) - 8): match.end(1) + 1].lstrip()
            warn(_where(item, source, snippet), f"{message} in {item.what}: '{snippet.strip()}'", hint, "whitespace")
            break


def _quote_styles(texts: list[Prose], source: SourceText, warn) -> None:
    """Straight and curly apostrophes (or double quotes) mixed across the story."""
    for kind, straight, curly, find in (
        ("apostrophes", "'", "’", lambda t: [m.group(1) for m in WORD_APOSTROPHE.finditer(t)]),
        ("double quotes", '"', "“”", lambda t: [c for c in t if c in '"“”']),
    ):
        counts = {"straight": 0, "curly": 0}
        places: dict[str, list[tuple[Prose, str]]] = {"straight": [], "curly": []}
        for item in texts:
            for char in find(item.text):
                style = "straight" if char == straight else "curly" if char in curly else None
                if style:
                    counts[style] += 1
                    places[style].append((item, char))
        if counts["straight"] and counts["curly"]:
            minority = "straight" if counts["straight"] < counts["curly"] else "curly"
            majority = "curly" if minority == "straight" else "straight"
            item, char = places[minority][0]
            warn(_where(item, source, char),
                 f"the story mixes {kind}: {counts[majority]} {majority}, {counts[minority]} {minority} "
                 f"(the first {minority} one is in {item.what})",
                 f"use {majority} {kind} throughout; the odd one out is likely a paste", "smart-quotes")


def _source_lines(source: SourceText, warn) -> None:
    for number, line in enumerate(source.lines, 1):
        stripped = line.rstrip(" \t")
        if stripped != line:
            warn(Span(number, len(stripped) + 1), "trailing whitespace", "delete the spaces at the end of the line",
                 "whitespace")
        if "\t" in stripped:
            warn(Span(number, stripped.find("\t") + 1), "a tab character",
                 "use spaces; YAML treats tabs differently in different places", "whitespace")
        for col, char in enumerate(line, 1):
            if char in ODD_SPACES and not (number == 1 and col == 1 and char == "\ufeff"):
                warn(Span(number, col), f"{ODD_SPACES[char]} (U+{ord(char):04X})",
                     "it looks like a space or nothing at all, but is not; retype it as a plain space or delete it",
                     "whitespace")
