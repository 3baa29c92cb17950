"""How a place is named to a person: the scene's title, else a readable excerpt, never its id.

Every front end (journal, saves list, "Continue … at …", class report, turning point) calls
`place_name`, so a player or a facilitator never reads `a_and_e` or `car_park`.
"""

from __future__ import annotations

import re

from game.story.inline import literal_text
from game.story.model import Scene, Story

EXCERPT_CHARS = 40
SOMEWHERE = "an earlier scene"  # a scene a story no longer has (a save from an older version)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_QUOTES = "\"'“”‘’"


def place_name(scene: Scene | None) -> str:
    """The scene's `title`, else an ending's title, else the opening words of its first paragraph."""
    if scene is None:
        return SOMEWHERE
    if scene.title:
        return _clean(scene.title)
    if scene.ending is not None:  # an ending is named by its own title
        return _clean(scene.ending.title)
    for part in scene.text:
        words = _clean(_top_level(part)).strip(_QUOTES + " ")
        if words:
            return excerpt(words)
    return SOMEWHERE


def place_name_of(story: Story, scene_id: str) -> str:
    """`place_name` for a scene known only by id (saves, summaries)."""
    return place_name(story.scenes.get(scene_id) if scene_id in story.scenes else None)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first sentence, or the words that fit in `limit` characters followed by '…'."""
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:—- ")
    return f"{cut}…"


def _top_level(part) -> str:
    """A paragraph's literal words outside inline forms (a form's branches vary; skip them)."""
    if part.tree is None:
        return part.text
    return "".join(node for node in part.tree if isinstance(node, str)) or literal_text(part.tree, part.text)


def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())
