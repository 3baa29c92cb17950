"""The story map, as Mermaid (pastes into GitHub Markdown) or Graphviz DOT (and SVG through `dot`).

- Scenes are boxes; the start scene has a thick border.
- Endings are shaped and coloured by tone (the shape alone tells them apart, for monochrome
  screens and colour-blind readers).
- Choices are arrows: plain when always open, dashed and labelled with their condition when
  guarded. "Skip this scene" (skip_to) is a dotted arrow ending in a circle.
- Scenes that play never reaches (from an exploration) are drawn dashed and grey, marked
  "unreachable".
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from game.story.model import Choice, Scene, Story


@dataclass(frozen=True, slots=True)
class ToneStyle:
    colour: str
    dot_shape: str
    mermaid: tuple[str, str]  # opening and closing brackets of the node shape


TONE_STYLES = {
    "hopeful": ToneStyle("#cdebd3", "ellipse", ("([", "])")),
    "tender": ToneStyle("#f9d9e0", "egg", ("((", "))")),
    "bittersweet": ToneStyle("#fde5c5", "hexagon", ("{{", "}}")),
    "unresolved": ToneStyle("#e3e6ea", "parallelogram", ("[/", "/]")),
    "lonely": ToneStyle("#d5e1f7", "trapezium", ("[/", "\\]")),
    "heavy": ToneStyle("#d9d4e8", "octagon", ("[[", "]]")),
}
UNREACHABLE_COLOUR = "#9a9a9a"


class GraphvizMissing(RuntimeError):
    """`dot` is not installed, so SVG cannot be drawn here."""


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(choice: Choice, choice_text: bool) -> str:
    parts = []
    if choice.condition is not None:
        parts.append(f"if {choice.condition.source}")
    if choice_text:
        parts.append(_short(choice.text, 32))
    return "\n".join(parts)


# --- Mermaid ---------------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes and angle brackets as entity codes."""
    return (text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("\n", "<br/>"))


def _mermaid_id(scene_id: str) -> str:
    return f"s_{scene_id}"  # never collides with Mermaid keywords such as `end`


def mermaid(story: Story, unreachable: set[str] | None = None, *, choice_text: bool = False) -> str:
    unreachable = unreachable or set()
    lines = ["flowchart TD"]
    for scene in story.scenes.values():
        lines.append("  " + _mermaid_node(scene, scene.id in unreachable))
    for scene in story.scenes.values():
        for choice in scene.choices:
            label = _label(choice, choice_text)
            src, dst = _mermaid_id(scene.id), _mermaid_id(choice.goto)
            if choice.condition is not None:
                lines.append(f'  {src} -.->|"{_mermaid_text(label)}"| {dst}')
            elif label:
                lines.append(f'  {src} -->|"{_mermaid_text(label)}"| {dst}')
            else:
                lines.append(f"  {src} --> {dst}")
        if scene.skip_route:
            lines.append(f'  {_mermaid_id(scene.id)} -.-o|"skip"| {_mermaid_id(scene.skip_route)}')
    for tone, style in TONE_STYLES.items():
        lines.append(f"  classDef {tone} fill:{style.colour},stroke:#555,color:#111")
    lines.append(f"  classDef unreachable stroke:{UNREACHABLE_COLOUR},stroke-dasharray:5 5,color:{UNREACHABLE_COLOUR}")
    lines.append("  classDef start stroke-width:3px")
    lines.append(f"  class {_mermaid_id(story.start)} start")
    for scene in story.endings:
        lines.append(f"  class {_mermaid_id(scene.id)} {scene.ending.tone}")
    if unreachable:
        lines.append(f"  class {','.join(_mermaid_id(s) for s in story.scenes if s in unreachable)} unreachable")
    return "\n".join(lines) + "\n"


def _mermaid_node(scene: Scene, unreachable: bool) -> str:
    note = "\n(unreachable)" if unreachable else ""
    if scene.ending is not None:
        opening, closing = TONE_STYLES[scene.ending.tone].mermaid
        text = f"{scene.ending.title}\n{scene.ending.tone}{note}"
        return f'{_mermaid_id(scene.id)}{opening}"{_mermaid_text(text)}"{closing}'
    return f'{_mermaid_id(scene.id)}["{_mermaid_text(scene.id + note)}"]'


# --- DOT -------------------------------------------------------------------------------------------


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(story: Story, unreachable: set[str] | None = None, *, choice_text: bool = False) -> str:
    unreachable = unreachable or set()
    lines = [
        f"digraph {_dot_text(story.id)} {{",
        f"  label={_dot_text(story.title)}; labelloc=t; fontname=\"Helvetica\";",
        "  rankdir=TB;",
        "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];",
        "  edge [fontname=\"Helvetica\", fontsize=9];",
    ]
    for scene in story.scenes.values():
        attrs: dict[str, str] = {}
        gone = scene.id in unreachable
        if scene.ending is not None:
            style = TONE_STYLES[scene.ending.tone]
            attrs["label"] = _dot_text(f"{scene.ending.title}\n{scene.ending.tone}" + ("\n(unreachable)" if gone else ""))
            attrs["shape"] = style.dot_shape
            attrs["style"] = '"filled,dashed"' if gone else "filled"
            attrs["fillcolor"] = _dot_text(style.colour)
        else:
            attrs["label"] = _dot_text(scene.id + ("\n(unreachable)" if gone else ""))
            if gone:
                attrs["style"] = '"rounded,dashed"'
        if gone:
            attrs["color"] = attrs["fontcolor"] = _dot_text(UNREACHABLE_COLOUR)
        if scene.id == story.start:
            attrs["penwidth"] = "3"
        lines.append(f"  {_dot_text(scene.id)} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    for scene in story.scenes.values():
        for choice in scene.choices:
            attrs = {}
            label = _label(choice, choice_text)
            if label:
                attrs["label"] = _dot_text(label)
            if choice.condition is not None:
                attrs["style"] = "dashed"
            attrs["tooltip"] = _dot_text(f"{choice.id}: {_short(choice.text, 80)}")
            lines.append(f"  {_dot_text(scene.id)} -> {_dot_text(choice.goto)} "
                         f"[{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
        if scene.skip_route:
            lines.append(f"  {_dot_text(scene.id)} -> {_dot_text(scene.skip_route)} "
                         f"[style=dotted, arrowhead=odot, label=\"skip\", color=\"#777777\"];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg(dot_source: str, *, timeout: float = 60) -> str:
    """Render DOT to SVG with Graphviz; GraphvizMissing when `dot` is not installed."""
    program = shutil.which("dot")
    if program is None:
        raise GraphvizMissing(
            "SVG needs Graphviz's `dot` program, which is not installed here. Install Graphviz "
            "(e.g. `apt install graphviz`, `brew install graphviz`), or use --format dot and render it "
            "elsewhere, or --format mermaid to paste into GitHub Markdown.")
    done = subprocess.run([program, "-Tsvg"], input=dot_source, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.strip()}")
    return done.stdout
