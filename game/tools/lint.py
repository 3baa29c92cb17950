"""Warnings about the writing rather than the structure: header gaps, long paragraphs, and the
quote and whitespace slips that are easy to make and hard to see.

All are warnings: the story plays, but a reader or a screen reader may stumble.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from game.story.errors import StoryError
from game.story.inline import sample
from game.story.model import Span, Story
from game.story.texts import scene_texts
from game.story.prose_slips import prose_slips
from game.tools.foreign import foreign_syntax
from game.tools.source import SourceText, Sources

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
    path: str = ""  # the file, when not the story's own (an included file)
    source: SourceText | None = None  # that file's text
    raw: str = ""  # the text as written, inline forms and all (format 2), when `text` is their words


def prose(story: Story, source: SourceText | Sources) -> Iterator[Prose]:
    """Every string the player reads, in file order as far as the model knows it."""
    sources = source if isinstance(source, Sources) else Sources.single(story.path, source)
    source = sources.main
    for key in ("title", "summary", "perspective"):
        yield Prose(getattr(story, key), source.header_key(key) or Span(1, 1), f"the {key}")
    notes = source.header_key("content_notes") or Span(1, 1)
    for note in story.content_notes:
        yield Prose(note, notes, "a content note")
    keyed = {"thought": "thought", "ending.title": "ending"}
    for scene in story.scenes.values():
        path = story.file_of(scene)
        here = sources.get(path)
        for text in scene_texts(scene):
            last = text.key.rsplit(".", 1)[-1]
            for number, part in enumerate(text.parts):
                words = sample(part.tree, part.text)
                continued = False
                if text.key == "text":
                    following = text.parts[number + 1].text if number + 1 < len(text.parts) else ""
                    continued = following[:1] in ('"', "“")
                if story.format >= 2 or text.key == "text" or last == "text":
                    anchor = part.span  # format 2 keeps a span for every text
                else:
                    near = text.choice.span if text.choice is not None else scene.span
                    anchor = here.find_key(keyed.get(text.key, last), near) or near
                yield Prose(words, anchor, text.what, continued, path, here, part.text)
    debrief = source.header_key("debrief") or Span(1, 1)
    for question in story.debrief:
        yield Prose(question, debrief, "a debrief question")


def lint(story: Story, source: SourceText | Sources, *,
         long_paragraph: int = LONG_PARAGRAPH_WORDS) -> list[StoryError]:
    out: list[StoryError] = []
    sources = source if isinstance(source, Sources) else Sources.single(story.path, source)
    source = sources.main

    def warn(span: Span, message: str, hint: str, code: str, path: str = "", severity: str = "warning") -> None:
        out.append(StoryError(path or story.path, span.line, span.col, message, hint, severity, code))

    _header(story, source, warn)
    texts = list(prose(story, sources))
    for item in texts:
        here = item.source or source
        _paragraph(item, here, lambda *a, _p=item.path: warn(*a, path=_p), long_paragraph)
        for span, message, hint in foreign_syntax(item.raw or item.text, item.what, item.anchor, here,
                                                  story.meters, story.flags):
            warn(span, message, hint, "foreign-syntax", item.path, "error")
    _quote_styles(texts, source, warn)
    for path, text in sources.items():
        _source_lines(text, lambda *a, _p=path: warn(*a, path=_p))
    slips = _yaml_slips(sources)
    mixed = {(e.path, e.line) for e in slips if e.code == "mixed-quotes"}
    out = [e for e in out if not (e.code == "smart-quotes" and (e.path, e.line) in mixed)] + slips
    return sorted(out, key=lambda e: (e.line, e.col, e.code))


def _yaml_slips(sources: Sources) -> list[StoryError]:
    """Texts YAML read, but not as meant: cut short by ' #', or opened with “ and closed with " (one
    warning for that line, not a second one about mixed quotes)."""
    return [slip for path, text in sources.items() for slip in prose_slips("\n".join(text.lines), path)]


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
            warn(_where(item, item.source or source, char),
                 f"the story mixes {kind}: {counts[majority]} {majority}, {counts[minority]} {minority} "
                 f"(the first {minority} one is in {item.what})",
                 f"use {majority} {kind} throughout; the odd one out is likely a paste", "smart-quotes",
                 item.path)


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
