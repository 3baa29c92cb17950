"""Twine expressions (SugarCube's TwineScript and Harlowe's) parsed into a small tree, and the
parts this format can say rendered in its condition language (game/story/conditions.py).

What maps exactly: comparisons of numbers and number variables (`is`, `eq`, `neq`, `gt`, `gte`,
`lt`, `lte`, `==`, `===`, `!=`, `>`, `>=`, `<`, `<=`, Harlowe's `is not`), true/false variables and
their tests (`$x`, `$x is true`, `not $x`), `and`/`or`/`not` (and `&&`, `||`, `!`), parentheses,
and the visit tests `visited("P")`, `hasVisited("P")`, `(visited: "P")`, `(history:) contains "P"`,
and the current passage's visit count (SugarCube's `visited()`, Harlowe's `visits`).
Anything else (text values, arithmetic, random numbers, arrays, temporary variables, JavaScript)
raises `Untranslatable` with the reason, and the caller reports it."""

from __future__ import annotations

import json
import re
from typing import Protocol


class Untranslatable(Exception):
    """An expression with no exact equivalent; the message says why, for the report."""


_TOKEN = re.compile(r"""\s*(?:
    (?P<var>\$[A-Za-z_]\w*)
  | (?P<temp>(?<![\w$])_[A-Za-z]\w*)
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<hmacro>\((?:history|visited|visits|random|either|a|array|dm|datamap|ds|dataset|count|
                  num|number|str|string|text|passage|range|round|floor|ceil|abs|min|max|cond)\s*:)
  | (?P<op>===|!==|==|!=|>=|<=|&&|\|\||[<>()!+\-*/%,.\[\]])
  | (?P<word>[A-Za-z_]\w*)
  | (?P<bad>\S)
)""", re.X)

WORD_OPS = {"is": "==", "eq": "==", "isnot": "!=", "neq": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=",
            "==": "==", "===": "==", "!=": "!=", "!==": "!=", ">": ">", ">=": ">=", "<": "<", "<=": "<="}
FLIP = {"==": "==", "!=": "!=", ">": "<", ">=": "<=", "<": ">", "<=": ">="}


def tokens(source: str) -> list[tuple[str, str]]:
    out = []
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup
        if kind is None:
            continue
        out.append((kind, match.group(kind)))
    return out


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.tokens = tokens(source)
        self.i = 0

    def peek(self, offset: int = 0) -> tuple[str, str]:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.i += 1
        return token

    def parse(self):
        node = self.or_()
        if self.peek()[0] != "end":
            raise Untranslatable(f"'{self.peek()[1]}' in it is more than a comparison")
        return node

    def or_(self):
        node = self.and_()
        while self.peek()[1] in ("or", "||"):
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.peek()[1] in ("and", "&&"):
            self.take()
            node = ("and", node, self.not_())
        return node

    def not_(self):
        if self.peek()[1] in ("not", "!"):
            self.take()
            return ("not", self.not_())
        return self.compare()

    def compare(self):
        left = self.atom()
        text = self.peek()[1]
        if text == "is" and self.peek(1)[1] == "not":        # Harlowe: `is not`
            self.take()
            self.take()
            op = "!="
        elif text == "is" and self.peek(1)[1] in ("<", "<=", ">", ">="):   # `is >= 6`, as written in the wild
            self.take()
            op = self.take()[1]
        elif text in WORD_OPS:
            self.take()
            op = WORD_OPS[text]
        elif text == "contains" and left == ("history",):
            self.take()
            kind, value = self.take()
            if kind != "str":
                raise Untranslatable("(history:) contains something other than a passage name")
            return ("visited", _string(value))
        elif text in ("contains", "is in", "in", "matches"):
            raise Untranslatable(f"'{text}' tests a collection")
        else:
            return left
        return ("cmp", op, left, self.atom())

    def atom(self):
        kind, text = self.take()
        if kind == "op" and text == "(":
            node = self.or_()
            if self.take()[1] != ")":
                raise Untranslatable("unbalanced parentheses")
            return node
        if kind == "op" and text == "-" and self.peek()[0] == "num":
            return ("num", -self._number(self.take()[1]))
        if kind == "var":
            if self.peek()[1] in (".", "[") or self.peek()[1] == "'s" or self.peek()[1] in ("+", "-", "*", "/", "%"):
                raise Untranslatable(f"{text} is used in arithmetic or as a collection")
            return ("var", text)
        if kind == "temp":
            raise Untranslatable(f"{text} is a temporary variable")
        if kind == "num":
            if self.peek()[1] in ("+", "-", "*", "/", "%"):
                raise Untranslatable("it computes a number")
            return ("num", self._number(text))
        if kind == "str":
            return ("str", _string(text))
        if kind == "word" and text in ("true", "false"):
            return ("bool", text == "true")
        if kind == "word" and text == "visited" and self.peek()[1] == "(" and self.peek(1)[1] == ")":
            self.take()
            self.take()
            return ("visits", None)                    # SugarCube: visits to the current passage
        if kind == "word" and text in ("visits", "visit") and self.peek()[1] not in ("(", "."):
            return ("visits", None)                    # Harlowe: visits to the current passage
        if kind == "word" and text in ("visited", "hasVisited") and self.peek()[1] == "(":
            self.take()
            name = self.take()
            close = self.take()
            if name[0] != "str" or close[1] != ")":
                raise Untranslatable(f"{text}() without a single passage name")
            return ("visits", _string(name[1])) if text == "visited" else ("visited", _string(name[1]))
        if kind == "hmacro":
            macro = text[1:-1].strip()
            if macro == "history" and self.take()[1] == ")":
                return ("history",)
            if macro == "visited":
                name = self.take()
                if name[0] == "str" and self.take()[1] == ")":
                    return ("visited", _string(name[1]))
            raise Untranslatable(f"({macro}:) has no equivalent here")
        if kind == "word":
            raise Untranslatable(f"'{text}' is JavaScript or a macro with no equivalent here")
        raise Untranslatable(f"'{text}' cannot be read here")

    @staticmethod
    def _number(text: str) -> int:
        if "." in text:
            raise Untranslatable(f"{text} is not a whole number")
        return int(text)


def _nesting(source: str) -> int:
    depth = deepest = 0
    for char in source:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    return deepest


def _string(token: str) -> str:
    if token.startswith('"'):
        try:
            return json.loads(token)
        except ValueError:
            return token[1:-1]
    return token[1:-1].replace("\\'", "'")


MAX_SOURCE = 2000


def parse(source: str):
    if not source.strip():
        raise Untranslatable("it is empty")
    if len(source) > MAX_SOURCE or _nesting(source) > 40:
        raise Untranslatable("it is too long or too deeply nested")
    return _Parser(source).parse()


class Names(Protocol):
    """What the renderer needs to know about variables and passages."""

    def kind_of(self, var: str, wanted: str) -> str | None: ...     # "meter", "flag", "string" or None
    def name_of(self, var: str) -> str: ...
    def scene_of(self, passage: str) -> str | None: ...
    def seen_number(self, var: str, value: int) -> None: ...
    def value_flag(self, var: str, value: str) -> str: ...


def render(node, names: Names) -> str:
    """Our condition text for `node`, or Untranslatable."""
    kind = node[0]
    if kind == "or":
        return f"{_group(node[1], names, 'or')} or {_group(node[2], names, 'or')}"
    if kind == "and":
        return f"{_group(node[1], names, 'and')} and {_group(node[2], names, 'and')}"
    if kind == "not":
        inner = render(node[1], names)
        return f"not {inner}" if re.fullmatch(r"[a-z]\w*", inner) else f"not ({inner})"
    if kind == "var":
        var_kind = names.kind_of(node[1], "flag")
        if var_kind == "flag":
            return names.name_of(node[1])
        if var_kind == "meter":
            return f"{names.name_of(node[1])} != 0"
        raise Untranslatable(f"{node[1]} holds text")
    if kind in ("visited", "visits"):
        scene = names.scene_of(node[1])
        if scene is None:
            raise Untranslatable(f"the passage '{node[1]}' is not a scene here")
        return f"visited({scene})" if kind == "visited" else f"visits({scene}) > 0"
    if kind == "bool":
        raise Untranslatable("it is always true or always false")
    if kind == "cmp":
        return _compare(node[1], node[2], node[3], names)
    raise Untranslatable("it is a value, not a test")


def _group(node, names: Names, within: str) -> str:
    text = render(node, names)
    return f"({text})" if node[0] == "or" and within == "and" else text


def _compare(op: str, left, right, names: Names) -> str:
    if left[0] == "bool" and right[0] == "var":
        left, right = right, left
    if right[0] == "bool" and left[0] == "var":
        if names.kind_of(left[1], "flag") != "flag" or op not in ("==", "!="):
            raise Untranslatable(f"{left[1]} is compared with true/false but is not true/false")
        name = names.name_of(left[1])
        return name if right[1] == (op == "==") else f"not {name}"
    if left[0] == "num" and right[0] in ("var", "visits"):
        left, right, op = right, left, FLIP[op]
    if left[0] in ("var", "visits") and right[0] in ("num", "var"):
        if left[0] == "visits":
            scene = names.scene_of(left[1])
            if scene is None:
                raise Untranslatable(f"the passage '{left[1]}' is not a scene here")
            text = f"visits({scene})"
        else:
            if names.kind_of(left[1], "meter") != "meter":
                raise Untranslatable(f"{left[1]} is compared as a number but does not hold one")
            text = names.name_of(left[1])
        if right[0] == "num":
            if left[0] == "var":
                names.seen_number(left[1], right[1])
            return f"{text} {op} {right[1]}"
        if names.kind_of(right[1], "meter") != "meter":
            raise Untranslatable(f"{right[1]} is compared as a number but does not hold one")
        return f"{text} {op} {names.name_of(right[1])}"
    if left[0] == "str" and right[0] == "var":
        left, right = right, left
    if left[0] == "var" and right[0] == "str":
        if names.kind_of(left[1], "string") != "string" or op not in ("==", "!="):
            raise Untranslatable(f"it compares {left[1]} with text in a way no flag can say")
        flag = names.value_flag(left[1], right[1])
        return flag if op == "==" else f"not {flag}"
    if "str" in (left[0], right[0]):
        raise Untranslatable("it compares text")
    raise Untranslatable("it compares values this format has no numbers for")


# --- assignments ------------------------------------------------------------------------------------

_ASSIGN = re.compile(r"^\s*(?P<var>[$_][A-Za-z_]\w*)\s*(?:(?P<op>to|=|\+=|-=)\s*(?P<value>.+?)|(?P<step>\+\+|--))\s*$", re.S)
_PUT = re.compile(r"^\s*(?P<value>.+?)\s+into\s+(?P<var>[$_][A-Za-z_]\w*)\s*$", re.S)


def assignment(part: str, harlowe_put: bool = False):
    """(variable, value) for one assignment, where value is ('=', n), ('+', n), a bool, ('text', s),
    or Untranslatable."""
    match = _PUT.match(part) if harlowe_put else _ASSIGN.match(part)
    if not match:
        raise Untranslatable("it is not a plain assignment")
    var = match.group("var")
    if var.startswith("_"):
        raise Untranslatable(f"{var} is a temporary variable")
    op = (match.groupdict().get("step") or match.groupdict().get("op") or "to")
    value = (match.group("value") or "").strip()
    if op in ("++", "--"):
        return var, ("+", 1 if op == "++" else -1)
    if op in ("+=", "-="):
        if re.fullmatch(r"\d+", value):
            return var, ("+", int(value) if op == "+=" else -int(value))
        raise Untranslatable(f"{var} {op} {value} adds a computed value")
    if re.fullmatch(r"-?\d+", value):
        return var, ("=", int(value))
    if value in ("true", "false"):
        return var, value == "true"
    own = rf"(?:it|{re.escape(var)})"
    relative = re.fullmatch(rf"{own}\s*([+-])\s*(\d+)", value)
    if relative:
        amount = int(relative.group(2))
        return var, ("+", amount if relative.group(1) == "+" else -amount)
    relative = re.fullmatch(rf"(\d+)\s*\+\s*{own}", value)
    if relative:
        return var, ("+", int(relative.group(1)))
    if re.fullmatch(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", value):
        return var, ("text", _string(value))
    if "random" in value or "either" in value:
        raise Untranslatable(f"{var} gets a random value")
    raise Untranslatable(f"{var} gets a computed value ({' '.join(value.split())[:60]})")


def split_parts(text: str, separators: str = ",;") -> list[str]:
    """Top-level comma- or semicolon-separated parts, ignoring those inside brackets and strings."""
    parts, depth, quote, current = [], 0, "", []
    for char in text:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char in separators and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def strings(body: str) -> list[str]:
    return [_string(s) for s in re.findall(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", body)]
