"""What to offer at a cursor in a story file: scene ids, meters, flags, keys and a few values.

The cursor's context comes from the text of its line and the keys above it (by indentation), not
from parsing: while someone types, the file is seldom valid YAML. The names come from the
`Project` (the last good index of each file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from game.lsp.project import Project
from game.lsp.symbols import FLAG, METER, SCENE
from game.story.loader import (
    CHOICE_KEYS, CHOICE_KEYS_V2, ENDING_KEYS, HEADER_KEYS, HEADER_KEYS_V2, INCLUDED_KEYS, METER_KEYS,
    METER_KEYS_V2, SCENE_KEYS, SCENE_KEYS_V2, TEXT_ITEM_KEYS,
)
from game.story.model import TONES

KEY, VALUE, KEYWORD = "key", "value", "keyword"
FORMS = ("if", "first", "seq", "cycle", "shuffle")
_PARTIAL = re.compile(r"[A-Za-z0-9_]*\Z")
_KEY_LINE = re.compile(r"(\s*)(?:(-)(\s+))?([A-Za-z_][\w-]*)\s*:(?:\s|\Z)")
_ITEM_ONLY = re.compile(r"(\s*)-(?:\s|\Z)")


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    kind: str  # SCENE, METER, FLAG, KEY, VALUE or KEYWORD
    detail: str = ""
    insert: str = ""  # the text to insert, when not the label


@dataclass(frozen=True, slots=True)
class Completion:
    items: tuple[Item, ...]
    start: int  # the column where the word being typed starts (it is replaced)


def complete(lines: list[str], line: int, col: int, project: Project | None, path: str = "") -> Completion:
    """What to offer at 0-based `line`, `col` of the file at `path` (its `lines`)."""
    current = lines[line] if line < len(lines) else ""
    before = current[:col]
    start = col - len(_PARTIAL.search(before).group(0))
    items = _items(lines, line, before, start, project, path)
    return Completion(tuple(items), start)


def _items(lines: list[str], line: int, before: str, start: int, project: Project | None,
           path: str) -> list[Item]:
    names = _Names(project, path)
    if re.search(r"\b(?:visited|visits)\s*\(\s*\w*\Z", before):
        return names.scenes()
    opened = before.rfind("((")
    if opened >= 0 and before.rfind("))") < opened:
        inside = before[opened + 2:]
        condition = re.match(r"\s*if\s+([^:]*)\Z", inside)
        if condition:
            return _condition(condition.group(1), names)
        if re.fullmatch(r"\s*\w*", inside):
            return names.meters() + [Item(f, KEYWORD, "inline form") for f in FORMS]
        return []
    if re.search(r"(?:^|[\s{,-])(?:goto|skip_to|start)\s*:\s*['\"]?\w*\Z", before):
        return names.scenes()
    condition = re.search(r"(?:^|[\s{,-])if\s*:\s*['\"]?(.*)\Z", before)
    if condition:
        return _condition(condition.group(1), names)
    if re.search(r"(?:^|[\s{,])(?:set|clear)\s*:\s*\[[^\]]*\Z", before):
        return names.flags()
    flow = re.search(r"(?:^|[\s{,-])(?:effects|on_enter)\s*:\s*\{([^}]*)\Z", before)
    if flow:
        if re.search(r"(?:\A|,)\s*\w*\Z", flow.group(1)):
            return names.effect_keys()
        return []
    if re.search(r"(?:^|[\s{,-])tone\s*:\s*\w*\Z", before):
        return [Item(t, VALUE, "ending tone") for t in TONES]
    if re.search(r"(?:^|[\s{,-])format\s*:\s*\w*\Z", before):
        return [Item("2", VALUE, "the newest story format"), Item("1", VALUE, "story format 1")]
    if re.search(r"(?:^|[\s{,-])(?:hidden|support|skip)\s*:\s*\w*\Z", before):
        return [Item("true", VALUE), Item("false", VALUE)]
    braced = re.search(r"(?:^|[\s-])(?:([A-Za-z_]\w*)\s*:\s*)?\{([^{}]*)\Z", before)
    if braced and re.search(r"(?:\A|,)\s*\w*\Z", braced.group(2)):  # a key inside {…}, on one line
        key = braced.group(1)
        chain = _parents(lines, line, braced.start(1) if key else braced.end(0) - len(braced.group(2)) - 1,
                         item_here=before.lstrip().startswith("-")) + ([key] if key else [])
        written = set(re.findall(r"([A-Za-z_]\w*)\s*:", braced.group(2)))
        return [k for k in _keys(chain, names, project.format if project else 2)
                if k.kind != KEY or k.label not in written]
    item = re.fullmatch(r"(\s*)(-\s+)?\w*", before)
    if item is None:
        return []
    chain = _parents(lines, line, start, item_here=bool(item.group(2)))
    keys = _keys(chain, names, project.format if project else 2)
    written = _siblings(lines, line, start, item_here=bool(item.group(2)))
    return [k for k in keys if k.kind != KEY or k.label not in written]


def _condition(text: str, names: "_Names") -> list[Item]:
    return (names.meters() + names.flags()
            + [Item(w, KEYWORD, "condition") for w in ("and", "or", "not")]
            + [Item(f"{w}()", KEYWORD, "a scene's visits", f"{w}(") for w in ("visited", "visits")])


def _parents(lines: list[str], line: int, col: int, item_here: bool) -> list[str]:
    """The keys enclosing a key written at `col` on `line`, outermost first; "-" marks a list item."""
    chain: list[str] = []
    limit = col
    if item_here:
        current = lines[line] if line < len(lines) else ""
        dash = current.index("-")
        chain.append("-")
        limit = dash
    for number in range(line - 1, -1, -1):
        if limit <= 0:
            break
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        match = _KEY_LINE.match(text)
        if match is None:
            bare = _ITEM_ONLY.match(text)
            if bare and len(bare.group(1)) < limit:
                chain.append("-")
                limit = len(bare.group(1))
            elif len(text) - len(text.lstrip()) < limit:
                break  # a line we cannot read: stop rather than guess
            continue
        key_col = match.end(3) if match.group(2) else len(match.group(1))
        if key_col < limit:
            chain.append(match.group(4))
            limit = key_col
        if match.group(2) and len(match.group(1)) < limit:
            chain.append("-")
            limit = len(match.group(1))
    return chain[::-1]


def _siblings(lines: list[str], line: int, col: int, item_here: bool) -> set[str]:
    """The keys already written beside one typed at `col` on `line` (the same mapping)."""
    found: set[str] = set()

    def key_at(text: str) -> tuple[str | None, bool, int]:
        match = _KEY_LINE.match(text)
        dash = _ITEM_ONLY.match(text)
        indent = len(text) - len(text.lstrip())
        key_col = (match.end(3) if match.group(2) else len(match.group(1))) if match else None
        is_item = bool((match and match.group(2)) or dash)
        return (match.group(4) if match and key_col == col else None), is_item, indent

    if not item_here:  # above: up to the start of this mapping (or of its list item)
        for number in range(line - 1, -1, -1):
            text = lines[number]
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            key, is_item, indent = key_at(text)
            if key:
                found.add(key)
            if is_item or indent < col:
                break
    for number in range(line + 1, len(lines)):  # below: to its end
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        key, is_item, indent = key_at(text)
        if is_item or indent < col:
            break
        if key:
            found.add(key)
    return found


def _keys(chain: list[str], names: "_Names", format: int) -> list[Item]:
    """The keys that belong in the mapping at `chain` (or the names, where it holds names)."""
    v2 = format >= 2
    if chain and chain[-1] in ("effects", "on_enter"):
        return names.effect_keys()
    if len(chain) >= 2 and chain[-2] in ("set", "clear") and chain[-1] == "-":
        return names.flags()
    if len(chain) >= 2 and chain[-2] in ("goto", "skip_to", "start"):
        return names.scenes()
    shape = tuple(chain)
    if len(shape) >= 2 and shape[0] in ("scenes", "meters"):
        shape = (shape[0], "*") + shape[2:]
    table = {
        (): HEADER_KEYS_V2 if v2 else HEADER_KEYS,
        ("meters", "*"): METER_KEYS_V2 if v2 else METER_KEYS,
        ("scenes", "*"): SCENE_KEYS_V2 if v2 else SCENE_KEYS,
        ("scenes", "*", "choices", "-"): CHOICE_KEYS_V2 if v2 else CHOICE_KEYS,
        ("scenes", "*", "ending"): ENDING_KEYS,
        ("scenes", "*", "text", "-"): TEXT_ITEM_KEYS,
        ("scenes", "*", "thought", "-"): TEXT_ITEM_KEYS,
        ("scenes", "*", "choices", "-", "text", "-"): TEXT_ITEM_KEYS,
        ("scenes", "*", "choices", "-", "locked", "-"): TEXT_ITEM_KEYS,
        ("scenes", "*", "ending", "title", "-"): TEXT_ITEM_KEYS,
    }
    keys = table.get(shape)
    if keys is None:
        return []
    if shape == () and names.included:
        keys = INCLUDED_KEYS
    return [Item(k, KEY, "required" if required else "", f"{k}: ") for k, required in keys.items()]


class _Names:
    def __init__(self, project: Project | None, path: str):
        self.project = project
        own = project.files.get(path or project.main) if project else None
        self.included = bool(own is not None and own.included)

    def _of(self, kind: str, detail) -> list[Item]:
        if self.project is None:
            return []
        return [Item(name, kind, detail(name)) for name in self.project.names(kind)]

    def scenes(self) -> list[Item]:
        def detail(name: str) -> str:
            scene = self.project.scene(name)
            if scene is None:
                return "scene"
            return f"ending: {scene.ending}" if scene.ending else (scene.title or "scene")
        return self._of(SCENE, detail)

    def meters(self) -> list[Item]:
        def detail(name: str) -> str:
            meter = self.project.meter(name)
            values = meter.values if meter else {}
            return f"meter {values.get('min') or 0}..{values.get('max') or 10}"
        return self._of(METER, detail)

    def flags(self) -> list[Item]:
        return self._of(FLAG, lambda name: "flag")

    def effect_keys(self) -> list[Item]:
        return self.meters() + [Item("set", KEY, "flags to set", "set: "), Item("clear", KEY, "flags to clear", "clear: ")]
