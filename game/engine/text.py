"""Rendering text for the player: a pure function of a text's tree and the state it is read in.

The trees come from `game.story.inline` (their layout is docs/compiled-format.md). Rendering
reads the state and never changes it: sequences, cycles and first-visit variants follow the
visits of the scene whose text is shown, and a shuffle is a seeded hash of the story, the scene,
the form's place and that visit count. So undo, saves, replays and the explorer all see the same
text for the same moves, and the web runtime can give the same text from the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping, Protocol

from game.story.inline import tidy
from game.story.model import TextPart


class State(Protocol):
    meters: Mapping[str, int]
    flags: set[str] | frozenset[str]
    visits: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Context:
    """Where a text is read: the state, the story, and the scene the text belongs to."""

    state: State
    story_id: str
    scene_id: str

    @property
    def visit(self) -> int:
        return max(1, self.state.visits.get(self.scene_id, 0))


def fnv1a_32(data: bytes) -> int:
    h = 2166136261
    for byte in data:
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


@lru_cache(maxsize=4096)
def shuffle_index(story_id: str, scene_id: str, key: str, visit: int, branches: int) -> int:
    """Which branch a shuffle shows: a pure function of its place and the visit (so cached: the
    hash is a byte loop in Python)."""
    seed = f"{story_id}\x1f{scene_id}\x1f{key}\x1f{visit}".encode("utf-8")
    return fnv1a_32(seed) % branches


def render(part: TextPart, context: Context) -> str:
    """One item's text (its condition is the caller's business)."""
    tree = part.tree
    if tree is None:
        return part.text
    if len(tree) == 1 and isinstance(tree[0], str):
        return tree[0]
    out: list[str] = []
    _walk(tree, context, out)
    text = "".join(out)
    return tidy(text) if "  " in text or "\n" in text or text[:1] == " " or text[-1:] == " " else text


def _walk(tree: tuple, context: Context, out: list[str]) -> None:
    for node in tree:
        if isinstance(node, str):
            out.append(node)
            continue
        kind = node[0]
        if kind == "meter":
            out.append(str(context.state.meters[node[1]]))
        elif kind == "if":
            _walk(node[2] if node[1](context.state) else node[3], context, out)
        elif kind == "first":
            _walk(node[1] if context.visit == 1 else node[2], context, out)
        elif kind == "seq":
            branches = node[1]
            _walk(branches[min(context.visit, len(branches)) - 1], context, out)
        elif kind == "cycle":
            branches = node[1]
            _walk(branches[(context.visit - 1) % len(branches)], context, out)
        elif kind == "shuffle":
            branches = node[2]
            index = shuffle_index(context.story_id, context.scene_id, node[1], context.visit, len(branches))
            _walk(branches[index], context, out)


def shown(parts: Iterable[TextPart], context: Context) -> list[str]:
    """The rendered items whose condition holds, empty renderings left out."""
    state = context.state
    out = []
    for part in parts:
        if part.condition is None or part.condition(state):
            text = render(part, context)
            if text:
                out.append(text)
    return out


def paragraphs(parts: Iterable[TextPart], context: Context) -> list[str]:
    return shown(parts, context)


def lines(parts: Iterable[TextPart], context: Context) -> str | None:
    """A thought: one line per shown item; None when nothing shows."""
    found = shown(parts, context)
    return "\n".join(found) if found else None


def joined(parts: Iterable[TextPart], context: Context) -> str:
    """A choice's text, a locked reason, a remember line or an ending title: items joined by a space."""
    return " ".join(shown(parts, context))


def reads(parts: Iterable[TextPart], scene_id: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Everything rendering `parts` in `scene_id` reads of a state: the meters, the flags and the
    scenes' visit counts (its own, for `first`, `seq`, `cycle` and `shuffle`), each sorted. Two
    states that agree on these render the parts alike."""
    meters: set[str] = set()
    flags: set[str] = set()
    scenes: set[str] = set()

    def condition(c) -> None:
        if c is not None:
            m, f, v = c.names()
            meters.update(m), flags.update(f), scenes.update(v)

    def walk(tree) -> None:
        for node in tree:
            if isinstance(node, str):
                continue
            kind = node[0]
            if kind == "meter":
                meters.add(node[1])
            elif kind == "if":
                condition(node[1])
                walk(node[2]), walk(node[3])
            elif kind == "first":
                scenes.add(scene_id)
                walk(node[1]), walk(node[2])
            elif kind in ("seq", "cycle"):
                scenes.add(scene_id)
                for branch in node[1]:
                    walk(branch)
            elif kind == "shuffle":
                scenes.add(scene_id)
                for branch in node[2]:
                    walk(branch)
            else:
                raise ValueError(f"unknown text form {kind!r}")

    for part in parts:
        condition(part.condition)
        if part.tree is not None:
            walk(part.tree)
    return tuple(sorted(meters)), tuple(sorted(flags)), tuple(sorted(scenes))
