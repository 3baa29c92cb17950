"""What hovering over a scene, meter or flag shows: Markdown, from the story's own words.

Story text is untrusted: it is cleaned of control characters (an editor may run in a terminal)
and its Markdown characters are escaped, so a story cannot format or link in the hover.
"""

from __future__ import annotations

import re

from game.lsp.project import Project
from game.lsp.symbols import FILE, FLAG, METER, SCENE, Place, SceneInfo
from game.safe_text import clean

EXCERPT = 400  # characters of a scene's text shown
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def escape(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", clean(text, newlines=False))


def plain(markdown: str) -> str:
    """A hover's Markdown as plain text, for a client that shows no Markdown."""
    text = re.sub(r"(?<!\\)(\*\*|\*|`)", "", markdown)
    return re.sub(r"\\(.)", r"\1", text)


def hover(project: Project, path: str, line: int, col: int) -> tuple[str, Place] | None:
    """The hover text for what is under the cursor in the file at `path`, and where it is."""
    symbol = project.at(path, line, col)
    if symbol is None:
        return None
    if symbol.kind == SCENE:
        scene = project.scene(symbol.name)
        text = scene_text(scene) if scene else f"**scene** `{escape(symbol.name)}`\n\nNo such scene in this story."
    elif symbol.kind == METER:
        text = meter_text(project, symbol.name)
    elif symbol.kind == FILE:
        text = file_text(project, symbol.name)
    else:
        text = flag_text(project, symbol.name)
    return text, symbol.place


def scene_text(scene: SceneInfo) -> str:
    head = f"**scene** `{escape(scene.name)}`"
    if scene.title:
        head += f": {escape(scene.title)}"
    out = [head]
    if scene.ending:
        out.append(f"*Ending*: {escape(scene.ending)}" + (f" ({escape(scene.tone)})" if scene.tone else ""))
    excerpt = _excerpt(scene.text)
    if excerpt:
        out.append("> " + escape(excerpt))
    if scene.choices:
        out.append("\n".join(f"- {escape(_short(c.text, 60))} → `{escape(c.goto)}`" for c in scene.choices))
    return "\n\n".join(out)


def meter_text(project: Project, name: str) -> str:
    meter = project.meter(name)
    if meter is None:
        return f"**meter** `{escape(name)}`\n\nNot declared under `meters:`."
    values = meter.values
    label = values.get("label") or name.replace("_", " ").capitalize()
    out = [f"**meter** `{escape(name)}`: {escape(label)}"]
    hidden = values.get("hidden") in ("true", "True", "yes")
    out.append(f"starts at {escape(values.get('start') or '?')}, range "
               f"{escape(values.get('min') or '0')}..{escape(values.get('max') or '10')}"
               + (", hidden from the player" if hidden else ""))
    if values.get("description"):
        out.append(escape(values["description"]))
    out.append(_counts(project, METER, name, {"effect": "changed by", "test": "tested in", "shown": "shown in"}))
    return "\n\n".join(out)


def file_text(project: Project, name: str) -> str:
    location = project.definition(FILE, name)
    found = project.files.get(location.path) if location else None
    if found is None:
        return f"**file** `{escape(name)}`\n\nNo such file beside the story."
    count = len(found.scenes)
    return f"**file** `{escape(name)}`: {count} scene{'s' * (count != 1)}\n\n" + ", ".join(
        f"`{escape(scene)}`" for scene in found.scenes)


def flag_text(project: Project, name: str) -> str:
    declared = project.definition(FLAG, name) is not None
    out = [f"**flag** `{escape(name)}`" + ("" if declared else "\n\nNot declared under `flags:`.")]
    out.append(_counts(project, FLAG, name, {"set": "set by", "clear": "cleared by", "test": "tested in"}))
    return "\n\n".join(out)


def _counts(project: Project, kind: str, name: str, roles: dict[str, str]) -> str:
    uses = [symbol.role for _, symbol in project.uses(kind, name)]
    parts = [f"{words} {uses.count(role)} place{'s' * (uses.count(role) != 1)}"
             for role, words in roles.items() if uses.count(role)]
    return "; ".join(parts) if parts else "Not used anywhere yet."


def _excerpt(paragraphs: tuple[str, ...]) -> str:
    text = " ".join(" ".join(p.split()) for p in paragraphs)
    return _short(text, EXCERPT)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
