"""The imported story written out as format-2 YAML, with comments where Twine code was left out."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from game.tools.twine.endings import MAX_CHOICES
from game.tools.twine.scene import Choose, Meter, Scene, Segment, wrap
from game.tools.twine.variables import Registry


def quote(text: str) -> str:
    return yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=1_000_000).strip() \
        .removesuffix("...").strip()


def comment(text: str) -> str:
    return " ".join(str(text).split())


def escape(text: str, in_form: bool) -> str:
    """Twine text as literal text of format 2: backslashes and '((' (and in a form '(', ')', '|')
    written so that they show as themselves."""
    text = text.replace("\\", "\\\\")
    if in_form:
        return re.sub(r"([()|])", r"\\\1", text)
    return text.replace("((", "\\(\\(").replace("))", "\\)\\)")


def condition(cond: tuple[str, ...]) -> str:
    return " and ".join(wrap(c) for c in cond)


def _merged(paragraph: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for segment in paragraph:
        if out and out[-1].cond == segment.cond and isinstance(segment.piece, str) and \
                isinstance(out[-1].piece, str):
            out[-1] = Segment(segment.cond, out[-1].piece + segment.piece)
        else:
            out.append(segment)
    return out


def _piece(piece, in_form: bool, registry: Registry) -> str:
    if isinstance(piece, Meter):
        return f"(({piece.name}))"
    if isinstance(piece, Choose):
        values = registry.vars[piece.raw].texts
        return "".join(f"((if {flag}: {escape(value, True)}))" for value, flag in values.items())
    return escape(piece, in_form)


def _render(segments: list[Segment], outer: tuple[str, ...], registry: Registry) -> str:
    """Segments as one text, inside a paragraph whose own condition is `outer`."""
    parts = []
    for segment in segments:
        extra = segment.cond[len(outer):]
        piece = _piece(segment.piece, bool(extra), registry)
        if extra and piece.strip():
            lead, trail = piece[:len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()):]
            word = re.search(r"[\w’'-]+$", parts[-1]) if lead and parts else None
            if word:
                # A branch loses its leading space (the format trims it), so "looted[ and hurt]" keeps
                # the word before it in both branches: "((if c: looted and hurt | looted))".
                parts[-1] = parts[-1][:word.start()]
                piece = f"((if {condition(extra)}: {word.group(0)} {piece.strip()} | {word.group(0)}))"
            else:
                piece = f"{' ' if lead else ''}((if {condition(extra)}: {piece.strip()}))"
            piece += " " if trail else ""
        parts.append(piece)
    return " ".join("".join(parts).split())


def paragraph_items(paragraph: list[Segment], registry: Registry) -> tuple[str, tuple[str, ...]]:
    """(text, condition of the whole paragraph): the condition every segment shares goes on the
    paragraph (`if:`), the rest become inline `((if …))` forms."""
    segments = _merged(paragraph)
    shown = [s for s in segments if not isinstance(s.piece, str) or s.piece.strip()]
    shared: tuple[str, ...] = ()
    if shown:
        first = shown[0].cond
        n = 0
        while n < len(first) and all(len(s.cond) > n and s.cond[n] == first[n] for s in shown):
            n += 1
        shared = first[:n]
    return _render([s for s in segments if s.cond[:len(shared)] == shared], shared, registry), shared


def effects_yaml(effects: dict, registry: Registry) -> str | None:
    parts, set_, clear = [], [], []
    for raw, effect in effects.items():
        var = registry.vars.get(raw)
        if var is None or not var.name:
            continue
        if var.kind == "meter" and isinstance(effect, tuple):
            op, amount = effect
            parts.append(f"{var.name}: {'=' if op == '=' else '+' if amount >= 0 else '-'}{abs(amount)}")
        elif var.kind == "flag" and isinstance(effect, bool):
            (set_ if effect else clear).append(var.name)
        elif var.kind == "string" and isinstance(effect, tuple) and effect[0] == "text":
            for value, flag in var.texts.items():
                (set_ if value == effect[1] else clear).append(flag)
    if set_:
        parts.append(f"set: [{', '.join(set_)}]")
    if clear:
        parts.append(f"clear: [{', '.join(clear)}]")
    return "{" + ", ".join(parts) + "}" if parts else None


def write(*, title: str, story_id: str, data: dict, scenes: dict[str, Scene], start: str, registry: Registry,
          meters: list[dict], flags: list[dict], source_name: str, schema: str | None,
          scripts: list) -> str:
    lines = []
    if schema:
        lines.append(f"# yaml-language-server: $schema={schema}")
    about = ", ".join(str(x) for x in (data.get("format"), data.get("formatversion")) if x)
    lines += [f"# Imported from Twine by `understood import {Path(source_name).name}`"
              + (f" (story format: {about})" if about else "") + ".",
              "# Comments starting 'untranslated' hold Twine code this format cannot express; the import",
              "# report lists each kind. Run `understood check` on this file, then play it."]
    if data.get("ifid"):
        lines.append(f"# Twine IFID: {comment(data['ifid'])}")
    lines += ["format: 2", f"id: {story_id}", f"title: {quote(title)}",
              "summary: A story imported from Twine.   # TODO: one or two sentences for the title screen",
              "perspective: The player                  # TODO: who the player is, e.g. 'Sam, 34'"]
    if meters:
        lines.append("meters:")
        for meter in meters:
            lines.append(f"  {meter['name']}: {{start: {meter['start']}, min: {meter['min']}, max: {meter['max']}}}"
                         f"   # {comment(meter['raw'])}")
    if flags:
        lines.append(f"flags: [{', '.join(f['name'] for f in flags)}]")
    lines.append(f"start: {scenes[start].id}")
    lines.append("scenes:")
    for scene in scenes.values():
        lines += _scene(scene, scenes, registry)
    if scripts:
        lines.append("# Story JavaScript from the Twine file, kept for reference (it does not run here):")
        for passage in scripts:
            lines.append(f"#   :: {comment(passage.name)} (line {passage.line})")
            for _, code in passage.lines:
                lines.append(f"#   {comment(code)}".rstrip())
    return "\n".join(lines) + "\n"


def _scene(scene: Scene, scenes: dict[str, Scene], registry: Registry) -> list[str]:
    passage = scene.passage
    where = f"missing passage '{passage.name}'" if scene.placeholder else \
        f"passage '{passage.name}', line {passage.line}"
    lines = [f"  {scene.id}:{' ' * max(1, 28 - len(scene.id))}# {comment(where)}"]
    for note in scene.comments:
        lines.append(f"    # untranslated, {comment(note)}")
    lines.append(f"    title: {quote(scene.title or passage.name)}")
    effects = effects_yaml(scene.entry, registry)
    if effects:
        lines.append(f"    on_enter: {effects}")
    lines.append("    text:")
    items = [paragraph_items(p, registry) for p in scene.paragraphs]
    items = [(text, cond) for text, cond in items if text]
    if not items or all(cond for _, cond in items):
        items.insert(0, (escape(scene.title or passage.name, False), ()))   # a text that always shows something
    for text, cond in items:
        if cond:
            lines.append(f"      - if: {quote(condition(cond))}")
            lines.append(f"        text: {quote(text)}")
        else:
            lines.append(f"      - {quote(text)}")
    choices = scene.choices[:MAX_CHOICES]
    if not choices:
        title = "Missing: " + passage.name if scene.placeholder else passage.name
        lines.append("    ending:")
        lines.append(f"      title: {quote(escape(title, False))}")
        lines.append("      tone: unresolved   # TODO: choose the tone")
        return lines
    skip = next((c for c in choices if not c.cond and c.target != passage.name), None) or \
        next((c for c in choices if c.target != passage.name), None)
    if skip is not None:
        lines.append(f"    skip_to: {scenes[skip.target].id}   # TODO: check where 'skip this scene' leads")
    lines.append("    choices:")
    for choice in choices:
        lines.append(f"      - text: {quote(escape(choice.text, False))}")
        if choice.cond:
            lines.append(f"        if: {quote(condition(choice.cond))}")
        choice_effects = effects_yaml(choice.effects, registry)
        if choice_effects:
            lines.append(f"        effects: {choice_effects}")
        lines.append(f"        goto: {scenes[choice.target].id}")
    for choice in scene.choices[MAX_CHOICES:]:
        lines.append(f"      # untranslated, line {choice.line}: a 10th+ link: {comment(choice.text)} -> "
                     f"{scenes[choice.target].id}")
    return lines
