"""The condition language: a tiny tokenizer, a recursive-descent parser, and a compiler to closures.

    condition  := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand (CMP operand)?
    operand    := INT | NAME | "visited" "(" NAME ")" | "visits" "(" NAME ")" | "(" condition ")"

`visits(scene)` is a number (how many times the scene was entered); `visited(scene)` is
`visits(scene) > 0`.

Nothing here calls `eval`. Names are resolved against the story's meters, flags and scenes, so
a comparison only ever holds numbers and a bare name is only ever a flag.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Callable, Protocol

MAX_CONDITION_LENGTH = 500
MAX_DEPTH = 40

KEYWORDS = {"and", "or", "not", "visited"}
COMPARATORS: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}

_TOKEN = re.compile(
    r"\s*(?:(?P<int>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op><=|>=|==|!=|<|>)|(?P<punct>[(),])|(?P<bad>\S))"
)


class ConditionError(Exception):
    """A problem inside a condition; `offset` is the 0-based column within the condition text."""

    def __init__(self, message: str, offset: int, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # int, name, op, punct, end
    text: str
    offset: int


# Other languages' spellings, and the words a condition uses for them.
_SLIPS = {"=>": ">=", "=<": "<=", "&&": "and", "||": "or", "&": "and", "|": "or"}
_BANG = re.compile(r"!\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*\(\s*[A-Za-z0-9_]*\s*\))?)")


def _slip(source: str, start: int) -> ConditionError | None:
    """A message naming the right form for a slip from another language at `start`, if it is one."""
    two = source[start:start + 2]
    for wrong in (two, two[:1]):
        if wrong in _SLIPS:
            right = _SLIPS[wrong]
            hint = "conditions say and, or, not in words" if right.isalpha() else \
                "'>=' means at least, '<=' at most, '==' exactly, '!=' anything but"
            return ConditionError(f"'{wrong}' is written '{right}' in a condition", start, hint)
    if two[:1] == "!":
        bang = _BANG.match(source, start)
        if bang:
            return ConditionError(f"'!{bang.group(1)}' is written 'not {bang.group(1)}' in a condition", start,
                                  "conditions say and, or, not in words")
        return ConditionError("'!' alone is not a word a condition knows: write 'not'", start,
                              "conditions say and, or, not in words; '!=' means 'is not equal to'")
    if two[:1] == "=":
        return ConditionError("'=' alone sets nothing in a condition: write '==' to compare", start,
                              "'>=' is 'at least', '<=' is 'at most', '==' is 'exactly'")
    return None


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:  # only trailing whitespace is left
            break
        kind = match.lastgroup
        text = match.group(kind)
        start = match.start(kind)
        if kind == "bad":
            raise _slip(source, start) or ConditionError(
                f"unexpected character {text!r} in condition", start,
                "conditions hold names, numbers, comparisons, and/or/not, and visited(scene)")
        tokens.append(Token(kind, text, start))
        pos = match.end()
    tokens.append(Token("end", "", len(source.rstrip())))
    return tokens


# --- the syntax tree --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Num:
    value: int
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Name:
    """A meter or a flag; `kind` is filled in by `resolve`."""

    name: str
    offset: int = 0
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Visited:
    scene: str
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Visits:
    """How many times a scene was entered: a number."""

    scene: str
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Not:
    operand: "Node"
    offset: int = 0


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple["Node", ...]
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: "Node"
    right: "Node"
    offset: int = 0


Node = Num | Name | Visited | Visits | Not | BoolOp | Compare


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str, hint: str) -> Token:
        if self.current.text != text:
            found = self.current.text or "the end of the condition"
            raise ConditionError(f"expected {text!r} but found {found!r}", self.current.offset, hint)
        return self.advance()

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise ConditionError("empty condition", 0, "write a condition such as 'trust >= 4', or remove 'if'")
        node = self.or_expr()
        if self.current.kind != "end":
            raise ConditionError(
                f"unexpected {self.current.text!r} after a complete condition",
                self.current.offset,
                "join conditions with 'and' or 'or'",
            )
        return node

    def nested(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError("condition is nested too deeply", offset, f"at most {MAX_DEPTH} levels")

    def or_expr(self) -> Node:
        start = self.current.offset
        operands = [self.and_expr()]
        while self.current.text == "or":
            self.advance()
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands), start)

    def and_expr(self) -> Node:
        start = self.current.offset
        operands = [self.not_expr()]
        while self.current.text == "and":
            self.advance()
            operands.append(self.not_expr())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands), start)

    def not_expr(self) -> Node:
        if self.current.text == "not":
            token = self.advance()
            self.nested(token.offset)
            operand = self.not_expr()
            self.depth -= 1
            return Not(operand, token.offset)
        return self.comparison()

    def comparison(self) -> Node:
        start = self.current.offset
        left = self.operand()
        if self.current.kind == "op":
            op = self.advance().text
            right = self.operand()
            if self.current.kind == "op":
                raise ConditionError(
                    "comparisons cannot be chained", self.current.offset, "write 'a < b and b < c'"
                )
            return Compare(op, left, right, start)
        return left

    def operand(self) -> Node:
        token = self.current
        if token.kind == "int":
            self.advance()
            return Num(int(token.text), token.offset)
        if token.kind == "name":
            if token.text == "visited":
                self.advance()
                self.expect("(", "write visited(scene_name)")
                scene = self.current
                if scene.kind != "name" or scene.text in KEYWORDS:
                    raise ConditionError("visited() needs a scene name", scene.offset, "write visited(scene_name)")
                self.advance()
                self.expect(")", "visited() takes one scene name")
                return Visited(scene.text, token.offset)
            if token.text == "visits" and self.tokens[self.index + 1].text == "(":
                self.advance()
                self.advance()
                scene = self.current
                if scene.kind != "name" or scene.text in KEYWORDS:
                    raise ConditionError("visits() needs a scene name", scene.offset, "write visits(scene_name)")
                self.advance()
                self.expect(")", "visits() takes one scene name")
                return Visits(scene.text, token.offset)
            if token.text in KEYWORDS:
                raise ConditionError(
                    f"'{token.text}' needs something before it", token.offset, "a condition cannot start with and/or"
                )
            self.advance()
            return Name(token.text, token.offset)
        if token.text == "(":
            self.advance()
            self.nested(token.offset)
            node = self.or_expr()
            self.depth -= 1
            self.expect(")", "close the parenthesis opened earlier")
            return node
        if token.kind == "end":
            raise ConditionError("the condition ends too soon", token.offset, "something is missing at the end")
        raise ConditionError(f"unexpected {token.text!r}", token.offset, "expected a name, a number or '('")


def parse(source: str) -> Node:
    """Parse a condition into an unresolved syntax tree, or raise ConditionError."""
    if len(source) > MAX_CONDITION_LENGTH:
        raise ConditionError(
            f"condition is longer than {MAX_CONDITION_LENGTH} characters", 0, "split it across scenes or flags"
        )
    return _Parser(source).parse()


# --- resolution against the story's names -------------------------------------------------------


def _suggest(name: str, options) -> str:
    close = get_close_matches(name, list(options), n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def resolve(node: Node, meters, flags, scenes) -> Node:
    """Type-check a tree against the declared names; return it with every Name's kind set."""

    def number(n: Node) -> Node:
        if isinstance(n, Num):
            return n
        if isinstance(n, Visits):
            return scene_named(n, "visits")
        if isinstance(n, Name):
            if n.name in meters:
                return Name(n.name, n.offset, "meter")
            if n.name in flags:
                raise ConditionError(
                    f"'{n.name}' is a flag, which is on or off, and cannot be compared",
                    n.offset,
                    f"test it alone: '{n.name}' or 'not {n.name}'",
                )
            raise ConditionError(
                f"unknown meter '{n.name}' in condition",
                n.offset,
                " ".join(filter(None, [_suggest(n.name, meters), "Meters are declared under 'meters:'."])),
            )
        if isinstance(n, Visited):
            raise ConditionError(f"visited({n.scene}) is yes or no, not a number, and cannot be compared", n.offset,
                                 f"to count the visits, write visits({n.scene}), e.g. 'visits({n.scene}) > 1'")
        raise ConditionError("only meters and whole numbers can be compared", n.offset, "compare a meter with a number")

    def scene_named(n, what: str):
        if n.scene not in scenes:
            raise ConditionError(
                f"{what}() names an unknown scene '{n.scene}'",
                n.offset,
                _suggest(n.scene, scenes) or "name a scene under 'scenes:'",
            )
        return n

    def truth(n: Node) -> Node:
        if isinstance(n, Name):
            if n.name in flags:
                return Name(n.name, n.offset, "flag")
            if n.name in meters:
                raise ConditionError(
                    f"meter '{n.name}' is a number, not a condition", n.offset, f"compare it, e.g. '{n.name} > 0'"
                )
            raise ConditionError(
                f"unknown flag '{n.name}' in condition",
                n.offset,
                " ".join(filter(None, [_suggest(n.name, list(flags) + list(meters)), "Flags are declared under 'flags:'."])),
            )
        if isinstance(n, Num):
            raise ConditionError("a number alone is not a condition", n.offset, "compare it with a meter")
        if isinstance(n, Visited):
            return scene_named(n, "visited")
        if isinstance(n, Visits):
            raise ConditionError(f"visits({n.scene}) is a number, not a condition", n.offset,
                                 f"compare it, e.g. 'visits({n.scene}) >= 2', or write 'visited({n.scene})'")
        if isinstance(n, Not):
            return Not(truth(n.operand), n.offset)
        if isinstance(n, BoolOp):
            return BoolOp(n.op, tuple(truth(o) for o in n.operands), n.offset)
        for side, other in ((n.left, n.right), (n.right, n.left)):
            if isinstance(side, Visited) and isinstance(other, Num):  # visited(x) > 1: visits(x) was meant
                fix = f"visits({side.scene}) {n.op} {other.value}" if side is n.left else \
                    f"{other.value} {n.op} visits({side.scene})"
                raise ConditionError(f"visited({side.scene}) is yes or no, not a number: write '{fix}'",
                                     side.offset, f"visits({side.scene}) counts how many times the scene was entered")
        return Compare(n.op, number(n.left), number(n.right), n.offset)

    return truth(node)


# --- compilation: a tree becomes a closure over a game state ------------------------------------


class StateView(Protocol):
    meters: dict[str, int]
    flags: set[str] | frozenset[str]
    visits: dict[str, int]


def compile_node(node: Node) -> Callable[[StateView], bool]:
    if isinstance(node, Name):
        name = node.name
        return lambda s: name in s.flags
    if isinstance(node, Visited):
        scene = node.scene
        return lambda s: s.visits.get(scene, 0) > 0
    if isinstance(node, Not):
        inner = compile_node(node.operand)
        return lambda s: not inner(s)
    if isinstance(node, BoolOp):
        parts = tuple(compile_node(o) for o in node.operands)
        if node.op == "and":
            return lambda s: all(p(s) for p in parts)
        return lambda s: any(p(s) for p in parts)
    if isinstance(node, Compare):
        left, right = node.left, node.right
        if isinstance(left, Name) and isinstance(right, Num) and node.op in _METER_AGAINST:
            # the common guard, a meter against a number: one closure, shared by every condition
            # that makes the same comparison (a long story's guards stay few and in the CPU's cache)
            key = (node.op, left.name, right.value)
            found = _SHARED.get(key)
            if found is None:
                if len(_SHARED) >= 4096:
                    _SHARED.clear()
                found = _SHARED[key] = _METER_AGAINST[node.op](left.name, right.value)
            return found
        compare = COMPARATORS[node.op]
        left, right = _number(left), _number(right)
        return lambda s: compare(left(s), right(s))
    raise TypeError(f"not a condition node: {node!r}")


# A meter against a number, as one comparison (what `compare(left(s), right(s))` does, without
# two calls for its sides), by operator.
_METER_AGAINST: dict[str, Callable[[str, int], Callable[[StateView], bool]]] = {
    "<": lambda name, value: lambda s: s.meters[name] < value,
    "<=": lambda name, value: lambda s: s.meters[name] <= value,
    ">": lambda name, value: lambda s: s.meters[name] > value,
    ">=": lambda name, value: lambda s: s.meters[name] >= value,
    "==": lambda name, value: lambda s: s.meters[name] == value,
    "!=": lambda name, value: lambda s: s.meters[name] != value,
}
_SHARED: dict[tuple[str, str, int], Callable[[StateView], bool]] = {}


def _number(node: Node) -> Callable[[StateView], int]:
    if isinstance(node, Num):
        value = node.value
        return lambda s: value
    if isinstance(node, Visits):
        scene = node.scene
        return lambda s: s.visits.get(scene, 0)
    name = node.name
    return lambda s: s.meters[name]


def names_in(node: Node) -> tuple[set[str], set[str], set[str]]:
    """The meters, flags and scenes a resolved tree reads: (meters, flags, scenes)."""
    meters: set[str] = set()
    flags: set[str] = set()
    scenes: set[str] = set()

    def walk(n: Node) -> None:
        if isinstance(n, Name):
            (meters if n.kind == "meter" else flags).add(n.name)
        elif isinstance(n, (Visited, Visits)):
            scenes.add(n.scene)
        elif isinstance(n, Not):
            walk(n.operand)
        elif isinstance(n, BoolOp):
            for o in n.operands:
                walk(o)
        elif isinstance(n, Compare):
            walk(n.left)
            walk(n.right)

    walk(node)
    return meters, flags, scenes


# --- the compiled, plain-data form (for the cache) ----------------------------------------------


def to_data(node: Node) -> list:
    if isinstance(node, Num):
        return ["num", node.value]
    if isinstance(node, Name):
        return [node.kind or "name", node.name]
    if isinstance(node, Visited):
        return ["visited", node.scene]
    if isinstance(node, Visits):
        return ["visits", node.scene]
    if isinstance(node, Not):
        return ["not", to_data(node.operand)]
    if isinstance(node, BoolOp):
        return [node.op, *(to_data(o) for o in node.operands)]
    return ["cmp", node.op, to_data(node.left), to_data(node.right)]


def from_data(data: list) -> Node:
    tag = data[0]
    if tag == "num":
        return Num(int(data[1]))
    if tag in ("meter", "flag"):
        return Name(str(data[1]), 0, tag)
    if tag == "visited":
        return Visited(str(data[1]))
    if tag == "visits":
        return Visits(str(data[1]))
    if tag == "not":
        return Not(from_data(data[1]))
    if tag in ("and", "or"):
        return BoolOp(tag, tuple(from_data(d) for d in data[1:]))
    if tag == "cmp" and data[1] in COMPARATORS:
        return Compare(data[1], from_data(data[2]), from_data(data[3]))
    raise ValueError(f"bad compiled condition: {data!r}")


class Condition:
    """A parsed and resolved condition, with its source text for display.

    It compiles to a closure on first use, and one rebuilt from the cache parses its tree on
    first use too: a large story loads fast, and only the conditions a game meets are compiled.
    Treat it as immutable; the lazy fields are caches.
    """

    __slots__ = ("source", "_tree", "_data", "_test")

    def __init__(self, source: str, tree: Node | None = None, data: list | None = None):
        self.source = source
        self._tree = tree
        self._data = data
        self._test: Callable[[StateView], bool] | None = None

    @classmethod
    def build(cls, source: str, tree: Node) -> "Condition":
        return cls(source, tree)

    @classmethod
    def from_compiled(cls, source: str, data: list) -> "Condition":
        if not isinstance(data, list) or not data:
            raise ValueError("bad compiled condition")
        return cls(source, None, data)

    @property
    def tree(self) -> Node:
        if self._tree is None:
            self._tree = from_data(self._data)
        return self._tree

    @property
    def test(self) -> Callable[[StateView], bool]:
        if self._test is None:
            self._test = compile_node(self.tree)
        return self._test

    def __call__(self, state: StateView) -> bool:
        test = self._test or self.test
        return test(state)

    def names(self) -> tuple[set[str], set[str], set[str]]:
        return names_in(self.tree)

    def to_data(self) -> list:
        return self._data if self._tree is None else to_data(self._tree)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Condition) and other.source == self.source and other.to_data() == self.to_data()

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"
