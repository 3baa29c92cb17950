"""Harlowe 3 passage text parsed into the shared nodes (game/tools/twine/model.py).

Macros are `(name: args)`, names read without case, `-` or `_` (`(else-if:)` is `(elseif:)`);
a changer attaches to the hook `[…]` right after it. Translated: `(set:)`, `(put:)`,
`(if:)`/`(unless:)`/`(else-if:)`/`(else:)` chains (an `(else:)` finds the chain before it across
white space), `(link-goto:)`, `(link:)`/`(link-reveal:)`/`(link-repeat:)` with a hook,
`(link-reveal-goto:)`, `(goto:)`, `(display:)`, `(print:)`, `(restart:)`/`(reload:)`, bare and
named hooks (`|name>[…]`, `[…]<name|`, their text kept), styling changers (their text kept,
unstyled), `{…}` whitespace collapsing, `$x` and `_x` in text."""

from __future__ import annotations

import re

from game.tools.twine import markup
from game.tools.twine.expr import split_parts, strings
from game.tools.twine.links import split_link
from game.tools.twine.model import (Branch, Code, Goto, IfChain, Include, Link, LinkAction, Newline, Passage,
                                    Print, Restart, SetMacro, Text)

_MACRO = re.compile(r"\(([A-Za-z][\w-]*):")
_NAMED_OPEN = re.compile(r"\|[\w-]+>\[")
_NAMED_CLOSE = re.compile(r"\]<[\w-]+\|")
_VAR = re.compile(r"(?:\$[A-Za-z_]|_[A-Za-z])\w*(?:'s\s+[\w$]+)*")
_TEXT = re.compile(r"[^\n\x1e\x1f\[\]()$_{}|]+")
_PUT = re.compile(r"^\s*(?P<value>.+?)\s+into\s+(?P<var>[$_][A-Za-z_]\w*)\s*$", re.S)

HOOKLESS = {"set", "put", "move", "print", "goto", "linkgoto", "display", "restart", "reload", "undo", "linkundo",
            "clickgoto", "mouseovergoto", "alert", "prompt", "confirm", "gotourl", "openurl", "stop", "save",
            "savegame", "loadgame", "a", "array", "dm", "datamap", "ds", "dataset", "random", "either", "history",
            "visited", "count", "num", "number", "str", "string", "text", "passage", "rerun"}
STYLING = {"textcolour", "textcolor", "colour", "color", "textstyle", "font", "align", "transition", "t8n",
           "transitiontime", "t8ntime", "transitiondelay", "transitionskip", "css", "background", "bg", "b4r",
           "b4rcolour", "b4rcolor", "border", "textsize", "size", "hoverstyle", "charstyle", "opacity",
           "textrotate", "textrotatez", "textindent", "collapse", "nobr", "verbatim", "v6m", "box", "float-box",
           "floatbox", "linkstyle", "textstroke", "bordercolour", "bordercolor", "cornerradius"}
TIMED = {"after", "aftererror"}
IN_PLACE = {"link", "linkreveal", "linkrepeat", "linkrerun"}


MAX_MACRO = 20_000      # characters one macro may span; an unclosed '(' is then text
MAX_DEPTH = 100         # hooks inside hooks


def _closing_paren(text: str, start: int) -> int:
    depth, quote, i = 0, "", start
    while i < len(text) and i - start < MAX_MACRO:
        char = text[i]
        if quote:
            if char == "\\":
                i += 2
                continue
            if char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def tokens(passage: Passage) -> list[tuple]:
    text, _ = markup.strip_block(passage.text, harlowe=True)
    out: list[tuple] = []
    line, i = passage.first_line, 0
    while i < len(text):
        char = text[i]
        if char == "\n":
            out.append(("nl", line))
            line += 1
            i += 1
        elif char == markup.BREAK:
            out.append(("nl", line))
            i += 1
        elif char == markup.JOIN:
            line += 1
            i += 1
        elif text.startswith("[[[", i):
            out.append(("open", line))          # a hook holding a link: `(t8n: "dissolve")[[[Go on]]]`
            i += 1
        elif text.startswith("[[", i) and (end := text.find("]]", i + 2)) >= 0:
            body = text[i + 2:end]
            out.append(("link", body, line))
            line += body.count("\n")
            i = end + 2
        elif char == "(" and (match := _MACRO.match(text, i)) and (end := _closing_paren(text, i)) >= 0:
            code = text[i:end + 1]
            name = re.sub(r"[-_]", "", match.group(1)).lower()
            out.append(("macro", name, text[match.end():end], code, line))
            line += code.count("\n")
            i = end + 1
        elif char == "|" and (match := _NAMED_OPEN.match(text, i)):
            out.append(("open", line))
            i = match.end()
        elif char == "]" and (match := _NAMED_CLOSE.match(text, i)):
            out.append(("close", line))
            i = match.end()
        elif char == "[":
            out.append(("open", line))
            i += 1
        elif char == "]":
            out.append(("close", line))
            i += 1
        elif char in "$_" and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")) and \
                (match := _VAR.match(text, i)):
            out.append(("var", match.group(0), line))
            i = match.end()
        elif char in "{}":
            i += 1   # Harlowe's collapsing whitespace: this format shows text as written
        else:
            match = _TEXT.match(text, i)
            piece = match.group(0) if match else char
            out.append(("text", piece, line))
            i += len(piece)
    return out


class _Parser:
    def __init__(self, passage: Passage):
        self.tokens = tokens(passage)
        self.i = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end",)

    def block(self, in_hook: bool) -> list:
        nodes: list = []
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            self.i += 1
            kind = token[0]
            if kind == "close":
                if in_hook:
                    return nodes
                _text(nodes, "]", token[1])
            elif kind == "open" and self.depth < MAX_DEPTH:
                self.depth += 1
                nodes.extend(self.block(True))
                self.depth -= 1
            elif kind == "open":
                _text(nodes, "[", token[1])
            elif kind == "link":
                text, target = split_link(token[1])
                nodes.append(Link(text, target, token[2]))
            elif kind == "var":
                nodes.append(Print(token[1], token[2], token[1]))
            elif kind == "nl":
                nodes.append(Newline(token[1]))
            elif kind == "text":
                _text(nodes, token[1], token[2])
            elif kind == "macro":
                self.macro(nodes, *token[1:])
        return nodes

    def hook(self, name: str) -> list | None:
        """The hook attached to the macro just read (spaces and tabs may sit between), if any."""
        if name in HOOKLESS:
            return None
        j = self.i
        while j < len(self.tokens) and self.tokens[j][0] == "text" and not self.tokens[j][1].strip(" \t"):
            j += 1
        if j < len(self.tokens) and self.tokens[j][0] == "open" and self.depth < MAX_DEPTH:
            self.i = j + 1
            self.depth += 1
            try:
                return self.block(True)
            finally:
                self.depth -= 1
        return None

    def macro(self, nodes: list, name: str, args: str, code: str, line: int) -> None:
        hook = self.hook(name)
        if name in ("if", "unless", "elseif", "else"):
            if hook is None:
                nodes.append(Code(code, f"({name}:) without a hook", line))
                return
            condition = None if name == "else" else (f"not ({args})" if name == "unless" else args)
            branch = Branch(condition, hook, line, code)
            if name in ("if", "unless"):
                nodes.append(IfChain([branch], line))
                return
            chain = _open_chain(nodes)
            if chain is None:
                nodes.append(Code(code, f"({name}:) with no (if:) before it", line))
            else:
                chain.branches.append(branch)
            return
        if name == "set":
            nodes.append(SetMacro(split_parts(args, ","), line, code))
        elif name == "put":
            parts = [(f"{m.group('var')} to {m.group('value')}" if (m := _PUT.match(p)) else p)
                     for p in split_parts(args, ",")]
            nodes.append(SetMacro(parts, line, code))
        elif name == "linkgoto":
            found = strings(args)
            if not found or len(found) > 2:
                nodes.append(Code(code, "(link-goto:) with a computed text or passage", line))
            else:
                nodes.append(Link(found[0], found[-1], line))
        elif name in IN_PLACE or name == "linkrevealgoto":
            found = strings(args)
            if hook is None and name != "linkrevealgoto" or not found:
                nodes.append(Code(code, f"({name}:) without a hook or written-out text", line))
            else:
                target = found[1] if name == "linkrevealgoto" and len(found) > 1 else None
                nodes.append(LinkAction(found[0], target, hook or [], line, code))
        elif name == "goto":
            found = strings(args)
            nodes.append(Goto(found[0], line, code) if found else Code(code, "(go-to:) a computed passage", line))
        elif name == "display":
            found = strings(args)
            nodes.append(Include(found[0], line, code) if found else Code(code, "(display:) a computed passage",
                                                                           line))
        elif name == "print":
            nodes.append(Print(args.strip(), line, code))
        elif name in ("restart", "reload"):
            nodes.append(Restart(line, code))
        elif name in ("undo", "linkundo"):
            nodes.append(Code(code, f"macro ({name}:)", line, "a way back through the history has no equivalent; "
                                                            "the player's undo does this"))
        elif name in TIMED and hook is not None:
            nodes.append(Code(code, f"timing ({name}:)", line, "its text and links are shown at once", "note"))
            nodes.extend(hook)
        elif name in STYLING and hook is not None:
            nodes.append(Code(code, f"styling ({name}:)", line, "its text is kept, unstyled", "note"))
            nodes.extend(hook)
        elif hook is not None:
            nodes.append(Code(code, f"macro ({name}:)", line, "left out, with its hook"))
        else:
            nodes.append(Code(code, f"macro ({name}:)", line))


def _text(nodes: list, text: str, line: int) -> None:
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1].text += text
    else:
        nodes.append(Text(text, line))


def _open_chain(nodes: list) -> IfChain | None:
    """The (if:) chain an (else:) belongs to: the last node, across white space, which is dropped."""
    j = len(nodes)
    while j > 0 and (isinstance(nodes[j - 1], Newline) or isinstance(nodes[j - 1], Text) and
                     not nodes[j - 1].text.strip()):
        j -= 1
    if j > 0 and isinstance(nodes[j - 1], IfChain) and not nodes[j - 1].closed:
        del nodes[j:]
        return nodes[j - 1]
    return None


def parse(passage: Passage) -> list:
    return _Parser(passage).block(False)
