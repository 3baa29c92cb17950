"""Twine's text markup, which this format has no way to show: emphasis, headings, lists and HTML
are taken out and the words kept. `<br>` and block-level HTML end a line, as they do in Twine.

SugarCube: `//italic//`, `''bold''`, `__underline__`, `==strike==`, `~~sub~~`, `^^sup^^`,
`@@style;text@@`, `!heading`, comments `/* */` and `/% %/`. Harlowe: `//italic//`, `''bold''`,
`*em*`, `**strong**`, `~~strike~~`, `^^sup^^`, `#heading`, `* bullet`. Both: `<!-- -->`, HTML."""

from __future__ import annotations

import re

COMMENTS = re.compile(r"<!--.*?-->|/\*.*?\*/|/%.*?%/|<(style|script)\b[^>]*>.*?</\1\s*>", re.S | re.I)
LINE_BREAK_TAGS = re.compile(r"<br\s*/?>|</?(?:p|div|h[1-6]|li|ul|ol|blockquote|tr|table|section|center)\b[^<>]*>",
                             re.I)
HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
LINE_START = re.compile(r"^[ \t]*(?:[!#]{1,6}(?=\S)|[!#]{1,6}[ \t]+|\*[ \t]+|>[ \t]*|-{3,}[ \t]*$)", re.M)
_PAIRED = (
    re.compile(r"(?<!:)//(.+?)//", re.S),
    re.compile(r"''(.+?)''", re.S),
    re.compile(r"\*\*(.+?)\*\*", re.S),
    re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"),
    re.compile(r"(?<!\w)__(.+?)__(?!\w)", re.S),
    re.compile(r"~~(.+?)~~", re.S),
    re.compile(r"\^\^(.+?)\^\^", re.S),
    re.compile(r"==(.+?)==", re.S),
)
LEFTOVER = re.compile(r"(?<!:)//|''|\*\*|~~|\^\^|@@|\{\{\{|\}\}\}")
MULTILINE_TAG = re.compile(r"(?<!<)</?[A-Za-z][\w-]*\s[^<>]*\n[^<>]*>")
STYLE = re.compile(r"@@(?:[^;@]*;)?(.*?)@@", re.S)
ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&mdash;": "—",
            "&ndash;": "–", "&hellip;": "…"}


BREAK = "\x1e"      # a line break that HTML made: a new line on screen, not in the file
JOIN = "\x1f"       # a line break that Twine's `\\` took out: a new line in the file, not on screen


def strip_block(text: str, harlowe: bool = False) -> tuple[str, int]:
    """A passage's whole text with comments gone, line-breaking HTML as BREAK and escaped line
    breaks as JOIN; and how many HTML tags went (the other tags go in `strip_inline`)."""
    text = text.replace("\\\n", JOIN)
    if harlowe:
        text = text.replace("\n\\", JOIN)
    text = COMMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    count = len(LINE_BREAK_TAGS.findall(text))
    text, n = MULTILINE_TAG.subn(lambda m: "\n" * m.group(0).count("\n"), text)
    count += n
    text = LINE_BREAK_TAGS.sub(BREAK, text)
    text = LINE_START.sub("", text)
    return text, count


def strip_inline(text: str) -> tuple[str, int]:
    """Text with emphasis, styling and leftover HTML tags taken out; and how many went."""
    count = 0
    for pattern in _PAIRED:
        text, n = pattern.subn(r"\1", text)
        count += n
    text, n = STYLE.subn(r"\1", text)
    count += n
    text, n = HTML_TAG.subn(" ", text)
    count += n
    text, n = LEFTOVER.subn("", text)   # one half of a pair whose other half is across a macro
    count += n
    for entity, char in ENTITIES.items():
        text = text.replace(entity, char)
    return text, count
