"""Template syntax from other tools (ink, ChoiceScript, Twine, Ren'Py), which Understood would print
as written: each is an error that names the format-2 form to write instead."""

from __future__ import annotations

import re
from collections.abc import Iterator

from game.story.model import Span
from game.tools.source import SourceText

# Longest first: `${x}` before `$x`, `{~a|b}` before `{x}`.
_PATTERNS = (
    ("twine", re.compile(r"<<[^<>\n]{0,200}>>")),
    ("dollar-brace", re.compile(r"\$\{\s*([A-Za-z_][\w.]*)\s*\}")),
    ("ink-alternative", re.compile(r"\{([~&!]?)([^{}\n]{0,200}\|[^{}\n]{0,200})\}")),
    ("ink-conditional", re.compile(r"\{\s*([A-Za-z_][\w.()]*)\s*:\s*([^{}\n]{0,200})\}")),
    ("brace", re.compile(r"\{\s*([A-Za-z_][\w.]*)\s*\}")),
    ("dollar", re.compile(r"(?<![\w$\\])\$([A-Za-z_]\w*)")),
)
_KINDS = {"": "seq", "&": "cycle", "~": "shuffle", "!": "seq"}


def foreign_syntax(text: str, what: str, anchor: Span, source: SourceText, meters, flags
                   ) -> Iterator[tuple[Span, str, str]]:
    """(where, message, hint) for each piece of foreign template syntax in a text."""
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(a <= match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            found = match.group(0)
            where = source.find(found[:40], anchor) or anchor
            yield where, f"'{found}' in {what} is template syntax from another tool, and would be shown as written", \
                _instead(kind, match, meters, flags)


def _instead(kind: str, match: re.Match, meters, flags) -> str:
    if kind == "twine":
        return ("Understood does not run Twine macros: write a conditional as ((if condition: shown | otherwise)) "
                "and a meter's value as ((meter)) (format 2)")
    if kind == "ink-alternative":
        form = _KINDS[match.group(1)]
        branches = " | ".join(b.strip() for b in match.group(2).split("|"))
        return f"in format 2 write (({form}: {branches}))"
    if kind == "ink-conditional":
        return f"in format 2 write ((if {match.group(1)}: {match.group(2).strip()}))"
    name = match.group(1)
    if name in meters:
        return f"to print the meter in format 2, write (({name}))"
    if name in flags:
        return f"'{name}' is a flag: in format 2 write ((if {name}: shown when set | otherwise))"
    return ("in format 2, ((name)) prints a meter and ((if condition: a | b)) varies the text; "
            "declare the name under 'meters:' or 'flags:' first")
