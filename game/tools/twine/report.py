"""The import report: what did not translate, grouped by kind with a count and the first place,
the decisions to check, and a summary line that is honest about what plays."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from game.tools.twine.model import Note


@dataclass(frozen=True)
class Group:
    kind: str
    severity: str
    notes: tuple[Note, ...]

    @property
    def count(self) -> int:
        return len(self.notes)

    @property
    def first(self) -> Note:
        return self.notes[0]


def groups(notes: list[Note]) -> list[Group]:
    """Notes by kind, warnings first, each group's notes in file order, larger groups first."""
    by_kind: OrderedDict[tuple[str, str], list[Note]] = OrderedDict()
    for note in sorted(notes, key=lambda n: (n.line, n.kind)):
        by_kind.setdefault((note.severity, note.kind), []).append(note)
    out = [Group(kind, severity, tuple(found)) for (severity, kind), found in by_kind.items()]
    return sorted(out, key=lambda g: (g.severity != "warning", -g.count, g.first.line))


def lines(notes: list[Note], path: str) -> list[str]:
    """The grouped report, one line a kind (and its first place), at most a screen or two."""
    out = []
    found = groups(notes)
    warnings = [g for g in found if g.severity == "warning"]
    decisions = [g for g in found if g.severity != "warning"]
    if warnings:
        total = sum(g.count for g in warnings)
        out.append(f"Not translated ({total} place{'s' * (total != 1)}, {len(warnings)} "
                   f"kind{'s' * (len(warnings) != 1)}; each is a comment in the story file):")
        out += [_line(g, path) for g in warnings]
    if decisions:
        out.append("Decisions to check:")
        out += [_line(g, path) for g in decisions]
    return out


def _line(group: Group, path: str) -> str:
    first = group.first
    where = f"{path}:{first.line}" + (f" ('{first.passage}')" if first.passage else "")
    detail = f": {first.detail}" if first.detail else ""
    if len(detail) > 110:
        detail = detail[:109] + "…"
    return f"  {group.count:>4} × {group.kind}, first at {where}{detail}"


def reachability(scenes: int, unreachable: int, untranslated: int, complete: bool) -> str:
    """The summary line's words about what play reaches."""
    if not complete:
        return f"{scenes} scenes; the check stopped before it had seen them all, so how many play reaches is not known"
    if unreachable == 0:
        return f"all {scenes} scenes reachable"
    why = " until the untranslated macros are handled" if untranslated else ""
    return f"{unreachable} of {scenes} scenes unreachable{why}"


def check_lines(warnings: list, path: str) -> list[str]:
    """`understood check`'s warnings on the imported story, one line a kind (by its code)."""
    if not warnings:
        return []
    by_code: OrderedDict[str, list] = OrderedDict()
    for warning in warnings:
        by_code.setdefault(warning.code, []).append(warning)
    out = [f"Check warnings ({len(warnings)}; `understood check {path}` lists each):"]
    for code, found in sorted(by_code.items(), key=lambda item: -len(item[1])):
        first = found[0]
        message = first.message if len(first.message) <= 100 else first.message[:99] + "…"
        out.append(f"  {len(found):>4} × {code}, first at {first.path}:{first.line}: {message}")
    return out
