"""Twine variables as meters and flags.

A variable only ever given whole numbers (or moved by whole numbers) is a meter; one only ever
given true or false is a flag. Meters here are bounded and Twine's are not, so the bounds are
the smallest and largest numbers the story gives or compares the variable with (and 0 to 10 at
least), and the report says so. A variable only ever given written-out text (`"calm"`, `"angry"`)
is one flag a value (`mood_calm`, `mood_angry`): setting it sets one and clears the others, `is
"calm"` tests one, and printing it shows the value whose flag is on. A variable given both, or
computed text, has no equivalent and is reported."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from game.tools.twine.expr import Untranslatable, assignment, split_parts
from game.tools.twine.model import IfChain, Link, LinkAction, Note, SetMacro

RESERVED = {"and", "or", "not", "visited", "visits", "set", "clear"}


def identifier(text: str, taken: set[str], prefix: str = "p") -> str:
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)       # camelCase -> camel_case
    base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60].strip("_") or prefix
    if not base[0].isalpha():
        base = f"{prefix}_{base}"[:60]
    if base in RESERVED:
        base += "_"
    name, n = base, 2
    while name in taken:
        name = f"{base}_{n}"
        n += 1
    taken.add(name)
    return name


@dataclass
class Variable:
    raw: str
    kinds: set[str] = field(default_factory=set)      # number, bool, text
    numbers: set[int] = field(default_factory=set)
    texts: dict[str, str] = field(default_factory=dict)   # a text value -> its flag's name
    start: int | bool | str | None = None
    name: str = ""
    first_line: int = 1
    passage: str = ""

    @property
    def kind(self) -> str:
        if self.kinds == {"text"}:
            return "string"
        if "text" in self.kinds:
            return "mixed"
        if self.kinds == {"bool"}:
            return "flag"
        if "number" in self.kinds and "bool" not in self.kinds:
            return "meter"
        if not self.kinds:
            return "meter"
        return "mixed"


class Registry:
    """Every variable the story sets or reads, and the passages' scene ids (for visited())."""

    def __init__(self, notes: list[Note]):
        self.notes = notes
        self.vars: dict[str, Variable] = {}
        self.taken: set[str] = set()
        self.scenes: dict[str, str] = {}

    def observe(self, raw: str, value, line: int, passage: str, start: bool = False) -> None:
        var = self.vars.get(raw)
        if var is None:
            var = self.vars[raw] = Variable(raw, first_line=line, passage=passage)
        if isinstance(value, bool):
            var.kinds.add("bool")
        elif value[0] == "text":
            var.kinds.add("text")
        else:
            var.kinds.add("number")
            if value[0] == "=":
                var.numbers.add(value[1])
        if start and (isinstance(value, bool) or value[0] in ("=", "text")):
            var.start = value if isinstance(value, bool) else value[1]

    # the Names protocol of expr.py

    def kind_of(self, raw: str, wanted: str) -> str | None:
        var = self.vars.get(raw)
        if var is None:
            var = self.vars[raw] = Variable(raw, {{"flag": "bool", "string": "text"}.get(wanted, "number")})
            starting = {"flag": "false", "string": "no value"}.get(wanted, "0")
            self.notes.append(Note(1, "", "variable read but never set where the importer can see",
                                   f"{raw} became a {wanted}, starting at {starting}", "note"))
        kind = var.kind
        return kind if kind in ("meter", "flag") else kind

    def name_of(self, raw: str) -> str:
        var = self.vars[raw]
        if not var.name:
            var.name = identifier(raw.lstrip("$_"), self.taken, "v")
        return var.name

    def value_flag(self, raw: str, value: str) -> str:
        """The flag that says the text variable `raw` holds `value`."""
        var = self.vars[raw]
        if value not in var.texts:
            var.texts[value] = identifier(f"{raw.lstrip('$_')}_{value}"[:60], self.taken, "v")
        var.name = var.name or raw
        return var.texts[value]

    def scene_of(self, passage: str) -> str | None:
        return self.scenes.get(passage)

    def seen_number(self, raw: str, value: int) -> None:
        self.vars[raw].numbers.add(value)

    # at the end

    def declared(self) -> tuple[list[dict], list[dict]]:
        """(meters, flags) as the emitter writes them, for the variables the story uses."""
        meters, flags = [], []
        for raw, var in sorted(self.vars.items()):
            if not var.name:
                continue   # set but never used in a translated place
            if var.kind == "meter":
                start = var.start if isinstance(var.start, int) and not isinstance(var.start, bool) else 0
                values = var.numbers | {start}
                low, high = min(0, *values), max(10, *values)
                meters.append({"name": var.name, "raw": raw, "start": start, "min": low, "max": high})
                self.notes.append(Note(var.first_line, var.passage, "meter bounds chosen from the values seen",
                                       f"{raw} became the meter '{var.name}' from {low} to {high}, starting at "
                                       f"{start}; Twine has no bounds, so check them", "note"))
            elif var.kind == "flag":
                flags.append({"name": var.name, "raw": raw, "start": var.start is True})
            elif var.kind == "string":
                for value, name in var.texts.items():
                    flags.append({"name": name, "raw": raw, "start": var.start == value, "value": value})
                self.notes.append(Note(var.first_line, var.passage, "text variable as one flag a value",
                                       f"{raw}: {', '.join(repr(v) for v in var.texts)}", "note"))
        return meters, flags


def observe(nodes: dict[str, list], registry: Registry, startup: set[str]) -> None:
    """Every assignment in the story, so each variable's kind is known before any is translated;
    the top-level sets of startup passages give the start values."""

    def visit(items: list, passage: str, top: bool) -> None:
        for node in items:
            if isinstance(node, SetMacro):
                for part in node.parts:
                    try:
                        var, value = assignment(part)
                    except Untranslatable:
                        continue
                    registry.observe(var, value, node.line, passage, start=top and passage in startup)
            elif isinstance(node, Link) and node.setter:
                visit([SetMacro(split_parts(node.setter), node.line, node.setter)], passage, False)
            elif isinstance(node, LinkAction):
                visit(node.body, passage, False)
            elif isinstance(node, IfChain):
                for branch in node.branches:
                    visit(branch.body, passage, False)

    for name, items in nodes.items():
        visit(items, name, True)
