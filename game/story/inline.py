"""The inline forms of format 2: `((…))` inside any text a player reads, parsed into a small tree.

    text    := (literal | escape | form)*
    form    := "((" body "))"
    body    := NAME                                  print a meter
             | "if" condition ":" branches           at most two branches: then | else
             | ("first" | "seq" | "cycle" | "shuffle") ":" branches
    branches:= branch ("|" branch)*
    escape  := "\\(" | "\\)" | "\\|" | "\\\\"

Our own small parser: no `eval`, no template engine, nothing that can reach a Python object.
The tree is plain data (see docs/compiled-format.md): a tuple of nodes, each a string or a tuple
whose first element names the form. Conditions inside it are `Condition` objects here and
`[source, data]` in the compiled JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import get_close_matches

from game.story.conditions import Condition

FORMS = ("if", "first", "seq", "cycle", "shuffle")
_SPACES = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r" *\n *")
MAX_DEPTH = 20
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPABLE = "()|\\"
_SPECIAL = re.compile(r"[\\(]")          # outside a form: an escape, or '(' that may open one
_SPECIAL_IN_FORM = re.compile(r"[\\()|]")

Tree = tuple  # of str | tuple nodes


class InlineError(Exception):
    """A problem in an inline form; `offset` is the 0-based index in the text where it is."""

    def __init__(self, message: str, offset: int, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


def has_markup(text: str) -> bool:
    """Whether a text needs parsing at all (a form or an escape); most texts do not."""
    return "((" in text or "\\" in text


class _Parser:
    def __init__(self, text: str, key: str, meters, condition: Callable[[str, int], Condition]):
        self.text = text
        self.key = key
        self.meters = meters
        self.condition = condition
        self.shuffles = 0

    def error(self, message: str, offset: int, hint: str = "") -> InlineError:
        return InlineError(message, offset, hint)

    # --- sequences of literal text and forms ------------------------------------------------

    def sequence(self, pos: int, in_form: bool, depth: int) -> tuple[list, int]:
        """Nodes up to the end, or (inside a form) up to an unescaped '|' or the closing '))'."""
        text, nodes, buf = self.text, [], []
        parens = 0
        end = len(text)
        special = _SPECIAL_IN_FORM if in_form else _SPECIAL
        while pos < end:
            found = special.search(text, pos)
            if found is None:
                buf.append(text[pos:])
                pos = end
                break
            at = found.start()
            if at > pos:
                buf.append(text[pos:at])
            pos = at
            char = text[pos]
            if char == "\\":
                if pos + 1 < end and text[pos + 1] in _ESCAPABLE:
                    buf.append(text[pos + 1])
                    pos += 2
                else:
                    buf.append(char)
                    pos += 1
                continue
            if text.startswith("((", pos):
                if buf:
                    nodes.append("".join(buf))
                    buf = []
                node, pos = self.form(pos, depth + 1)
                nodes.append(node)
                continue
            if in_form:
                if char == "|" and parens == 0:
                    break
                if text.startswith("))", pos) and parens == 0:
                    break
                if char == "(":
                    parens += 1
                elif char == ")" and parens:
                    parens -= 1
            buf.append(char)
            pos += 1
        if buf:
            nodes.append("".join(buf))
        return nodes, pos

    # --- one form -----------------------------------------------------------------------------

    def form(self, start: int, depth: int):
        if depth > MAX_DEPTH:
            raise self.error(f"inline forms nest more than {MAX_DEPTH} deep", start, "nest fewer forms")
        text = self.text
        pos = start + 2
        while pos < len(text) and text[pos] in " \t\n":
            pos += 1
        word = _NAME.match(text, pos)
        if word is None:
            raise self.error("'((' starts an inline form, but no form follows", start,
                             "write ((meter)), ((if condition: a | b)), ((first: a | b)), ((seq: …)), "
                             "((cycle: …)) or ((shuffle: …)); for two parentheses write \\(\\(")
        name = word.group(0)
        after = word.end()
        rest = after
        while rest < len(text) and text[rest] in " \t":
            rest += 1
        if name == "if" and rest > after:
            return self.if_form(start, rest, depth)
        if text.startswith(":", rest) and name in FORMS[1:]:
            return self.branch_form(start, name, rest + 1, depth)
        if text.startswith("))", rest):
            return self.meter(start, pos, name), rest + 2
        if text.startswith(":", rest):
            close = get_close_matches(name, FORMS, n=1)
            hint = f"did you mean '{close[0]}:'?" if close else "the forms are if, first, seq, cycle and shuffle"
            raise self.error(f"unknown inline form '{name}:'", pos, hint)
        if rest >= len(text):
            raise self._unclosed(start)
        raise self.error(f"unexpected {text[rest]!r} after '{name}' in an inline form", rest,
                         f"((name)) prints a meter; a form is written ((if cond: a | b)) or ((first: a | b))")

    def _unclosed(self, start: int) -> InlineError:
        return self.error("this '((' is never closed with '))'", start,
                          "close the form with '))', or write \\(\\( for two parentheses")

    def meter(self, start: int, pos: int, name: str):
        if name not in self.meters:
            close = get_close_matches(name, list(self.meters), n=1)
            hint = f"did you mean '{close[0]}'?" if close else \
                "((name)) prints a meter declared under 'meters:'; for parentheses in prose write \\(\\("
            raise self.error(f"((…)) names '{name}', which is not a meter", pos, hint)
        return ("meter", name)

    def branches(self, start: int, pos: int, depth: int) -> tuple[list[Tree], int]:
        out = []
        while True:
            nodes, pos = self.sequence(pos, True, depth)
            out.append(_tidy_branch(nodes))
            if pos >= len(self.text):
                raise self._unclosed(start)
            if self.text[pos] == "|":
                pos += 1
                continue
            return out, pos + 2  # past '))'

    def if_form(self, start: int, pos: int, depth: int):
        text = self.text
        colon = pos
        while colon < len(text) and text[colon] != ":" and not text.startswith("))", colon):
            colon += 1
        if colon >= len(text) or text[colon] != ":":
            raise self.error("an inline 'if' needs ':' after its condition", pos,
                             "write ((if condition: shown when true | shown otherwise))")
        source = text[pos:colon].strip()
        condition = self.condition(source, pos + (len(text[pos:colon]) - len(text[pos:colon].lstrip())))
        branches, end = self.branches(start, colon + 1, depth)
        if len(branches) > 2:
            raise self.error(f"an inline 'if' has {len(branches)} branches", start,
                             "at most two: ((if condition: when true | otherwise)); nest another 'if' for more")
        return ("if", condition, branches[0], branches[1] if len(branches) > 1 else ()), end

    def branch_form(self, start: int, name: str, pos: int, depth: int):
        key = None
        if name == "shuffle":
            key = f"{self.key}.{self.shuffles}"
            self.shuffles += 1
        branches, end = self.branches(start, pos, depth)
        if name == "first":
            if len(branches) > 2:
                raise self.error(f"'first:' has {len(branches)} branches", start,
                                 "two: ((first: on the first visit | on every later visit)); use 'seq:' for more")
            return ("first", branches[0], branches[1] if len(branches) > 1 else ()), end
        if len(branches) < 2:
            raise self.error(f"'{name}:' needs at least two branches", start,
                             f"separate them with '|': (({name}: one | two))")
        if name == "shuffle":
            return ("shuffle", key, tuple(branches)), end
        return (name, tuple(branches)), end


def _tidy_branch(nodes: list) -> Tree:
    """Spaces around '|' and after ':' are trimmed: strip the branch's ends."""
    if nodes and isinstance(nodes[0], str):
        nodes[0] = nodes[0].lstrip()
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] = nodes[-1].rstrip()
    return tuple(n for n in nodes if n != "")


def parse(text: str, key: str, meters, condition: Callable[[str, int], Condition]) -> Tree | None:
    """The tree of a text, or None when it holds no form and no escape (it is shown as written).

    `key` is the text's place in its scene (`text.0`, `choices.1.text.0`…), the prefix of its
    shuffles' keys. `condition(source, offset)` parses and resolves an `if` condition, raising
    `InlineError` at the right offset when it is wrong. Raises InlineError.
    """
    if not has_markup(text):
        return None
    nodes, _ = _Parser(text, key, meters, condition).sequence(0, False, 0)
    return tuple(nodes)


def forms(tree: Tree):
    """Every form node in a tree, outermost first (for the checker)."""
    for node in tree or ():
        if isinstance(node, tuple):
            yield node
            for branch in branches_of(node):
                yield from forms(branch)


def branches_of(node: tuple) -> tuple[Tree, ...]:
    kind = node[0]
    if kind == "if":
        return (node[2], node[3])
    if kind == "first":
        return (node[1], node[2])
    if kind in ("seq", "cycle"):
        return node[1]
    if kind == "shuffle":
        return node[2]
    return ()


def tidy(text: str) -> str:
    """The spacing rule for a rendered text with forms: runs of spaces close up, lines are trimmed."""
    return _LINE_EDGES.sub("\n", _SPACES.sub(" ", text)).strip(" \n")


def sample(tree: Tree | None, source: str) -> str:
    """One rendering of a text, every form at its first branch and meters as 0: what a
    proofreader checks spacing and quotes on."""
    if tree is None:
        return source
    out: list[str] = []

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif node[0] == "meter":
                out.append("0")
            else:
                branches = branches_of(node)
                if branches:
                    walk(branches[0])

    walk(tree)
    return tidy("".join(out))


def literal_text(tree: Tree | None, source: str) -> str:
    """Every literal piece of a text, forms' branches included (for word searches by the checker)."""
    if tree is None:
        return source
    out: list[str] = []

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            else:
                for branch in branches_of(node):
                    out.append(" ")
                    walk(branch)
                out.append(" ")

    walk(tree)
    return "".join(out)


# --- the compiled, plain-data form ------------------------------------------------------------


def to_data(tree: Tree | None, source: str) -> list:
    if tree is None:
        return [source]
    return [_node_data(n) for n in tree]


def _node_data(node):
    if isinstance(node, str):
        return node
    kind = node[0]
    if kind == "meter":
        return ["meter", node[1]]
    if kind == "if":
        cond = node[1]
        return ["if", [cond.source, cond.to_data()], to_data(node[2], ""), to_data(node[3], "")]
    if kind == "first":
        return ["first", to_data(node[1], ""), to_data(node[2], "")]
    if kind == "shuffle":
        return ["shuffle", node[1], [to_data(b, "") for b in node[2]]]
    return [kind, [to_data(b, "") for b in node[1]]]


def from_data(data: list, source: str) -> Tree | None:
    if len(data) == 1 and data[0] == source:
        return None
    return tuple(_node(n) for n in data)


def _tree(data) -> Tree:
    return tuple(_node(n) for n in data)


def _node(data):
    if isinstance(data, str):
        return data
    kind = data[0]
    if kind == "meter":
        return ("meter", str(data[1]))
    if kind == "if":
        return ("if", Condition.from_compiled(str(data[1][0]), data[1][1]), _tree(data[2]), _tree(data[3]))
    if kind == "first":
        return ("first", _tree(data[1]), _tree(data[2]))
    if kind == "shuffle":
        return ("shuffle", str(data[1]), tuple(_tree(b) for b in data[2]))
    if kind in ("seq", "cycle"):
        return (kind, tuple(_tree(b) for b in data[1]))
    raise ValueError(f"bad compiled text node: {data!r}")
