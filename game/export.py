"""Markdown exports of a playthrough: the journal, and the end-of-story summary.

UI-free, so the Textual player, the plain player and classroom mode can all write the same
files. Everything here reads the engine's public API only.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from game.engine import STEPPED_AWAY, Game, journal
from game.story.names import place_name_of

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[int], low: int, high: int) -> str:
    """Values as a row of block characters scaled between `low` and `high` (no colour needed)."""
    span = max(high - low, 1)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[round((min(max(v, low), high) - low) * top / span)] for v in values)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def journal_markdown(game: Game) -> str:
    """The story so far: each scene as it read, the inner voice, and what the player did."""
    story = game.story
    out = [f"# {story.title}: journal", "", f"*You played {story.perspective}.*", ""]
    for number, entry in enumerate(journal(game), 1):
        out += [f"## {number}. {place_name_of(story, entry.scene)}", ""]
        for paragraph in entry.paragraphs:
            out += [paragraph, ""]
        if entry.thought:
            out += [_quote(f"*Inner voice: {entry.thought}*"), ""]
        step = entry.step
        if step is None:
            out += ["*You are here.*" if not game.is_over else "*The end.*", ""]
        elif step.kind == "skip":
            out += ["**You skipped this scene.**", ""]
        else:
            out += [f"**You chose:** {step.choice_text}", ""]
            if step.remembered:
                out += [f"*{step.remembered}*", ""]
    return "\n".join(out).rstrip() + "\n"


def summary_markdown(game: Game) -> str:
    """The ending screen as a document: ending, what was remembered, meters, the unsaid, debrief."""
    story = game.story
    ending = game.ending
    out = [f"# {story.title}", "", f"*You played {story.perspective}.*", ""]
    if ending is not None:
        out += [f"## Ending: {ending.title}", "", f"Tone: {ending.tone}.", ""]
    out += ["## The choices you made", ""]
    for number, step in enumerate(game.history, 1):
        did = "skipped this scene" if step.kind == "skip" else step.choice_text
        out.append(f"{number}. {did}")
    if not game.history:
        out.append("(none yet)")
    out.append("")
    if game.remembered:
        out += ["## What was remembered", ""] + [f"- {line}" for line in game.remembered] + [""]
    history = game.meter_history()
    shown = [m for m in story.meters.values() if not m.hidden]
    if shown:
        out += ["## How things moved", ""]
        for meter in shown:
            values = history[meter.name]
            label = meter.label or meter.name.capitalize()
            out.append(f"- {label}: {values[0]} → {values[-1]} `{sparkline(values, meter.min, meter.max)}`")
        out.append("")
    locked = game.locked_met()
    if locked:
        out += ["## What you couldn't say", ""]
        out += [f"- \"{lock.text}\" ({place_name_of(story, lock.scene)}): {lock.reason}" for lock in locked] + [""]
    if story.debrief:
        out += ["## Questions to sit with", ""]
        out += [f"{n}. {q}" for n, q in enumerate(story.debrief, 1)] + [""]
    if ending is STEPPED_AWAY or (ending is not None and ending.support):
        from game.support import support_text

        out += ["## If you want to talk to someone", "", support_text(), ""]
    return "\n".join(out).rstrip() + "\n"


def export_path(directory: Path, story_id: str, kind: str, now: datetime | None = None) -> Path:
    """A new file name like `demo-journal-2026-11-22-1403.md` that does not overwrite another."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{story_id}-{kind}-{stamp}")
    path = directory / f"{stem}.md"
    n = 2
    while path.exists():
        path = directory / f"{stem}-{n}.md"
        n += 1
    return path


def write_markdown(text: str, directory: str | Path, story_id: str, kind: str) -> Path:
    """Write an export atomically into `directory` (created if needed); returns where it went."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = export_path(directory, story_id, kind)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".export.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
