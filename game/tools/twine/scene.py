"""A scene as the importer builds it, before it is written: paragraphs of pieces that carry
their conditions, choices with conditions and effects, and what runs on entering; with the small
rules for putting conditions and effects together."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from game.tools.twine.model import Passage


@dataclass(frozen=True)
class Meter:
    """A meter's value printed in text: `((name))`."""
    name: str


@dataclass(frozen=True)
class Choose:
    """A text variable printed in text: the value whose flag is on."""
    raw: str


@dataclass
class Segment:
    cond: tuple[str, ...]
    piece: str | Meter | Choose


@dataclass
class Choice:
    text: str
    target: str          # a passage name
    line: int
    cond: tuple[str, ...] = ()
    effects: dict = field(default_factory=dict)   # raw variable -> ("=", n) | ("+", n) | bool
    origin: str = "link"  # link, goto, action, in-place, reveal
    lost: bool = False    # behind a condition that could not be translated


@dataclass
class Scene:
    id: str
    passage: Passage
    paragraphs: list[list[Segment]] = field(default_factory=lambda: [[]])
    choices: list[Choice] = field(default_factory=list)
    entry: dict = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    placeholder: bool = False
    restarts: int = 0
    title: str = ""      # the place's name when it is not the passage's (a link's reveal)
    stats: Counter = field(default_factory=Counter)   # conditional texts and choices
    kept: set = field(default_factory=set)            # (passage, line) of each if kept here
    reveal_depth: int = 0                             # how many revealing links led here within a passage


def combine(effects: dict, var: str, value) -> None:
    """Two sets in a row as one effect: +a then +b is +(a+b); =a then +b is =(a+b); the last = wins."""
    before = effects.get(var)
    if isinstance(value, tuple) and value[0] == "+" and isinstance(before, tuple):
        effects[var] = (before[0], before[1] + value[1])
    else:
        effects[var] = value


def wrap(condition: str) -> str:
    """The condition in parentheses when it has an `or` of its own (outside any parentheses)."""
    depth = 0
    for i, char in enumerate(condition):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and condition.startswith(" or ", i):
            return f"({condition})"
    return condition


_OPPOSITE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_COMPARISON = re.compile(r"([a-z]\w*(?:\([a-z]\w*\))?) (<=|>=|==|!=|<|>) (-?\d+|[a-z]\w*)")


def negate(condition: str) -> str:
    comparison = _COMPARISON.fullmatch(condition)
    if comparison:
        return f"{comparison.group(1)} {_OPPOSITE[comparison.group(2)]} {comparison.group(3)}"
    if re.fullmatch(r"not [a-z]\w*", condition):
        return condition[4:]
    inner = re.fullmatch(r"not \((.*)\)", condition)
    if inner and _balanced(inner.group(1)):
        return inner.group(1)
    return f"not {condition}" if re.fullmatch(r"[a-z]\w*", condition) else f"not ({condition})"


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
