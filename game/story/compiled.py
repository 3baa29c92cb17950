"""The compiled form of a story: plain JSON data that rebuilds the model without re-validating.

Like ink's compiled JSON, it is what the runtime walks when the source has not changed. The
cache (see `cache.py`) stores it keyed by the hash of the source and the compiler version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from game.story.conditions import Condition
from game.story.model import NO_EFFECTS, Choice, Effects, Ending, Meter, MeterChange, Scene, Span, Story, TextPart

COMPILED_VERSION = 1


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


def to_data(story: Story) -> dict:
    scenes = []
    for s in story.scenes.values():
        scenes.append({
            "id": s.id,
            "text": [[p.text, _cond(p.condition), p.span.line, p.span.col] for p in s.text],
            "thought": s.thought,
            "on_enter": _effects(s.on_enter),
            "skip_to": s.skip_to,
            "ending": None if s.ending is None else [s.ending.title, s.ending.tone, s.ending.support],
            "span": [s.span.line, s.span.col],
            "choices": [
                [c.id, c.text, c.goto, _cond(c.condition), c.locked, list(c.tags), _effects(c.effects), c.remember,
                 c.span.line, c.span.col]
                for c in s.choices
            ],
        })
    return {
        "compiled": COMPILED_VERSION,
        "format": story.format, "id": story.id, "title": story.title, "summary": story.summary,
        "perspective": story.perspective, "start": story.start, "flags": list(story.flags),
        "content_notes": list(story.content_notes), "minutes": story.minutes, "debrief": list(story.debrief),
        "content_hash": story.content_hash,
        "meters": [[m.name, m.start, m.min, m.max, m.label, m.hidden, m.span.line, m.span.col]
                   for m in story.meters.values()],
        "scenes": scenes,
    }


def _scene(s: dict) -> Scene:
    sid = s["id"]
    choices = tuple(
        Choice(c[0], i, sid, c[1], c[2], _uncond(c[3]), c[4], tuple(c[5]), _uneffects(c[6]), c[7], Span(c[8], c[9]))
        for i, c in enumerate(s["choices"])
    )
    ending = None if s["ending"] is None else Ending(*s["ending"])
    return Scene(
        sid,
        tuple(TextPart(t[0], _uncond(t[1]), Span(t[2], t[3])) for t in s["text"]),
        s["thought"], _uneffects(s["on_enter"]), choices, ending, s["skip_to"], Span(*s["span"]),
    )


class LazyScenes(Mapping):
    """The scenes of a story rebuilt from the cache, each built the first time it is read.

    A game touches a few dozen scenes of a story that may have thousands; tools that walk every
    scene build them all, once. The compiled data is checksummed by the cache before it gets here.
    """

    __slots__ = ("_raw", "_built")

    def __init__(self, raw: list[dict] | dict[str, dict | bytes]):
        """`raw`: compiled scenes as a list of dicts, or by id as dicts or JSON text."""
        self._raw = raw if isinstance(raw, dict) else {s["id"]: s for s in raw}
        self._built: dict[str, Scene] = {}

    def __getitem__(self, scene_id: str) -> Scene:
        scene = self._built.get(scene_id)
        if scene is None:
            raw = self._raw[scene_id]
            scene = _scene(json.loads(raw) if isinstance(raw, (bytes, str)) else raw)
            self._built[scene_id] = scene
        return scene

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def from_data(data: dict, path: str) -> Story:
    """Rebuild a Story; raises KeyError/TypeError/ValueError on data that is not a compiled story."""
    if data.get("compiled") != COMPILED_VERSION:
        raise ValueError("compiled form of another version")
    meters = {m[0]: Meter(m[0], m[1], m[2], m[3], m[4], m[5], Span(m[6], m[7])) for m in data["meters"]}
    scenes = LazyScenes(data["scenes"])
    if data["start"] not in scenes:
        raise ValueError("compiled story without its start scene")
    return Story(
        format=data["format"], id=data["id"], title=data["title"], summary=data["summary"],
        perspective=data["perspective"], start=data["start"], scenes=MappingProxyType(scenes),
        meters=MappingProxyType(meters), flags=tuple(data["flags"]), content_notes=tuple(data["content_notes"]),
        minutes=data["minutes"], debrief=tuple(data["debrief"]), path=path, content_hash=data["content_hash"],
    )
