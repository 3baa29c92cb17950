"""Where a story file defines and uses its scenes, meters and flags, read from its YAML nodes.

Built from the text alone (never the model), so that it works while the story has errors: an
editor's buffer is broken half the time. Positions are 0-based lines and columns in code points
(`Place`); the server turns them into the client's units.

Definitions: the keys under `scenes:` and `meters:`, the items of `flags:`. Uses: `start`, `goto`
and `skip_to`; the keys of `effects`/`on_enter` and the items of their `set`/`clear`; the names in
every `if:` condition (`visited(scene)` and `visits(scene)` name scenes); and, in format 2, the
inline forms `((meter))` and `((if condition: …))` inside texts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.story.conditions import ConditionError, tokenize
from game.story.errors import StoryLoadError
from game.story.loader import alias_bomb
from game.story.source import compose

SCENE, METER, FLAG, FILE = "scene", "meter", "flag", "file"  # FILE: a name in `include:`
EFFECT_KEYS = ("effects", "on_enter")
_FORM = re.compile(r"\(\(\s*(?:(if)\s+([^:)]*)|([A-Za-z_][A-Za-z0-9_]*)\s*\)\))")


@dataclass(frozen=True, slots=True, order=True)
class Place:
    """A stretch of one line: 0-based `line`, columns `start` to `end` (end exclusive)."""

    line: int
    start: int
    end: int

    def holds(self, line: int, col: int) -> bool:
        return line == self.line and self.start <= col <= self.end


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of lines, 0-based, end exclusive (the whole of a scene, for an outline)."""

    start: tuple[int, int]
    end: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Symbol:
    kind: str  # SCENE, METER, FLAG or FILE
    name: str
    place: Place
    role: str = ""  # for a use: goto, start, skip_to, effect, set, clear, test (a condition), shown (((meter)))


@dataclass(frozen=True, slots=True)
class ChoiceInfo:
    text: str
    goto: str
    place: Place


@dataclass(frozen=True, slots=True)
class SceneInfo:
    name: str
    place: Place  # the key
    span: Span  # the key and everything under it
    title: str = ""
    text: tuple[str, ...] = ()  # the paragraphs as written (conditional ones too)
    choices: tuple[ChoiceInfo, ...] = ()
    ending: str = ""  # the ending's title, for an ending
    tone: str = ""


@dataclass(frozen=True, slots=True)
class MeterInfo:
    name: str
    place: Place
    values: dict = field(default_factory=dict)  # start, min, max, label, description, hidden as written


@dataclass
class Index:
    """Every definition and use in one story file."""

    format: int = 1
    scenes: dict[str, SceneInfo] = field(default_factory=dict)
    meters: dict[str, MeterInfo] = field(default_factory=dict)
    flags: dict[str, Place] = field(default_factory=dict)
    uses: list[Symbol] = field(default_factory=list)
    includes: tuple[str, ...] = ()
    included: bool = False  # a file a story includes: only `scenes:`
    keys: tuple[str, ...] = ()  # the top-level keys, as written

    def definition(self, kind: str, name: str) -> Place | None:
        if kind == FILE:
            return None  # a file is its own definition (see Project.definition)
        table = {SCENE: self.scenes, METER: self.meters, FLAG: self.flags}[kind]
        found = table.get(name)
        return found if isinstance(found, Place) or found is None else found.place

    def definitions(self) -> list[Symbol]:
        return ([Symbol(SCENE, n, s.place) for n, s in self.scenes.items()]
                + [Symbol(METER, n, m.place) for n, m in self.meters.items()]
                + [Symbol(FLAG, n, p) for n, p in self.flags.items()])

    def at(self, line: int, col: int) -> Symbol | None:
        """The definition or use under a cursor, if any."""
        for symbol in self.definitions() + self.uses:
            if symbol.place.holds(line, col):
                return symbol
        return None

    def with_meters(self, meters) -> "Index":
        """This index with the bare names in its conditions read against `meters` (a file a story
        includes declares none: its story does)."""
        uses = [Symbol(METER if s.name in meters else FLAG, s.name, s.place, s.role)
                if s.kind in (METER, FLAG) and s.role in ("test", "shown") else s for s in self.uses]
        return Index(self.format, self.scenes, self.meters, self.flags, uses, self.includes, self.included, self.keys)

    def uses_of(self, kind: str, name: str) -> list[Place]:
        return sorted(s.place for s in self.uses if s.kind == kind and s.name == name)


def index(text: str, shown: str = "<buffer>") -> Index | None:
    """The index of a story file's text, or None when the text is not YAML at all."""
    try:
        root = compose(text, shown)
    except StoryLoadError:
        return None
    found = Index()
    # The loader's own guard: aliases can make a small file a huge tree to walk; the checker
    # reports the bomb, the index stays empty.
    if alias_bomb(root, text, shown) is not None:
        return found
    if isinstance(root, MappingNode):
        _Walker(found, text).story(root)
    return found


# --- reading the node tree ----------------------------------------------------------------


def _scalar(node: Node | None) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def _entries(node: Node | None) -> dict[str, tuple[Node, Node]]:
    if not isinstance(node, MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}


def _items(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def _place(node: Node) -> Place:
    start, end = node.start_mark, node.end_mark
    if not isinstance(node, ScalarNode):
        return Place(start.line, start.column, start.column + 1)
    stop = end.column if end.line == start.line else start.column + len(node.value.split("\n", 1)[0])
    return Place(start.line, start.column, max(stop, start.column + 1))


def _span(key: Node, value: Node) -> Span:
    return Span((key.start_mark.line, key.start_mark.column), (value.end_mark.line, value.end_mark.column))


class _Walker:
    def __init__(self, found: Index, text: str):
        self.found = found
        self.text = text
        self._starts: list[int] | None = None
        self._names: list[tuple[str, Place, str]] = []  # bare names in conditions: meters or flags

    def story(self, root: MappingNode) -> None:
        entries = _entries(root)
        self.found.keys = tuple(entries)
        self.found.format = 2 if _scalar(entries.get("format", (None, None))[1]) == "2" else 1
        self.found.included = "scenes" in entries and not ({"id", "format", "start", "title"} & entries.keys())
        if "meters" in entries:
            for key, value in _entries(entries["meters"][1]).values():
                values = {k: _scalar(v) for k, (_, v) in _entries(value).items()}
                self.found.meters.setdefault(key.value, MeterInfo(key.value, _place(key), values))
        if "flags" in entries:
            for item in _items(entries["flags"][1]):
                if _scalar(item):
                    self.found.flags.setdefault(item.value, _place(item))
        if "include" in entries:
            items = [item for item in _items(entries["include"][1]) if _scalar(item)]
            self.found.includes = tuple(item.value for item in items)
            self.found.uses += [Symbol(FILE, item.value, _place(item), "include") for item in items]
        if "start" in entries:
            self.scene_use(entries["start"][1], "start")
        if "scenes" in entries and isinstance(entries["scenes"][1], MappingNode):
            for key, value in entries["scenes"][1].value:
                if isinstance(key, ScalarNode):
                    self.scene(key, value)
        for name, place, role in self._names:
            kind = METER if name in self.found.meters else FLAG
            self.found.uses.append(Symbol(kind, name, place, role))

    def scene(self, key: ScalarNode, node: Node) -> None:
        entries = _entries(node)
        get = lambda name: entries.get(name, (None, None))[1]  # noqa: E731
        paragraphs = self.texts(get("text"))
        self.texts(get("thought"))
        for name in EFFECT_KEYS:
            if get(name) is not None:
                self.effects(get(name))
        if get("skip_to") is not None:
            self.scene_use(get("skip_to"), "skip_to")
        choices = []
        for item in _items(get("choices")):
            fields = _entries(item)
            text = self.texts(fields.get("text", (None, None))[1])
            for name in ("locked", "remember"):
                self.texts(fields.get(name, (None, None))[1])
            goto = fields.get("goto", (None, None))[1]
            if goto is not None:
                self.scene_use(goto, "goto")
            if "if" in fields:
                self.condition(fields["if"][1])
            if "effects" in fields:
                self.effects(fields["effects"][1])
            choices.append(ChoiceInfo(text[0] if text else "", _scalar(goto) or "", self.first_line(item)))
        ending = _entries(get("ending"))
        title = self.texts(ending.get("title", (None, None))[1]) if ending else []
        info = SceneInfo(key.value, _place(key), _span(key, node), _scalar(get("title")) or "",
                         tuple(paragraphs), tuple(choices), title[0] if title else "",
                         _scalar(ending.get("tone", (None, None))[1]) or "" if ending else "")
        self.found.scenes.setdefault(key.value, info)

    def texts(self, node: Node | None) -> list[str]:
        """A text: one scalar, or a list of scalars and {if, text} items. Its paragraphs."""
        out: list[str] = []
        parts = _items(node) if isinstance(node, SequenceNode) else [node] if node is not None else []
        for part in parts:
            if isinstance(part, MappingNode):
                fields = _entries(part)
                if "if" in fields:
                    self.condition(fields["if"][1])
                part = fields.get("text", (None, None))[1]
            value = _scalar(part)
            if value is not None:
                out.append(value)
                if "((" in value:
                    self.forms(part)
        return out

    def effects(self, node: Node) -> None:
        for name, (key, value) in _entries(node).items():
            if name in ("set", "clear"):
                for item in _items(value):
                    if _scalar(item):
                        self.found.uses.append(Symbol(FLAG, item.value, _place(item), name))
            else:
                self.found.uses.append(Symbol(METER, name, _place(key), "effect"))

    def scene_use(self, node: Node, role: str) -> None:
        if _scalar(node):
            self.found.uses.append(Symbol(SCENE, node.value, _place(node), role))

    def condition(self, node: Node, source: str | None = None, offset: int = 0) -> None:
        """The names in a condition (`source`, at `offset` in the node's value; the whole value if None)."""
        if source is None:
            source = _scalar(node)
            if source is None:
                return
        try:
            tokens = tokenize(source)
        except ConditionError:
            return
        for i, token in enumerate(tokens):
            if token.kind != "name" or token.text in ("and", "or", "not"):
                continue
            place = self.locate(node, token.text, offset + token.offset)
            if token.text in ("visited", "visits") and i + 1 < len(tokens) and tokens[i + 1].text == "(":
                continue
            if i >= 2 and tokens[i - 1].text == "(" and tokens[i - 2].text in ("visited", "visits"):
                self.found.uses.append(Symbol(SCENE, token.text, place, "test"))
            else:
                self._names.append((token.text, place, "test"))

    def forms(self, node: ScalarNode) -> None:
        for match in _FORM.finditer(node.value):
            if match.group(1):
                self.condition(node, match.group(2), match.start(2))
            else:
                place = self.locate(node, match.group(3), match.start(3))
                self._names.append((match.group(3), place, "shown"))

    def locate(self, node: Node, word: str, offset: int) -> Place:
        """Where the `word` at `offset` in a scalar's value is written: the same occurrence of
        the word in the scalar's source (quotes, escapes and folding move it)."""
        pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])")
        nth = len(pattern.findall(node.value, 0, offset))
        starts = self.line_starts()
        begin = starts[node.start_mark.line] + node.start_mark.column if node.start_mark.line < len(starts) else 0
        stop = starts[node.end_mark.line] + node.end_mark.column if node.end_mark.line < len(starts) else len(self.text)
        for count, match in enumerate(pattern.finditer(self.text, begin, stop)):
            if count == nth:
                line = bisect_right(starts, match.start()) - 1
                col = match.start() - starts[line]
                return Place(line, col, col + len(word))
        return _place(node)

    def first_line(self, node: Node) -> Place:
        """The first line of a node, from where it starts to the end of that line."""
        starts = self.line_starts()
        line, col = node.start_mark.line, node.start_mark.column
        if line >= len(starts):
            return Place(line, col, col + 1)
        end = self.text.find("\n", starts[line])
        end = len(self.text) if end < 0 else end
        return Place(line, col, max(end - starts[line], col + 1))

    def line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return self._starts
