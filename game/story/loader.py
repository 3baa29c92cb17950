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
from game.story import conditions, inline, yaml_slips
from game.story.conditions import Condition, ConditionError
from game.story.inline import InlineError
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
    plain,
)
from game.story.files import content_hash, decode, read_bytes
from game.story.source import compose

FORMAT_VERSION = 2  # the newest format this loader reads
FORMATS = (1, 2)
MAX_INCLUDES = 64
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
RESERVED_V2 = RESERVED | {"visits"}
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

# Keys that format 2 adds; a format-1 story that uses one is told to say `format: 2`.
HEADER_KEYS_V2 = {**HEADER_KEYS, "include": False}
METER_KEYS_V2 = {**METER_KEYS, "description": False}
SCENE_KEYS_V2 = {**SCENE_KEYS, "title": False}
CHOICE_KEYS_V2 = {**CHOICE_KEYS, "skip": False}
INCLUDED_KEYS = {"scenes": True}  # an included file holds only scenes
V2_ONLY = {"include", "description", "title", "skip"}

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

    def __init__(self, shown: str, source: str = ""):
        self.path = shown
        self.main_path = shown
        self.source = source  # the YAML text of the file being read (to place errors inside texts)
        self.format = 1
        self.file = ""  # the included file being read, as written in `include:`; "" for the story's own
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
            slip = yaml_slips.bang_for_not(node)  # `if: !flag`, meant as 'not flag'
            if slip is not None:
                self.error(node, *slip, code="unsafe-tag")
                return False
            self.error(node, f"YAML tag {node.tag!r} is not allowed in a story",
                       "story files are data: remove the '!' tag", code="unsafe-tag")
            return False
        return True

    def fields(self, node: Node, allowed: dict[str, bool], what: str,
               item: bool = False) -> dict[str, tuple[Node, Node]] | None:
        """A mapping's entries by key, with unknown, duplicate and missing keys reported. An `item`
        of a list whose first key comes again is most likely two items, the second without its '-'."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} should be a mapping of keys, not {_kind(node)}",
                       f"expected keys: {', '.join(allowed)}", code="type")
            return None
        if not self.check_tag(node):
            return None
        found: dict[str, tuple[Node, Node]] = {}
        new_item = False  # the mapping's first key came again: an item with no '-' (said once)
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or not self.check_tag(key_node):
                self.error(key_node, f"keys in {what} must be plain words", code="type")
                continue
            key = key_node.value
            if key in found:
                first = node.value[0][0]
                if new_item:
                    continue
                if item and key == first.value and key_node.start_mark.column == first.start_mark.column:
                    new_item = True
                    self.error(key_node, f"'{key}' comes again in {what}: is it a new item without its '-'?",
                               f"start the new item with '- {key}:', its '-' in line with the '-' above",
                               code="missing-dash")
                    continue
                self.error(key_node, f"duplicate key '{key}' in {what}",
                           "each key may appear once; the second would silently win", code="duplicate-key")
                continue
            if key not in allowed:
                close = get_close_matches(key, list(allowed), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(allowed)}"
                if key in V2_ONLY and self.format == 1:
                    hint = f"'{key}' is new in format 2: write 'format: 2' at the top of the story"
                elif "((" in key or "))" in key:
                    hint = ("YAML read the text before ': ' as a key: quote a text that holds ': ' "
                            "(or write it as a block, '>-' on the line before)")
                self.error(key_node, f"unknown key '{key}' in {what}", hint, code="unknown-key")
                continue
            found[key] = (key_node, value_node)
        for key, required in allowed.items():
            if required and key not in found:
                self.error(node, f"{what} is missing '{key}'", f"add '{key}:'", code="missing-key")
        return found

    def text(self, node: Node, what: str, *, allow_empty: bool = False) -> str | None:
        if isinstance(node, ScalarNode) and not self.check_tag(node):
            return None  # reported
        if not isinstance(node, ScalarNode) or node.tag == NULL:
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
        if not NAME.match(value) or value in (RESERVED_V2 if self.format >= 2 else RESERVED):
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
        entries = self.fields(node, METER_KEYS_V2 if self.format >= 2 else METER_KEYS, f"meter '{key_node.value}'")
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
        description = self.text(entries["description"][1], "the meter's description") \
            if "description" in entries else None
        if description is not None and "\n" in description:
            self.error(entries["description"][1], "the meter's description should be one line",
                       "players read it beside the meter: keep it to one short sentence", code="type")
        return Meter(name, start, low, high, label or name.replace("_", " ").capitalize(), bool(hidden),
                     span(key_node), description or "")

    # --- texts a player reads: lists, conditions and (format 2) inline forms ------------------

    def place(self, node: Node, value: str, offset: int) -> tuple[int, int]:
        """The file line:col of `value[offset]`, `value` being the (stripped) text of `node`."""
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if node.start_mark.line == node.end_mark.line and node.style in (None, "", "'", '"'):
            raw = node.value
            lead = len(raw) - len(raw.lstrip())
            return line, col + offset + lead + (1 if node.style in ("'", '"') else 0)
        # A block or a folded scalar: find the same words in the source, counting repeats.
        match = re.match(r"\S{1,24}", value[offset:])
        snippet = match.group(0) if match else ""
        src = self.source
        if not snippet or not src:
            return line, col
        starts = self._line_starts()
        begin = starts[node.start_mark.line] + node.start_mark.column if node.start_mark.line < len(starts) else 0
        stop = starts[node.end_mark.line] + node.end_mark.column if node.end_mark.line < len(starts) else len(src)
        at = begin - 1
        for _ in range(value.count(snippet, 0, offset) + 1):
            at = src.find(snippet, at + 1, stop)
            if at < 0:
                return line, col
        return src.count("\n", 0, at) + 1, at - (src.rfind("\n", 0, at) + 1) + 1

    def _line_starts(self) -> list[int]:
        starts = self.__dict__.get("_starts")
        if starts is None or self.__dict__.get("_starts_of") is not self.source:
            starts = [0] + [i + 1 for i, c in enumerate(self.source) if c == "\n"]
            self.__dict__["_starts"], self.__dict__["_starts_of"] = starts, self.source
        return starts

    def inline(self, node: Node, value: str, key: str):
        """The tree of a text's inline forms (None: shown as written), or False after an error."""
        if self.format < 2:
            return None

        def condition(source: str, offset: int) -> Condition:
            try:
                tree = conditions.resolve(conditions.parse(source), self.meter_names, self.flags, self.scene_names)
            except ConditionError as exc:
                raise InlineError(exc.message, offset + exc.offset, exc.hint) from None
            return Condition.build(source, tree)

        try:
            return inline.parse(value, key, self.meters_known(), condition)
        except InlineError as exc:
            line, col = self.place(node, value, exc.offset)
            self.error(None, exc.message, exc.hint, code="inline", line=line, col=col)
            return False

    def meters_known(self):
        return self.meter_names

    def rich(self, node: Node, what: str, key: str, condition: Condition | None = None,
             at: Node | None = None) -> TextPart | None:
        """One text a player reads, with its inline forms parsed (format 2)."""
        value = self.text(node, what)
        if value is None:
            return None
        tree = self.inline(node, value, key)
        if tree is False:
            return None
        return TextPart(value, condition, span(at or node), tree)

    def text_list(self, node: Node, what: str, key: str, *, lists: bool = True, item_what: str = "",
                  cond_what: str = "") -> tuple[TextPart, ...] | None:
        """A text as its list of parts: one text, or (where `lists`) a list of texts and
        `{if, text}` items. None when nothing could be built (errors are reported)."""
        if isinstance(node, ScalarNode) or not lists:
            part = self.rich(node, what, f"{key}.0")
            return None if part is None else (part,)
        items = self.sequence(node, what)
        if items is None:
            return None
        if not items:
            self.error(node, f"{what} is an empty list", "write at least one text", code="empty")
            return None
        parts, failed = [], False
        for index, item in enumerate(items):
            if isinstance(item, MappingNode):
                slip = yaml_slips.text_read_as_key(item, TEXT_ITEM_KEYS)  # `- He said: no`
                if slip is not None:
                    self.error(None, *slip[2:], code="yaml", line=slip[0], col=slip[1])
                    failed = True
                    continue
                entries = self.fields(item, TEXT_ITEM_KEYS, cond_what or f"a conditional item of {what}", item=True)
                if not entries:
                    failed = True
                    continue
                cond = self.condition(entries["if"][1], "'if'") if "if" in entries else None
                part = self.rich(entries["text"][1], item_what or f"an item of {what}", f"{key}.{index}", cond, item) \
                    if "text" in entries else None
                if part is None or cond is None:
                    failed = True
                    continue
            else:
                part = self.rich(item, item_what or f"an item of {what}", f"{key}.{index}")
                if part is None:
                    failed = True
                    continue
            parts.append(part)
        return None if failed and not parts else tuple(parts)

    def text_parts(self, node: Node, scene: str) -> tuple[TextPart, ...]:
        before = len(self.errors)
        parts = self.text_list(node, f"the text of scene '{scene}'", "text", item_what="a paragraph",
                               cond_what="a conditional paragraph") or ()
        if not parts and len(self.errors) == before:
            self.error(node, f"scene '{scene}' has no text", "write at least one paragraph", code="empty")
        return parts

    def choice(self, node: Node, scene: str, index: int, ids: dict[str, Node]) -> Choice | None:
        v2 = self.format >= 2
        entries = self.fields(node, CHOICE_KEYS_V2 if v2 else CHOICE_KEYS, f"choice {index + 1} of scene '{scene}'",
                              item=True)
        if entries is None:
            return None
        get = entries.get
        key = f"choices.{index}"
        text_parts = locked_parts = remember_parts = ()
        text = locked = remember = None
        if v2:
            if get("text"):
                text_parts = self.text_list(get("text")[1], "the choice's text", f"{key}.text") or ()
                text = text_parts[0].text if text_parts else None
            if get("locked"):
                locked_parts = self.text_list(get("locked")[1], "'locked'", f"{key}.locked") or ()
                locked = locked_parts[0].text if locked_parts else None
            if get("remember"):
                remember_parts = self.text_list(get("remember")[1], "'remember'", f"{key}.remember",
                                                lists=False) or ()
                remember = remember_parts[0].text if remember_parts else None
        else:
            text = self.text(get("text")[1], "the choice's text") if get("text") else None
            locked = self.text(get("locked")[1], "'locked'") if get("locked") else None
            remember = self.text(get("remember")[1], "'remember'") if get("remember") else None
        skip = bool(self.boolean(get("skip")[1], "'skip'")) if get("skip") else False
        goto = self.scene_ref(get("goto")[1], "'goto'") if get("goto") else None
        cond = self.condition(get("if")[1], "'if'") if get("if") else None
        if get("locked") and not get("if"):
            self.error(get("locked")[0], "'locked' has no 'if' to explain",
                       "add the condition that locks this choice, or remove 'locked'", code="locked-without-if")
        tags = self.texts(get("tags")[1], "'tags'") if get("tags") else ()
        effects = self.effects(get("effects")[1], "'effects'") if get("effects") else NO_EFFECTS
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
            first, where = ids[choice_id]
            place = f"line {first.start_mark.line + 1}" if where == self.path else \
                f"{where}:{first.start_mark.line + 1}:{first.start_mark.column + 1}"
            self.error(id_node, f"duplicate choice id '{choice_id}'",
                       f"it is also used at {place}; choice ids are unique in a story",
                       code="duplicate-id")
        ids[choice_id] = (id_node, self.path)
        if text is None or goto is None:
            return None
        return Choice(choice_id, index, scene, text, goto, cond, locked, tags, effects, remember, span(node),
                      text_parts, locked_parts, remember_parts, skip)

    def scene(self, key_node: Node, node: Node, ids: dict[str, Node]) -> Scene | None:
        scene_id = key_node.value
        v2 = self.format >= 2
        entries = self.fields(node, SCENE_KEYS_V2 if v2 else SCENE_KEYS, f"scene '{scene_id}'")
        if entries is None:
            return None
        get = entries.get
        parts = self.text_parts(get("text")[1], scene_id) if get("text") else ()
        thought_parts = ()
        if v2:
            thought_parts = self.text_list(get("thought")[1], "'thought'", "thought") or () if get("thought") else ()
            thought = thought_parts[0].text if thought_parts else None
        else:
            thought = self.text(get("thought")[1], "'thought'") if get("thought") else None
        title = self.text(get("title")[1], "the scene's title") if get("title") else None
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
                title_parts = ()
                if v2:
                    title_parts = self.text_list(ending_entries["title"][1], "the ending's title", "ending.title",
                                                 lists=False) or ()
                    # where no state is at hand (reports, listings) the title reads as its first branches
                    title = inline.sample(title_parts[0].tree, title_parts[0].text) if title_parts else None
                else:
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
                    ending = Ending(title, tone, bool(support), title_parts)
            if skip_to is not None:
                self.error(get("skip_to")[0], "an ending has nothing to skip to",
                           "remove 'skip_to' from this ending", code="scene-kind")
        skips = [c for c in choices if c.skip]
        if len(skips) > 1:
            self.error(get("choices")[1], f"scene '{scene_id}' marks {len(skips)} choices 'skip: true'",
                       "a scene has one skip route: mark one choice", code="skip")
        if skips and skip_to is not None:
            self.error(get("skip_to")[0], f"scene '{scene_id}' has both 'skip_to' and a 'skip: true' choice",
                       "keep one skip route", code="skip")
        return Scene(scene_id, parts, thought, on_enter, tuple(choices), ending, skip_to, span(key_node),
                     title, thought_parts, self.file)

    def story(self, root: Node, shown: str, digest: str, base: Path | None = None) -> Story | None:
        version = None
        if isinstance(root, MappingNode):
            for key_node, value_node in root.value:
                if isinstance(key_node, ScalarNode) and key_node.value == "format":
                    version = self.integer(value_node, "'format'")
                    if version is not None and version not in FORMATS:
                        self.error(value_node, f"unsupported story format {version}",
                                   f"this version of Understood reads formats 1 and {FORMAT_VERSION}",
                                   code="format")
                    elif version is not None:
                        self.format = version
                    break
        header = self.fields(root, HEADER_KEYS_V2 if self.format >= 2 else HEADER_KEYS, "the story")
        if header is None:
            return None
        get = header.get
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

        files: list[tuple[str, str, str, Node]] = []  # (as included, shown path, source, scenes node)
        scenes_node = get("scenes")[1] if get("scenes") else None
        if scenes_node is not None:
            files.append(("", shown, self.source, scenes_node))
        includes = self.includes(get("include")[1], base, files) if get("include") else ()
        scenes: dict[str, Scene] = {}
        where: dict[str, tuple[str, Node]] = {}
        total = 0
        for _, path, _, node in files:
            if not isinstance(node, MappingNode) or not node.value:
                self.path = path
                self.error(node, "'scenes' should be a mapping of scene name to scene",
                           "see docs/story-format.md", code="type")
                continue
            total += len(node.value)
        self.path = shown
        if total > MAX_SCENES:
            self.error(scenes_node, f"the story has {total:,} scenes", f"at most {MAX_SCENES:,}", code="too-many")
            return None
        named = [(f, p, src, n) for f, p, src, n in files if isinstance(n, MappingNode) and n.value]
        for _, path, _, node in named:
            self.path = path
            for key_node, _ in node.value:
                name = self.name(key_node, "scene name")
                if name is None:
                    continue
                if name in self.scene_names:
                    first_path, first = where[name]
                    at = f"line {first.start_mark.line + 1}" if first_path == path else \
                        f"{first_path}:{first.start_mark.line + 1}:{first.start_mark.column + 1}"
                    self.error(key_node, f"scene '{name}' is defined twice",
                               f"the first is at {at}" + ("" if first_path == path else
                                                          "; scene names are unique across the story's files"),
                               code="duplicate-key")
                    continue
                self.scene_names[name] = key_node
                where[name] = (path, key_node)
        ids: dict[str, tuple[Node, str]] = {}
        main_source = self.source
        for file, path, source, node in named:
            self.path, self.source, self.file = path, source, file
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and self.scene_names.get(key_node.value) is key_node:
                    built = self.scene(key_node, value_node, ids)
                    if built is not None:
                        scenes[built.id] = built
        self.path, self.source, self.file = shown, main_source, ""
        start = self.scene_ref(get("start")[1], "'start'") if get("start") else None
        if self.errors:
            return None
        return Story(
            format=self.format, id=story_id, title=title, summary=summary, perspective=perspective,
            start=start, scenes=MappingProxyType(scenes), meters=MappingProxyType(dict(self.meters)),
            flags=tuple(sorted(self.flags)), content_notes=notes, minutes=minutes, debrief=debrief,
            path=shown, content_hash=digest, includes=includes,
        )

    def includes(self, node: Node, base: Path | None, files: list) -> tuple[tuple[str, str], ...]:
        """Read the files an `include:` names and add their scenes to `files`; (name, hash) of each."""
        items = self.sequence(node, "'include'")
        if not items:
            return ()
        if len(items) > MAX_INCLUDES:
            self.error(items[MAX_INCLUDES], f"'include' names {len(items)} files",
                       f"at most {MAX_INCLUDES}", code="too-many")
            return ()
        if base is None:
            self.error(node, "'include' needs a story read from a file", "load the story from its file", code="io")
            return ()
        found: list[tuple[str, str]] = []
        seen: set[str] = set()
        root_dir = base.resolve()
        own = Path(self.main_path).name
        for item in items:
            name = self.text(item, "a file in 'include'")
            if name is None:
                continue
            rel = Path(name)
            if rel.is_absolute() or ".." in rel.parts or "\\" in name:
                self.error(item, f"'{name}' is outside the story's folder",
                           "include files from the story's own folder or below it, by a relative path",
                           code="include")
                continue
            target = base / rel
            try:
                real = target.resolve()
            except (OSError, RuntimeError):
                real = target
            if real != root_dir and root_dir not in real.parents:
                self.error(item, f"'{name}' leads outside the story's folder (a link)",
                           "include real files from the story's own folder", code="include")
                continue
            key = rel.as_posix()
            if key in seen or (key == own and base == Path(self.main_path).parent):
                self.error(item, f"'{name}' is included twice" if key in seen else f"'{name}' is the story's own file",
                           "name each other file once", code="include")
                continue
            seen.add(key)
            shown_path = str(Path(self.main_path).parent / rel)
            try:
                data = read_bytes(target, shown_path)
                text = decode(data, shown_path)
                root = compose(text, shown_path)
            except StoryLoadError as exc:
                if any(e.code == "io" for e in exc.errors):
                    self.error(item, f"cannot read the included file '{name}'",
                               "check the name; paths are relative to the story file", code="include")
                else:
                    self.errors.extend(exc.errors)
                continue
            bomb = alias_bomb(root, text, shown_path)
            if bomb is not None:
                self.errors.append(bomb)
                continue
            found.append((key, content_hash(data)))
            self.path = shown_path
            if not isinstance(root, MappingNode):
                self.error(root, f"an included file should be a mapping with 'scenes:', not {_kind(root)}",
                           "an included file holds only 'scenes:'", code="type")
                entries = None
            else:
                entries = self.fields(root, INCLUDED_KEYS, "an included file")
            self.path = self.main_path
            if entries and "scenes" in entries:
                files.append((key, shown_path, text, entries["scenes"][1]))
        return tuple(found)


def alias_bomb(root: Node, text: str, shown: str) -> StoryError | None:
    """The error for a document whose aliases expand `root` (composed from `text`) past the limit,
    measured without expanding it; None for a document without anchors, or within the limit."""
    if not _has_anchor(text):
        return None
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


def build_story(text: str, shown: str, digest: str, base: Path | None = None) -> Story:
    """Compose and validate YAML text; raise StoryLoadError with every error found."""
    root = compose(text, shown)
    bomb = alias_bomb(root, text, shown)
    if bomb is not None:
        raise StoryLoadError([bomb])
    builder = Builder(shown, text)
    try:
        if not isinstance(root, MappingNode):
            builder.error(root, f"a story file should be a mapping of keys, not {_kind(root)}",
                          "start with 'format: 1'", code="type")
            story = None
        else:
            story = builder.story(root, shown, digest, base)
    except _TooMany:
        story = None
    if story is None:
        errors = sorted(builder.errors, key=lambda e: (e.path != shown, e.path, e.line, e.col)) or [
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
    return build_story(decode(data, shown), shown, content_hash(data), path.parent)
