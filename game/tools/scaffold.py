"""`understood new "Title"`: a new story from the bundled template, valid and explorable as it stands."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
TEMPLATE = DATA / "new-story.yaml"
SCHEMA = DATA / "story.schema.json"


def slugify(title: str) -> str:
    """A story id from a title: 'Opening Up!' -> 'opening-up'."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64].strip("-")
    return slug or "new-story"


def schema_reference(target: Path) -> str:
    """The schema's path as the story file should name it: relative when they share a tree."""
    try:
        relative = Path(os.path.relpath(SCHEMA, target.resolve().parent))
    except ValueError:  # another drive, on Windows
        return SCHEMA.as_posix()
    if relative.parts[:3] == ("..", "..", ".."):
        return SCHEMA.as_posix()  # far away: an absolute path reads better, and survives moving the story
    return relative.as_posix()


def scaffold(title: str, story_id: str, target: Path) -> str:
    """The text of a new story called `title`, to be written at `target`."""
    title = " ".join(title.split())
    text = TEMPLATE.read_text(encoding="utf-8")
    return (text.replace("{{SCHEMA}}", schema_reference(target))
                .replace("{{TITLE_COMMENT}}", title)
                .replace("{{TITLE_YAML}}", json.dumps(title, ensure_ascii=False))
                .replace("{{ID}}", story_id))
