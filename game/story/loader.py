"""YAML nodes → a validated, frozen Story, collecting every error with its place and a hint."""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path
from types import MappingProxyType

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.safe_text import describe, find_unsafe
from game.story import conditions
from game.story.conditions import Condition, ConditionError
from game.story.errors import StoryError, StoryLoadError
from game.story.model import (
    NO_EFFECTS,
    TONES,
    Choice,
    Effects,
    Ending,
    Meter,
    MeterChange,
    Scene,
    Span,
    Story,
    TextPart,
)
from game.story.files import content_hash, decode, read_bytes
from game.story.source import compose

FORMAT_VERSION = 1
MAX_SCENES = 10_000
MAX_CHOICES = 9
MAX_ERRORS = 200
MAX_ALIAS_EXPANSION = 10_000
MAX_TEXT = 20_000

NAME = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")
CHOICE_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,99}\Z")
EFFECT = re.compile(r"\s*([+=-])\s*(\d{1,9})\s*\Z")
RESERVED = {"and", "or", "not", "visited", "set", "clear"}
SAFE_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "bool", "null", "float", "map", "seq", "timestamp")
}

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"

HEADER_KEYS = {
    "format": True, "id": True, "title": True, "summary": True, "perspective": True,
    "content_notes": False, "minutes": False, "meters": False, "flags": False,
    "start": True, "scenes": True, "debrief": False,
}
METER_KEYS = {"start": True, "min": False, "max": False, "label": False, "hidden": False}
SCENE_KEYS = {"text": True, "thought": False, "on_enter": False, "skip_to": False, "choices": False, "ending": False}
CHOICE_KEYS = {
    "text": True, "goto": True, "id": False, "if": False, "locked": False,
    "tags": False, "effects": False, "remember": False,
}
ENDING_KEYS = {"title": True, "tone": True, "support": False}
TEXT_ITEM_KEYS = {"if": True, "text": True}

_constructor = SafeConstructor()


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "nothing"
    if node.tag == INT:
        return "a number"
    if node.tag == BOOL:
        return "true/false"
    return "text"


def span(node: Node) -> Span:
    mark = node.start_mark
    return Span(mark.line + 1, mark.column + 1)


class _TooMany(Exception):
    pass


class Builder:
    """Walks the node tree once, building model objects and recording every problem."""

    def __init__(self, shown: str):
        self.path = shown
        self.errors: list[StoryError] = []
        self.meters: dict[str, Meter] = {}
        self.meter_names: set[str] = set()  # declared, valid or not: names resolve without cascades
        self.flags: set[str] = set()
        self.scene_names: dict[str, Node] = {}
        self.flags_declared = False

    # --- reporting ------------------------------------------------------------------------

    def error(self, node: Node | None, message: str, hint: str = "", code: str = "error",
              line: int | None = None, col: int | None = None) -> None:
        if node is not None and line is None:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
        self.errors.append(StoryError(self.path, line or 1, col or 1, message, hint, code=code))
        if len(self.errors) >= MAX_ERRORS:
            raise _TooMany()

    # --- typed readers ----------------------------------------------------------------------

    def check_tag(self, node: Node) -> bool:
        if node.tag not in SAFE_TAGS:
            self.error(node, f"YAML tag {node.tag!r} is not allowed in a story",
                       "story files are data: remove the '!' tag", code="unsafe-tag")
            return False
        return True

    def fields(self, node: Node, allowed: dict[str, bool], what: str) -> dict[str, tuple[Node, Node]] | None:
        """A mapping's entries by key, with unknown, duplicate and missing keys reported."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} should be a mapping of keys, not {_kind(node)}",
                       f"expected keys: {', '.join(allowed)}", code="type")
            return None
        if not self.check_tag(node):
            return None
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or not self.check_tag(key_node):
                self.error(key_node, f"keys in {what} must be plain words", code="type")
                continue
            key = key_node.value
            if key in found:
                self.error(key_node, f"duplicate key '{key}' in {what}",
                           "each key may appear once; the second would silently win", code="duplicate-key")
                continue
            if key not in allowed:
                close = get_close_matches(key, list(allowed), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(allowed)}"
                self.error(key_node, f"unknown key '{key}' in {what}", hint, code="unknown-key")
                continue
            found[key] = (key_node, value_node)
        for key, required in allowed.items():
            if required and key not in found:
                self.error(node, f"{what} is missing '{key}'", f"add '{key}:'", code="missing-key")
        return found

    def text(self, node: Node, what: str, *, allow_empty: bool = False) -> str | None:
        if not isinstance(node, ScalarNode) or not self.check_tag(node) or node.tag == NULL:
            self.error(node, f"{what} should be text, not {_kind(node)}", "write it as a string", code="type")
            return None
        value = node.value.strip()
        if not value and not allow_empty:
            self.error(node, f"{what} is empty", "write something, or remove the key", code="empty")
            return None
        if len(value) > MAX_TEXT:
            self.error(node, f"{what} is over {MAX_TEXT:,} characters", "split it into paragraphs", code="too-long")
            return None
        unsafe = find_unsafe(value)
        if unsafe is not None:  # a terminal would obey it (game/safe_text.py): never shown, reported here
            self.error(node, f"{what} holds a control character, {describe(unsafe[1])}, at character "
                             f"{unsafe[0] + 1}", "delete it; stories are plain text (escapes like \\e or \\x1b "
                             "in quoted strings make control characters too)", code="control-character")
            return None
        return value

    def integer(self, node: Node, what: str) -> int | None:
        if not isinstance(node, ScalarNode) or node.tag != INT:
            self.error(node, f"{what} should be a whole number, not {_kind(node)}", "e.g. 3", code="type")
            return None
        try:
            value = _constructor.construct_yaml_int(node)
        except (ValueError, yaml.YAMLError):
            self.error(node, f"{what} is not a whole number", "e.g. 3", code="type")
            return None
        if abs(value) > 1_000_000_000:
            self.error(node, f"{what} is too large", "keep numbers under a billion", code="type")
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        if not isinstance(node, ScalarNode) or node.tag != BOOL:
            self.error(node, f"{what} should be true or false, not {_kind(node)}", code="type")
            return None
        return _constructor.construct_yaml_bool(node)

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode) or not self.check_tag(node):
            self.error(node, f"{what} should be a list, not {_kind(node)}", "write it as [a, b] or '- a' lines",
                       code="type")
            return None
        return node.value

    def texts(self, node: Node, what: str) -> tuple[str, ...]:
        items = self.sequence(node, what)
        if items is None:
            return ()
        return tuple(t for t in (self.text(item, f"an item of {what}") for item in items) if t is not None)

    def name(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None:
            return None
        if not NAME.match(value) or value in RESERVED:
            self.error(node, f"{what} '{value}' is not a valid name",
                       "use lowercase letters, digits and '_', starting with a letter; not a reserved word",
                       code="name")
            return None
        return value

    # --- story parts ------------------------------------------------------------------------

    def condition(self, node: Node, what: str) -> Condition | None:
        source = self.text(node, what)
        if source is None:
            return None
        try:
            tree = conditions.resolve(conditions.parse(source), self.meter_names, self.flags, self.scene_names)
        except ConditionError as exc:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            single_line = node.start_mark.line == node.end_mark.line
            if single_line and node.style in (None, "", "'", '"'):
                raw = node.value
                lead = len(raw) - len(raw.lstrip())
                col += exc.offset + lead + (1 if node.style in ("'", '"') else 0)
            self.errors.append(StoryError(self.path, line, col, exc.message, exc.hint, code="condition"))
            if len(self.errors) >= MAX_ERRORS:
                raise _TooMany() from None
            return None
        return Condition.build(source, tree)

    def scene_ref(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None:
            return None
        if value not in self.scene_names:
            close = get_close_matches(value, list(self.scene_names), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "name a scene under 'scenes:'"
            self.error(node, f"{what} names a missing scene '{value}'", hint, code="missing-scene")
            return None
        return value

    def flag_list(self, node: Node, what: str) -> tuple[str, ...]:
        items = self.sequence(node, what)
        if items is None:
            return ()
        out = []
        for item in items:
            flag = self.text(item, f"a flag in {what}")
            if flag is None:
                continue
            if flag not in self.flags:
                close = get_close_matches(flag, list(self.flags), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "declare it under 'flags:'"
                self.error(item, f"undeclared flag '{flag}'", hint, code="undeclared-flag")
                continue
            out.append(flag)
        return tuple(out)

    def effects(self, node: Node, what: str) -> Effects:
        entries = self.fields(node, {**{m: False for m in self.meter_names}, "set": False, "clear": False}, what) \
            if isinstance(node, MappingNode) else None
        if entries is None:
            if not isinstance(node, MappingNode):
                self.error(node, f"{what} should be a mapping like {{trust: +1, set: [flag]}}", code="type")
            return NO_EFFECTS
        changes = []
        for key, (key_node, value_node) in entries.items():
            if key in ("set", "clear"):
                continue
            raw = value_node.value if isinstance(value_node, ScalarNode) else ""
            match = EFFECT.match(str(raw))
            if not match:
                hint = "write +N to add, -N to subtract, or =N to set, e.g. +1"
                if re.fullmatch(r"\s*\d+\s*", str(raw)):
                    hint = f"the sign is required: '+{raw.strip()}' to add or '={raw.strip()}' to set"
                self.error(value_node, f"effect on '{key}' should be +N, -N or =N, not {raw!r}", hint,
                           code="effect")
                continue
            sign, digits = match.groups()
            amount = int(digits)
            changes.append(MeterChange(key, "=" if sign == "=" else "+", -amount if sign == "-" else amount,
                                       span(value_node)))
        set_flags = self.flag_list(entries["set"][1], "'set'") if "set" in entries else ()
        clear_flags = self.flag_list(entries["clear"][1], "'clear'") if "clear" in entries else ()
        return Effects(tuple(changes), set_flags, clear_flags, span(node))

    def meter(self, key_node: Node, node: Node) -> Meter | None:
        name = self.name(key_node, "meter name")
        entries = self.fields(node, METER_KEYS, f"meter '{key_node.value}'")
        if name is None or entries is None:
            return None
        values = {}
        for key in ("start", "min", "max"):
            if key in entries:
                values[key] = self.integer(entries[key][1], f"the meter's '{key}'")
        low = values.get("min", 0)
        high = values.get("max", 10)
        start = values.get("start")
        if None in (low, high, start):
            return None
        if low >= high:
            self.error(entries.get("max", (node, node))[1], f"meter '{name}' has max {high} not above min {low}",
                       "make max greater than min", code="meter-bounds")
            return None
        if not low <= start <= high:
            self.error(entries["start"][1], f"meter '{name}' starts at {start}, outside {low}..{high}",
                       "start within the bounds", code="meter-bounds")
            return None
        label = self.text(entries["label"][1], "the meter's label") if "label" in entries else None
        hidden = self.boolean(entries["hidden"][1], "'hidden'") if "hidden" in entries else False
        return Meter(name, start, low, high, label or name.replace("_", " ").capitalize(), bool(hidden),
                     span(key_node))

    def text_parts(self, node: Node, scene: str) -> tuple[TextPart, ...]:
        if isinstance(node, ScalarNode):
            value = self.text(node, f"the text of scene '{scene}'")
            return (TextPart(value, None, span(node)),) if value else ()
        items = self.sequence(node, f"the text of scene '{scene}'")
        if items is None:
            return ()
        parts = []
        for item in items:
            if isinstance(item, MappingNode):
                entries = self.fields(item, TEXT_ITEM_KEYS, "a conditional paragraph")
                if not entries:
                    continue
                cond = self.condition(entries["if"][1], "'if'") if "if" in entries else None
                value = self.text(entries["text"][1], "a paragraph") if "text" in entries else None
                if value is not None and cond is not None:
                    parts.append(TextPart(value, cond, span(item)))
            else:
                value = self.text(item, "a paragraph")
                if value is not None:
                    parts.append(TextPart(value, None, span(item)))
        if not parts and not self.errors:
            self.error(node, f"scene '{scene}' has no text", "write at least one paragraph", code="empty")
        return tuple(parts)

    def choice(self, node: Node, scene: str, index: int, ids: dict[str, Node]) -> Choice | None:
        entries = self.fields(node, CHOICE_KEYS, f"choice {index + 1} of scene '{scene}'")
        if entries is None:
            return None
        get = entries.get
        text = self.text(get("text")[1], "the choice's text") if get("text") else None
        goto = self.scene_ref(get("goto")[1], "'goto'") if get("goto") else None
        cond = self.condition(get("if")[1], "'if'") if get("if") else None
        locked = self.text(get("locked")[1], "'locked'") if get("locked") else None
        if get("locked") and not get("if"):
            self.error(get("locked")[0], "'locked' has no 'if' to explain",
                       "add the condition that locks this choice, or remove 'locked'", code="locked-without-if")
        tags = self.texts(get("tags")[1], "'tags'") if get("tags") else ()
        effects = self.effects(get("effects")[1], "'effects'") if get("effects") else NO_EFFECTS
        remember = self.text(get("remember")[1], "'remember'") if get("remember") else None
        choice_id = f"{scene}.{index + 1}"
        id_node = node
        if get("id"):
            id_node = get("id")[1]
            explicit = self.text(id_node, "the choice's id")
            if explicit is not None and not CHOICE_ID.match(explicit):
                self.error(id_node, f"choice id '{explicit}' is not valid",
                           "use lowercase letters, digits, '_', '-' and '.'", code="name")
                explicit = None
            choice_id = explicit or choice_id
        if choice_id in ids:
            first = ids[choice_id]
            self.error(id_node, f"duplicate choice id '{choice_id}'",
                       f"it is also used at line {first.start_mark.line + 1}; choice ids are unique in a story",
                       code="duplicate-id")
        ids[choice_id] = id_node
        if text is None or goto is None:
            return None
        return Choice(choice_id, index, scene, text, goto, cond, locked, tags, effects, remember, span(node))

    def scene(self, key_node: Node, node: Node, ids: dict[str, Node]) -> Scene | None:
        scene_id = key_node.value
        entries = self.fields(node, SCENE_KEYS, f"scene '{scene_id}'")
        if entries is None:
            return None
        get = entries.get
        parts = self.text_parts(get("text")[1], scene_id) if get("text") else ()
        thought = self.text(get("thought")[1], "'thought'") if get("thought") else None
        on_enter = self.effects(get("on_enter")[1], "'on_enter'") if get("on_enter") else NO_EFFECTS
        skip_to = self.scene_ref(get("skip_to")[1], "'skip_to'") if get("skip_to") else None
        choices: list[Choice] = []
        ending = None
        if get("choices") and get("ending"):
            self.error(get("ending")[0], f"scene '{scene_id}' has both choices and an ending",
                       "an ending scene closes the story: remove its choices, or the ending", code="scene-kind")
        elif not get("choices") and not get("ending"):
            self.error(key_node, f"scene '{scene_id}' has neither choices nor an ending",
                       "add 'choices:' to go on, or 'ending: {title: ..., tone: ...}' to close", code="scene-kind")
        if get("choices"):
            items = self.sequence(get("choices")[1], "'choices'")
            if items is not None:
                if not items:
                    self.error(get("choices")[1], f"scene '{scene_id}' has an empty list of choices",
                               "add a choice, or make it an ending", code="scene-kind")
                if len(items) > MAX_CHOICES:
                    self.error(items[MAX_CHOICES], f"scene '{scene_id}' has {len(items)} choices",
                               f"at most {MAX_CHOICES}: players pick them with the keys 1-9", code="too-many")
                for index, item in enumerate(items[:MAX_CHOICES]):
                    built = self.choice(item, scene_id, index, ids)
                    if built is not None:
                        choices.append(built)
        if get("ending"):
            ending_entries = self.fields(get("ending")[1], ENDING_KEYS, "'ending'")
            if ending_entries is not None and "title" in ending_entries and "tone" in ending_entries:
                title = self.text(ending_entries["title"][1], "the ending's title")
                tone_node = ending_entries["tone"][1]
                tone = self.text(tone_node, "the ending's tone")
                if tone is not None and tone not in TONES:
                    close = get_close_matches(tone, TONES, n=1)
                    hint = f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(TONES)}"
                    self.error(tone_node, f"unknown tone '{tone}'", hint, code="tone")
                    tone = None
                support = self.boolean(ending_entries["support"][1], "'support'") \
                    if "support" in ending_entries else False
                if title and tone:
                    ending = Ending(title, tone, bool(support))
            if skip_to is not None:
                self.error(get("skip_to")[0], "an ending has nothing to skip to",
                           "remove 'skip_to' from this ending", code="scene-kind")
        return Scene(scene_id, parts, thought, on_enter, tuple(choices), ending, skip_to, span(key_node))

    def story(self, root: Node, shown: str, digest: str) -> Story | None:
        header = self.fields(root, HEADER_KEYS, "the story")
        if header is None:
            return None
        get = header.get
        version = self.integer(get("format")[1], "'format'") if get("format") else None
        if version is not None and version != FORMAT_VERSION:
            self.error(get("format")[1], f"unsupported story format {version}",
                       f"this version of Understood reads format {FORMAT_VERSION}", code="format")
        story_id = self.text(get("id")[1], "'id'") if get("id") else None
        if story_id is not None and not SLUG.match(story_id):
            self.error(get("id")[1], f"story id '{story_id}' is not a slug",
                       "use lowercase a-z, 0-9 and '-', e.g. opening-up", code="name")
            story_id = None
        title = self.text(get("title")[1], "'title'") if get("title") else None
        summary = self.text(get("summary")[1], "'summary'") if get("summary") else None
        perspective = self.text(get("perspective")[1], "'perspective'") if get("perspective") else None
        notes = self.texts(get("content_notes")[1], "'content_notes'") if get("content_notes") else ()
        minutes = None
        if get("minutes"):
            minutes = self.integer(get("minutes")[1], "'minutes'")
            if minutes is not None and not 1 <= minutes <= 600:
                self.error(get("minutes")[1], "'minutes' should be between 1 and 600", code="range")
        debrief = self.texts(get("debrief")[1], "'debrief'") if get("debrief") else ()

        if get("flags"):
            for item in self.sequence(get("flags")[1], "'flags'") or ():
                flag = self.name(item, "flag")
                if flag is not None:
                    if flag in self.flags:
                        self.error(item, f"flag '{flag}' is declared twice", code="duplicate-key")
                    self.flags.add(flag)
        if get("meters"):
            entries = get("meters")[1]
            if not isinstance(entries, MappingNode):
                self.error(entries, "'meters' should be a mapping of meter name to {start, min, max}", code="type")
            else:
                seen = set()
                for key_node, value_node in entries.value:
                    if isinstance(key_node, ScalarNode) and key_node.value in seen:
                        self.error(key_node, f"meter '{key_node.value}' is declared twice", code="duplicate-key")
                        continue
                    seen.add(getattr(key_node, "value", None))
                    if isinstance(key_node, ScalarNode):
                        self.meter_names.add(key_node.value)
                    built = self.meter(key_node, value_node)
                    if built is not None:
                        if built.name in self.flags:
                            self.error(key_node, f"'{built.name}' is both a meter and a flag",
                                       "give them different names", code="name")
                        self.meters[built.name] = built

        scenes: dict[str, Scene] = {}
        scenes_node = get("scenes")[1] if get("scenes") else None
        if scenes_node is not None:
            if not isinstance(scenes_node, MappingNode) or not scenes_node.value:
                self.error(scenes_node, "'scenes' should be a mapping of scene name to scene",
                           "see docs/story-format.md", code="type")
            else:
                if len(scenes_node.value) > MAX_SCENES:
                    self.error(scenes_node, f"the story has {len(scenes_node.value):,} scenes",
                               f"at most {MAX_SCENES:,}", code="too-many")
                    return None
                for key_node, _ in scenes_node.value:
                    name = self.name(key_node, "scene name")
                    if name is None:
                        continue
                    if name in self.scene_names:
                        self.error(key_node, f"scene '{name}' is defined twice",
                                   f"the first is at line {self.scene_names[name].start_mark.line + 1}",
                                   code="duplicate-key")
                        continue
                    self.scene_names[name] = key_node
                ids: dict[str, Node] = {}
                for key_node, value_node in scenes_node.value:
                    if isinstance(key_node, ScalarNode) and self.scene_names.get(key_node.value) is key_node:
                        built = self.scene(key_node, value_node, ids)
                        if built is not None:
                            scenes[built.id] = built
        start = self.scene_ref(get("start")[1], "'start'") if get("start") else None
        if self.errors:
            return None
        return Story(
            format=FORMAT_VERSION, id=story_id, title=title, summary=summary, perspective=perspective,
            start=start, scenes=MappingProxyType(scenes), meters=MappingProxyType(dict(self.meters)),
            flags=tuple(sorted(self.flags)), content_notes=notes, minutes=minutes, debrief=debrief,
            path=shown, content_hash=digest,
        )


def _alias_bomb(root: Node, shown: str) -> StoryError | None:
    """Measure how far aliases expand the tree, without expanding it."""
    sizes: dict[int, int] = {}
    seen_twice: dict[int, Node] = {}
    unique = 0
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = node.value if isinstance(node, SequenceNode) else \
                [n for pair in node.value for n in pair]
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            continue
        if key in sizes:
            seen_twice[key] = node
            continue
        if isinstance(node, ScalarNode):
            sizes[key] = 1
            unique += 1
            continue
        unique += 1
        sizes[key] = 0  # placeholder: a cycle reads it as empty
        stack.append((node, True))
        children = node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
        stack.extend((c, False) for c in children)
    expanded = sizes[id(root)]
    if expanded - unique > MAX_ALIAS_EXPANSION and seen_twice:
        worst = max(seen_twice.values(), key=lambda n: sizes[id(n)])
        return StoryError(shown, worst.start_mark.line + 1, worst.start_mark.column + 1,
                          f"aliases expand this document to {expanded:,} values (an alias bomb)",
                          f"aliases may add at most {MAX_ALIAS_EXPANSION:,} values; write the text out",
                          code="alias-bomb")
    return None


def _has_anchor(text: str) -> bool:
    return re.search(r"(?:^|[\s\[{,:-])&[^\s]", text) is not None


def build_story(text: str, shown: str, digest: str) -> Story:
    """Compose and validate YAML text; raise StoryLoadError with every error found."""
    root = compose(text, shown)
    if _has_anchor(text):
        bomb = _alias_bomb(root, shown)
        if bomb is not None:
            raise StoryLoadError([bomb])
    builder = Builder(shown)
    try:
        if not isinstance(root, MappingNode):
            builder.error(root, f"a story file should be a mapping of keys, not {_kind(root)}",
                          "start with 'format: 1'", code="type")
            story = None
        else:
            story = builder.story(root, shown, digest)
    except _TooMany:
        story = None
    if story is None:
        errors = sorted(builder.errors, key=lambda e: (e.line, e.col)) or [
            StoryError(shown, 1, 1, "the story could not be built", code="error")]
        if len(errors) >= MAX_ERRORS:
            errors.append(StoryError(shown, errors[-1].line, errors[-1].col, f"stopped after {MAX_ERRORS} errors",
                                     "fix these and check again", code="too-many-errors"))
        raise StoryLoadError(errors)
    return story


def parse_story(text: str, path: str = "<string>") -> Story:
    """Load a story from YAML text (no cache); raise StoryLoadError on any problem."""
    return build_story(text, path, content_hash(text.encode("utf-8")))


def load_story_uncached(path: str | Path) -> Story:
    path = Path(path)
    shown = str(path)
    data = read_bytes(path, shown)
    return build_story(decode(data, shown), shown, content_hash(data))
