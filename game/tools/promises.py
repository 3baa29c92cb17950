"""Promises not kept: a `remember` line ("Maya will remember that") whose choice leaves nothing
that anything later reads. The consequence never comes back.

A choice keeps its promise when a flag it sets is read by a condition (a choice's `if:`, a
conditional text, an inline ((if …))) in a scene that can follow it, or when a later condition
tests visited()/visits() of a scene only this choice leads to. Meters are shared by many choices,
so a later test of a meter is not this choice coming back.
"""

from __future__ import annotations

from collections import deque

from game.story.errors import StoryError
from game.story.model import Choice, Story
from game.story.texts import conditions_read
from game.tools.source import Sources


def _reads(story: Story) -> dict[str, tuple[set[str], set[str]]]:
    out = {}
    for scene in story.scenes.values():
        flags: set[str] = set()
        scenes: set[str] = set()
        for condition in conditions_read(scene):
            _, f, s = condition.names()
            flags |= f
            scenes |= s
        out[scene.id] = (flags, scenes)
    return out


def _after(story: Story, start: str) -> set[str]:
    """Scenes that can follow entering `start`, `start` included (guards ignored)."""
    seen = {start}
    queue = deque([start])
    while queue:
        scene = story.scenes[queue.popleft()]
        nexts = [c.goto for c in scene.choices] + ([scene.skip_route] if scene.skip_route else [])
        for goto in nexts:
            if goto not in seen:
                seen.add(goto)
                queue.append(goto)
    return seen


def unkept_promises(story: Story, taken: set[str], sources: Sources) -> list[StoryError]:
    reads = _reads(story)
    entries: dict[str, int] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            entries[choice.goto] = entries.get(choice.goto, 0) + 1
        if scene.skip_route:
            entries[scene.skip_route] = entries.get(scene.skip_route, 0) + 1
    out = []
    after_cache: dict[str, set[str]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.remember is None or choice.id not in taken:
                continue
            later = after_cache.get(choice.goto)
            if later is None:
                later = after_cache[choice.goto] = _after(story, choice.goto)
            if _kept(choice, later, reads, entries, story):
                continue
            span = _span(story, choice, sources)
            sets = ", ".join(choice.effects.set)
            why = f"it sets {sets}, which nothing after it reads" if sets else "it sets no flag"
            out.append(StoryError(
                story.file_of(scene), span.line, span.col,
                f"promise not kept: the remember line of '{choice.id}' never comes back ({why})",
                f"set a flag here ('effects: {{set: [...]}}') and vary a later scene on it (a paragraph with "
                f"'if:', an ((if …)), a choice's 'if:'), or drop the remember line; "
                f"'# check: ignore promise' keeps it as it is", "warning", "promise-not-kept"))
    return out


def _kept(choice: Choice, later: set[str], reads, entries, story: Story) -> bool:
    flags = set(choice.effects.set)
    lone = entries.get(choice.goto, 0) == 1 and choice.goto != story.start
    for sid in later:
        read_flags, read_scenes = reads[sid]
        if flags & read_flags:
            return True
        if lone and choice.goto in read_scenes:
            return True
    return False


def _span(story: Story, choice: Choice, sources: Sources):
    if story.format >= 2 and choice.remember_parts:
        return choice.remember_parts[0].span
    source = sources.get(story.file_of(story.scenes[choice.scene]))
    return source.find_key("remember", choice.span) or choice.span
