"""Reading Twee 3 (iftechfoundation/twine-specs, twee-3-specification.md) into passages.

Passages start with a header line `:: Name [tags] {metadata}`; `\\` escapes `[ ] { } \\` in
names and tags; Twee 1/2 headers (`<x,y>` positions) are read too. StoryData is JSON whose keys
come in several spellings ('format-version', 'formatVersion', 'startnode'), all read alike."""

from __future__ import annotations

import json
import re

from game.tools.twine.model import Note, Passage


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split_header(rest: str) -> tuple[str, str, str]:
    """Name, tag block and metadata block, honouring backslash escapes."""
    name, i = [], 0
    while i < len(rest) and rest[i] not in "[{<":
        if rest[i] == "\\" and i + 1 < len(rest):
            name.append(rest[i:i + 2])
            i += 2
            continue
        name.append(rest[i])
        i += 1
    tail = rest[i:].strip()
    tags = meta = ""
    if tail.startswith("["):
        j = 0
        while j < len(tail):
            if tail[j] == "\\":
                j += 2
                continue
            if tail[j] == "]":
                break
            j += 1
        tags, tail = tail[1:j], tail[j + 1:].strip()
    if tail.startswith("{"):
        meta = tail
    return "".join(name).strip(), tags, meta


def parse_twee(text: str, notes: list[Note]) -> list[Passage]:
    passages: list[Passage] = []
    current: Passage | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.startswith("::"):
            name, tags, meta = _split_header(raw[2:])
            metadata = {}
            if meta:
                try:
                    metadata = json.loads(meta)
                    if not isinstance(metadata, dict):
                        raise ValueError("not an object")
                except ValueError as exc:
                    notes.append(Note(number, unescape(name), "passage metadata that is not JSON",
                                      f"({exc}); left out, as the Twee 3 spec recommends", "note"))
                    metadata = {}
            current = Passage(unescape(name), [unescape(t) for t in tags.split()], number, [], metadata)
            if not current.name:
                notes.append(Note(number, "", "passage header without a name", "its passage was skipped"))
                current = None
                continue
            passages.append(current)
        elif current is not None:
            current.lines.append((number, raw))
        elif raw.strip():
            notes.append(Note(number, "", "text before the first passage header", "ignored", "note"))
    for passage in passages:
        while passage.lines and not passage.lines[-1][1].strip():
            passage.lines.pop()  # trailing blank lines are not content (spec)
    return passages


def normal_keys(data: dict) -> dict:
    normal = {}
    for key, value in data.items():
        compact = re.sub(r"[-_\s]", "", str(key)).lower()
        normal[{"startnode": "start", "startpassage": "start"}.get(compact, compact)] = value
    return normal


def story_data(passage: Passage | None, notes: list[Note]) -> dict:
    """StoryData as a dict with normalised keys."""
    if passage is None:
        return {}
    text = passage.text.strip()
    try:
        data = json.loads(text) if text else {}
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        notes.append(Note(passage.line, "StoryData", "StoryData that is not JSON",
                          f"({exc}); the title, start and IFID were taken from elsewhere"))
        return {}
    return normal_keys(data)
