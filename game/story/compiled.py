"""The compiled form of a story: plain JSON data that rebuilds the model without re-validating.

Like ink's compiled JSON, it is what the runtime walks when the source has not changed. The
cache (see `cache.py`) stores it keyed by the hash of the source and the compiler version.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from types import MappingProxyType

from game.story import inline
from game.story.conditions import Condition
from game.story.model import NO_EFFECTS, Choice, Effects, Ending, Meter, MeterChange, Scene, Span, Story, TextPart
from game.story.texts import WATCHED

# The layout is written down in docs/compiled-format.md; change both together.
COMPILED_VERSION = 2


def _cond(c: Condition | None):
    return None if c is None else [c.source, c.to_data()]


def _uncond(data) -> Condition | None:
    return None if data is None else Condition.from_compiled(str(data[0]), data[1])


def _effects(e: Effects):
    if not e:
        return None
    return [[[m.meter, m.op, m.amount, m.span.line, m.span.col] for m in e.meters], list(e.set), list(e.clear),
            e.span.line, e.span.col]


def _uneffects(data) -> Effects:
    if data is None:
        return NO_EFFECTS
    meters, set_, clear, line, col = data
    return Effects(tuple(MeterChange(m, op, amount, Span(ml, mc)) for m, op, amount, ml, mc in meters),
                   tuple(set_), tuple(clear), Span(line, col))


def _parts(parts: tuple[TextPart, ...]) -> list:
    """A text list: `[source, condition, line, col, tree]` per item (see docs/compiled-format.md)."""
    return [[p.text, _cond(p.condition), p.span.line, p.span.col, inline.to_data(p.tree, p.text)] for p in parts]


def _unparts(data) -> tuple[TextPart, ...]:
    return tuple(TextPart(t[0], _uncond(t[1]), Span(t[2], t[3]), inline.from_data(t[4], t[0])) for t in data)


def _first(parts: tuple[TextPart, ...]) -> str | None:
    return parts[0].text if parts else None


def to_data(story: Story) -> dict:
    scenes = []
    for s in story.scenes.values():
        scenes.append({
            "id": s.id,
            "title": s.title,
            "file": s.file,
            "text": _parts(s.text),
            "thought": _parts(s.thoughts) if s.thought is not None else None,
            "on_enter": _effects(s.on_enter),
            "skip_to": s.skip_to,
            "ending": None if s.ending is None else [_parts(s.ending.titles), s.ending.tone, s.ending.support],
            "span": [s.span.line, s.span.col],
            "choices": [
                [c.id, _parts(c.texts), c.goto, _cond(c.condition), _parts(c.lockeds) if c.locked else None,
                 list(c.tags), _effects(c.effects), _parts(c.remembers) if c.remember else None,
                 c.span.line, c.span.col, c.skip]
                for c in s.choices
            ],
        })
    return {
        "compiled": COMPILED_VERSION,
        "format": story.format, "id": story.id, "title": story.title, "summary": story.summary,
        "perspective": story.perspective, "start": story.start, "flags": list(story.flags),
        "content_notes": list(story.content_notes), "minutes": story.minutes, "debrief": list(story.debrief),
        "content_hash": story.content_hash,
        "includes": [list(i) for i in story.includes],
        "meters": [[m.name, m.start, m.min, m.max, m.label, m.hidden, m.span.line, m.span.col, m.description]
                   for m in story.meters.values()],
        "scenes": scenes,
    }


def _choice(c: list, i: int, sid: str) -> Choice:
    texts = _unparts(c[1])
    locked = _unparts(c[4]) if c[4] is not None else ()
    remember = _unparts(c[7]) if c[7] is not None else ()
    span = Span(c[8], c[9])
    return Choice(c[0], i, sid, _first(texts), c[2], _uncond(c[3]), _first(locked), tuple(c[5]), _uneffects(c[6]),
                  _first(remember), span, texts, locked, remember, bool(c[10]))


def _scene(s: dict) -> Scene:
    sid = s["id"]
    choices = tuple(_choice(c, i, sid) for i, c in enumerate(s["choices"]))
    ending = None
    if s["ending"] is not None:
        titles, tone, support = s["ending"]
        titles = _unparts(titles)
        ending = Ending(inline.sample(titles[0].tree, titles[0].text), tone, support, titles)
    thoughts = _unparts(s["thought"]) if s["thought"] is not None else ()
    return Scene(
        sid, _unparts(s["text"]), _first(thoughts), _uneffects(s["on_enter"]), choices, ending, s["skip_to"],
        Span(*s["span"]), s["title"], thoughts, s["file"],
    )


def _decoded_scenes(raw: list[dict] | dict[str, dict | bytes]) -> dict[str, Scene]:
    """Every scene decoded now, at load: `raw` is compiled scenes as a list of dicts, or by id as
    dicts or JSON text. A bad field fails here, where the cache can rebuild the story from its
    source, never later in a game."""
    items = raw.items() if isinstance(raw, dict) else ((s["id"], s) for s in raw)
    scenes: dict[str, Scene] = {}
    for scene_id, body in items:
        scene = _scene(json.loads(body) if isinstance(body, (bytes, str)) else body)
        if scene.id != scene_id:
            raise ValueError("compiled scene filed under another id")
        scenes[scene_id] = scene
    return scenes


def _scene_checker(story: Story):
    """What a game would trip over later in one scene, for checking it as it is decoded: every
    goto and skip_to names a scene, every effect a meter, every condition compiles and names what
    the story declares."""
    scenes, meters, flags = story.scenes, story.meters, set(story.flags)

    def condition_ok(condition) -> None:
        if condition is None:
            return
        condition.test  # noqa: B018 - compiles now (raises on a bad tree)
        names = condition.names()
        if not (names[0] <= meters.keys() and names[1] <= flags and all(s in scenes for s in names[2])):
            raise ValueError("compiled condition names something the story does not declare")

    def effects_ok(effects: Effects) -> None:
        if any(change.meter not in meters or change.op not in "+=" or not isinstance(change.amount, int)
               for change in effects.meters):
            raise ValueError("compiled effect on a meter the story does not declare")

    def tree_ok(tree) -> None:
        for node in tree or ():
            if isinstance(node, str):
                continue
            kind = node[0]
            if kind == "meter" and node[1] not in meters:
                raise ValueError("compiled text prints a meter the story does not declare")
            if kind == "if":
                condition_ok(node[1])
                tree_ok(node[2]), tree_ok(node[3])
            elif kind == "first":
                tree_ok(node[1]), tree_ok(node[2])
            elif kind in ("seq", "cycle", "shuffle"):
                for branch in node[1] if kind != "shuffle" else node[2]:
                    tree_ok(branch)

    def parts_ok(parts) -> None:
        for part in parts:
            condition_ok(part.condition)
            tree_ok(part.tree)

    def check(scene: Scene) -> None:
        if scene.skip_to is not None and scene.skip_to not in scenes:
            raise ValueError("compiled skip_to to a missing scene")
        effects_ok(scene.on_enter)
        parts_ok(scene.text), parts_ok(scene.thoughts)
        if scene.ending is not None:
            parts_ok(scene.ending.titles)
        for choice in scene.choices:
            if choice.goto not in scenes or not isinstance(choice.text, str):
                raise ValueError("compiled choice to a missing scene")
            condition_ok(choice.condition)
            effects_ok(choice.effects)
            parts_ok(choice.texts), parts_ok(choice.lockeds), parts_ok(choice.remembers)

    return check


def _check(story: Story) -> None:
    """Every scene checked now (see `_scene_checker`)."""
    check = _scene_checker(story)
    for scene in story.scenes.values():
        check(scene)


class LazyScenes(Mapping):
    """A compiled story's scenes by id, each decoded (and checked, as `_check` does) the first
    time it is looked up: a game of a 2,000-scene story decodes the scenes it reaches, and a tool
    that walks them all decodes them all. The bytes are the compiled cache's entry's; a scene's
    CRC-32 (in the entry's header, whose checksum was verified as it was read) is checked first. Should a scene still not decode or check, every scene not yet
    decoded is taken from `rebuild()` (the story compiled again from its source, which the cache
    entry was made from; the scenes already decoded were checked, and stay the objects a game
    holds), so a bad entry never fails in the middle of a game."""

    def __init__(self, raw: dict[str, tuple[int, int, int]], rebuild, data: bytes = b""):
        self._raw = raw    # id -> (start, end, CRC-32) of its JSON in `data`
        self._data = data
        self._done: dict[str, Scene] = {}
        self._rebuild = rebuild
        self._check = None  # set once the story exists (checks read its meters, flags and ids)

    def __getitem__(self, scene_id: str) -> Scene:
        found = self._done.get(scene_id)
        if found is not None:
            return found
        start, end, crc = self._raw[scene_id]  # KeyError for a scene the story does not have, as a dict
        try:
            body = self._data[start:end]
            if zlib.crc32(body) != crc:
                raise ValueError("compiled scene damaged")
            scene = _scene(json.loads(body))
            if scene.id != scene_id:
                raise ValueError("compiled scene filed under another id")
            self._check(scene)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
            for rebuilt_id, rebuilt in self._rebuild().items():
                self._done.setdefault(rebuilt_id, rebuilt)  # scenes already handed out stay the same objects
            self._raw = {sid: (0, 0, 0) for sid in self._raw}  # (the order of the ids is kept)
            self._data = b""
            return self._done[scene_id]
        self._done[scene_id] = scene
        return scene

    def __iter__(self):
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._raw

    def ids(self):
        """The scene ids, as a set-like view."""
        return self._raw.keys()


def from_data(data: dict, path: str, rebuild=None, raw: bytes = b"") -> Story:
    """Rebuild a Story; raises KeyError/TypeError/ValueError on data that is not a compiled story.

    With `rebuild` (the cache's way: scenes by id as (start, end, CRC-32) of their JSON in `raw`,
    the entry's bytes, and a function that compiles the story from its source), scenes are decoded as they are first looked up (`LazyScenes`), and a
    `watched` list in the data is taken as the story's watched scenes; without it, every scene is
    decoded and checked now."""
    if data.get("compiled") != COMPILED_VERSION:
        raise ValueError("compiled form of another version")
    meters = {m[0]: Meter(m[0], m[1], m[2], m[3], m[4], m[5], Span(m[6], m[7]), m[8]) for m in data["meters"]}
    lazy = rebuild is not None
    scenes = LazyScenes(dict(data["scenes"]), rebuild, raw) if lazy else _decoded_scenes(data["scenes"])
    if data["start"] not in scenes:
        raise ValueError("compiled story without its start scene")
    story = Story(
        format=data["format"], id=data["id"], title=data["title"], summary=data["summary"],
        perspective=data["perspective"], start=data["start"], scenes=scenes if lazy else MappingProxyType(scenes),
        meters=MappingProxyType(meters), flags=tuple(data["flags"]), content_notes=tuple(data["content_notes"]),
        minutes=data["minutes"], debrief=tuple(data["debrief"]), path=path, content_hash=data["content_hash"],
        includes=tuple((str(name), str(digest)) for name, digest in data["includes"]),
    )
    if not lazy:
        _check(story)
        return story
    for meter in meters.values():
        if not (isinstance(meter.min, int) and isinstance(meter.max, int) and meter.min <= meter.start <= meter.max):
            raise ValueError("compiled meter out of its range")
    scenes._check = _scene_checker(story)
    watched = data.get("watched")
    if watched is not None:
        # (a set against the ids at once: a varied story watches every scene; a name that is not a
        # string is never among the ids, and one that cannot be hashed raises TypeError)
        watched = frozenset(watched) if isinstance(watched, list) else None
        if watched is None or not watched <= scenes.ids():
            raise ValueError("compiled watched scenes the story does not have")
        story.__dict__[WATCHED] = watched
    return story
