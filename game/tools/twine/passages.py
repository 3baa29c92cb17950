"""Which passages are story, which are code or special, and which other passages each one names
(even inside code that did not translate)."""

from __future__ import annotations

import re

from game.tools.twine.links import split_link
from game.tools.twine.model import Note, Passage

SPECIAL_HIDDEN = {"StoryTitle", "StoryData", "StorySubtitle", "StoryAuthor", "StorySettings", "StoryIncludes",
                  "StoryCaption", "StoryMenu", "StoryBanner", "StoryInterface", "StoryShare", "StoryInit",
                  "PassageReady", "PassageDone", "PassageHeader", "PassageFooter"}
STARTUP_TAGS = {"startup", "debug-startup"}
HARLOWE_AROUND = {"header", "footer", "debug-header", "debug-footer"}
CODE_TAGS = {"script", "widget", "stylesheet"}

_INCLUDE_TEXT = re.compile(r"""<<(?:include|display)\s+["']([^"']+)["']|\(display:\s*["']([^"']+)["']""")
_LINK_TEXT = re.compile(r"""\[\[([^\]]*)\]|<<(?:goto|link|button|actions|choice)\s[^>]*?["']([^"']+)["']\s*>>|"""
                        r"""\((?:go-?to|link-goto|link-reveal-goto|click-goto):[^)]*?["']([^"']+)["']\s*\)""", re.I)


def story_format(data: dict, text: str) -> str:
    """'harlowe' or 'sugarcube': as StoryData says, else as the macros look."""
    named = str(data.get("format") or "").lower()
    if "harlowe" in named:
        return "harlowe"
    if "sugarcube" in named:
        return "sugarcube"
    return "harlowe" if re.search(r"\((?:set|if|link-goto|goto|print|display):", text) and "<<" not in text \
        else "sugarcube"


def sort(by_name: dict[str, Passage], notes: list[Note]) -> tuple[list[Passage], list[Passage], list[Passage]]:
    """(story passages, startup passages, script passages); the others are noted and left out."""
    story, startup, scripts = [], [], []
    for passage in by_name.values():
        tags = set(passage.tags)
        if passage.name in ("StoryTitle", "StoryData"):
            continue
        if tags & {"script", "widget"}:
            scripts.append(passage)
            notes.append(Note(passage.line, passage.name, "script passage (kept as a comment at the end)",
                              f"{len(passage.lines)} lines; stories here hold no code"))
        elif "stylesheet" in tags:
            notes.append(Note(passage.line, passage.name, "stylesheet left out", "styling has no meaning in a "
                              "terminal", "note"))
        elif tags & {"Twine.private", "annotation", "Twine.image"}:
            notes.append(Note(passage.line, passage.name, "private passage left out", str(sorted(tags)), "note"))
        elif passage.name == "StoryInit" or tags & STARTUP_TAGS:
            startup.append(passage)
        elif passage.name in SPECIAL_HIDDEN or tags & HARLOWE_AROUND:
            notes.append(Note(passage.line, passage.name, "special passage left out", "shown around every "
                              "passage, or by the story format"))
        else:
            story.append(passage)
    return story, startup, scripts


def written_includes(by_name: dict[str, Passage]) -> set[str]:
    """Passages that some passage includes, even inside code that was not translated."""
    return {a or b for p in by_name.values() for a, b in _INCLUDE_TEXT.findall(p.text)}


def written_links(by_name: dict[str, Passage]) -> set[str]:
    """Passages that some link or goto names, even inside code that was not translated."""
    out = set()
    for passage in by_name.values():
        for link, macro, harlowe in _LINK_TEXT.findall(passage.text):
            out.add(split_link(link)[1].strip() if link else (macro or harlowe))
    return out


_CONDITIONAL = re.compile(r"<<(?:if|switch)\b|\((?:if|unless):", re.I)


def conditionals(passages: list[Passage]) -> int:
    """How many conditionals (`<<if>>`, `<<switch>>`, `(if:)`, `(unless:)`) the passages hold, translated
    or not."""
    return sum(len(_CONDITIONAL.findall(p.text)) for p in passages)
