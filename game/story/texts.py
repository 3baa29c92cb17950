"""Every text a player reads in a scene, and every condition those texts hold, for the tools.

The engine renders texts one at a time; the explorer and the checker need to walk them all:
which flags and meters a scene's text reads (so the explorer keeps them in its states), which
branches can show, which words appear where.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from game.story.conditions import Condition
from game.story.inline import branches_of
from game.story.model import Choice, Scene, Span, TextPart


@dataclass(frozen=True, slots=True)
class SceneText:
    """One list of texts in a scene: where it is (`text`, `choices.1.locked`…) and its parts."""

    key: str
    what: str  # for messages: "a paragraph of 'kitchen'", "the thought of 'kitchen'"
    parts: tuple[TextPart, ...]
    choice: Choice | None = None
    after_choice: bool = False  # a remember line: read after the choice's effects


@dataclass(frozen=True, slots=True)
class TextCondition:
    """A condition in a text: an item's `if:` or an inline `((if …))`."""

    key: str        # "text.2" for an item, "text.2.if.0" for the first inline if of that item
    condition: Condition
    span: Span
    what: str
    inline: bool
    has_else: bool  # an inline if with a second branch (which shows when the condition is false)
    after_choice: bool
    choice: Choice | None


def scene_texts(scene: Scene) -> Iterator[SceneText]:
    yield SceneText("text", f"a paragraph of '{scene.id}'", scene.text)
    if scene.thought is not None:
        yield SceneText("thought", f"the thought of '{scene.id}'", scene.thoughts)
    if scene.ending is not None:
        yield SceneText("ending.title", f"the ending title of '{scene.id}'", scene.ending.titles)
    for index, choice in enumerate(scene.choices):
        key = f"choices.{index}"
        yield SceneText(f"{key}.text", f"choice '{choice.id}'", choice.texts, choice)
        if choice.locked is not None:
            yield SceneText(f"{key}.locked", f"the locked reason of '{choice.id}'", choice.lockeds, choice)
        if choice.remember is not None:
            yield SceneText(f"{key}.remember", f"the remember line of '{choice.id}'", choice.remembers, choice, True)


def text_conditions(scene: Scene) -> Iterator[TextCondition]:
    """Every condition in the scene's texts (not the choices' own `if:`), in order."""
    for text in scene_texts(scene):
        for number, part in enumerate(text.parts):
            key = f"{text.key}.{number}"
            if part.condition is not None:
                yield TextCondition(key, part.condition, part.span, text.what, False, False, text.after_choice,
                                    text.choice)
            if part.tree:
                for count, node in enumerate(n for n in _forms(part.tree) if n[0] == "if"):
                    yield TextCondition(f"{key}.if.{count}", node[1], part.span, text.what, True, bool(node[3]),
                                        text.after_choice, text.choice)


def conditions_read(scene: Scene) -> list[Condition]:
    """Every condition the scene holds: its choices' and its texts'."""
    found = [c.condition for c in scene.choices if c.condition is not None]
    found += [t.condition for t in text_conditions(scene)]
    return found


def _forms(tree) -> Iterator[tuple]:
    for node in tree:
        if isinstance(node, tuple):
            yield node
            for branch in branches_of(node):
                yield from _forms(branch)


def watched_scenes(story) -> frozenset[str]:
    """The scenes whose visits something in the story reads: a condition's `visited(scene)` or
    `visits(scene)` (of a choice, a paragraph, or an inline `((if …))`), and every scene whose own
    text has a visit-based form (`first`, `seq`, `cycle`, `shuffle`). Kept on the story object
    (it never changes); a story from the compiled cache arrives with it, so finding it decodes
    no scene."""
    found = story.__dict__.get(WATCHED)
    if found is None:
        scenes: set[str] = set()
        for scene in story.scenes.values():
            for part, condition in _conditions_and_parts(scene):
                if condition is not None and "visit" in condition.source:  # visited() or visits()
                    scenes |= condition.names()[2]
                if part is not None and part.tree is not None and _tree_reads(part.tree, scenes):
                    scenes.add(scene.id)
        found = story.__dict__[WATCHED] = frozenset(scenes)
    return found


WATCHED = "_story_watched"  # where a story object keeps its watched scenes


def _conditions_and_parts(scene: Scene):
    """Every condition and every text part of a scene (format 1's plain texts have neither a
    condition nor a tree, and are left out)."""
    for choice in scene.choices:
        yield None, choice.condition
        for part in (*choice.text_parts, *choice.locked_parts, *choice.remember_parts):
            yield part, part.condition
    for part in (*scene.text, *scene.thought_parts):
        yield part, part.condition


def _tree_reads(tree: tuple, scenes: set[str]) -> bool:
    """Add the scenes an inline tree's conditions read to `scenes`; True when the tree has a form
    that depends on its own scene's visit count."""
    by_visit = False
    for node in tree:
        if isinstance(node, str):
            continue
        kind = node[0]
        if kind == "if":
            scenes |= node[1].names()[2]
            by_visit |= _tree_reads(node[2], scenes) | _tree_reads(node[3], scenes)
        elif kind == "first":
            by_visit = True
            _tree_reads(node[1], scenes), _tree_reads(node[2], scenes)
        elif kind in ("seq", "cycle", "shuffle"):
            by_visit = True
            for branch in node[1] if kind != "shuffle" else node[2]:
                _tree_reads(branch, scenes)
    return by_visit
