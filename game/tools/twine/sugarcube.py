"""SugarCube 2 passage text parsed into the shared nodes (game/tools/twine/model.py).

Macros are `<<name args>>`; containers close with `<</name>>` (or the old `<<endname>>`).
Translated: `<<set>>`, `<<if>>/<<elseif>>/<<else>>`, `<<link>>`/`<<button>>` (with a target, or
a body of sets and a `<<goto>>`), `<<linkreplace>>`/`<<linkappend>>`/`<<linkprepend>>`,
`<<goto>>`, `<<include>>`/`<<display>>`, `<<print>>`/`<<=>>`/`<<->>`, `<<restart>>` and
`<<run Engine.restart()>>`, `<<nobr>>` and `<<silently>>` (their contents stay), links with
setters, `$x` in text. Everything else becomes a `Code` node named for the report."""

from __future__ import annotations

import re

from game.tools.twine import markup
from game.tools.twine.expr import split_parts, strings
from game.tools.twine.links import split_link
from game.tools.twine.model import (Branch, Code, Goto, IfChain, Include, Link, LinkAction, Newline, Passage,
                                    Print, Restart, SetMacro, Text)

_TOKEN = re.compile(r"""
    (?P<close><</\s*(?P<cname>[A-Za-z][\w-]*)\s*>>)
  | (?P<macro><<(?P<name>[A-Za-z][\w-]*|=|-)(?P<args>(?:(?>\[\[[^\]]{0,2000}\]\]|"(?:[^"\\>]|\\.|>(?!>)){0,2000}"|'(?:[^'\\>]|\\.|>(?!>)){0,2000}'|[^>]|>(?!>))){0,4000})>>)
  | (?P<link>\[\[(?P<body>(?:[^\]]|\](?!\]|\[))*)\](?:\[(?P<setter>[^\]]*)\])?\])
  | (?P<var>\$[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\]\n]*\])*)
  | (?P<temp>(?<![\w$])_[A-Za-z]\w*(?:\.[A-Za-z_]\w*)*)
  | (?P<nl>[\n\x1e])
  | (?P<join>\x1f)
  | (?P<text>[^<\[$_\n\x1e\x1f]+|.)
""", re.X | re.S)

CONTAINERS = {"if", "for", "nobr", "silently", "link", "button", "linkreplace", "linkappend", "linkprepend",
              "append", "prepend", "replace", "capture", "script", "done", "do", "switch", "widget", "repeat",
              "timed", "type", "createplaylist", "createaudiogroup", "cycle", "listbox", "actions", "choice"}
MAX_DEPTH = 100
IN_PLACE_LINKS = {"linkreplace", "linkappend", "linkprepend"}


def tokens(passage: Passage):
    text, _ = markup.strip_block(passage.text)
    line = passage.first_line
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        yield kind, match, line
        line += match.group(0).count("\n") + match.group(0).count(markup.JOIN)


class _Parser:
    def __init__(self, passage: Passage):
        self.tokens = list(tokens(passage))
        self.i = 0
        self.depth = 0
        self.closing = {m.group("cname").lower() for kind, m, _ in self.tokens if kind == "close"}
        self.closing |= {m.group("name")[3:].lower() for kind, m, _ in self.tokens
                         if kind == "macro" and m.group("name").lower().startswith("end")}

    def block(self, stops: set[str]) -> tuple[list, tuple | None]:
        """Nodes up to one of `stops` (a macro name, or '/name' for a closing tag); the stop token."""
        self.depth += 1
        try:
            return self._block(stops)
        finally:
            self.depth -= 1

    def _block(self, stops: set[str]) -> tuple[list, tuple | None]:
        nodes: list = []
        while self.i < len(self.tokens):
            kind, match, line = self.tokens[self.i]
            self.i += 1
            if kind == "close":
                name = "/" + match.group("cname").lower()
                if name in stops:
                    return nodes, (name, "", line)
                nodes.append(Code(match.group(0), "closing tag without its macro", line))
                continue
            if kind == "macro":
                name = match.group("name").lower()
                if name.startswith("end") and "/" + name[3:] in stops:
                    return nodes, ("/" + name[3:], "", line)
                if name in stops:
                    return nodes, (name, match.group("args"), line)
                nodes.extend(self.macro(name, match.group("args"), match.group(0), line))
            elif kind == "link":
                text, target = split_link(match.group("body"))
                if target.startswith("img[") or match.group("body").startswith("img["):
                    nodes.append(Code(match.group(0), "image link", line))
                else:
                    nodes.append(Link(text, target, line, match.group("setter") or ""))
            elif kind in ("var", "temp"):
                nodes.append(Print(match.group(0), line, match.group(0)))
            elif kind == "nl":
                nodes.append(Newline(line))
            elif kind == "text":
                if nodes and isinstance(nodes[-1], Text):
                    nodes[-1].text += match.group(0)
                else:
                    nodes.append(Text(match.group(0), line))
        return nodes, None

    def body(self, name: str) -> list:
        nodes, stop = self.block({"/" + name})
        return nodes

    def macro(self, name: str, args: str, code: str, line: int) -> list:
        container = name in CONTAINERS or name in self.closing
        if container and self.depth > MAX_DEPTH:
            return [Code(code, "macros nested too deeply", line, f"more than {MAX_DEPTH} levels")]
        if name == "if":
            return [self.if_chain(args, code, line)]
        if name == "switch":
            return [self.switch(args.strip(), line)]
        if name == "set":
            return [SetMacro(split_parts(args), line, code)]
        if name in ("link", "button"):
            body = self.body(name) if container else []
            label = _label_and_target(args)
            if label is None:
                return [Code(code, f"<<{name}>> whose text is not written out", line)]
            return [LinkAction(label[0], label[1], body, line, code)]
        if name in IN_PLACE_LINKS:
            body = self.body(name)
            label = _label_and_target(args)
            if label is None:
                return [Code(code, f"<<{name}>> whose text is not written out", line)]
            return [LinkAction(label[0], None, body, line, code)]
        if name == "goto":
            target = _target(args)
            return [Goto(target, line, code)] if target else [Code(code, "<<goto>> to a computed passage", line)]
        if name in ("include", "display"):
            target = _target(args)
            return [Include(target, line, code)] if target else [Code(code, f"<<{name}>> of a computed passage", line)]
        if name in ("print", "=", "-"):
            return [Print(args.strip(), line, code)]
        if name == "restart":
            return [Restart(line, code)]
        if name in ("run", "script"):
            body = self.body(name) if container else []
            if "Engine.restart" in args or any("Engine.restart" in getattr(n, "text", "") for n in body):
                return [Restart(line, code)]
            return [Code(code, f"macro <<{name}>>", line, "JavaScript does not run here")]
        if name in ("return", "back"):
            return [Code(code, f"macro <<{name}>>", line, "a link back through the history has no equivalent; "
                                                        "the player's undo does this")]
        if name == "nobr":
            return self.body(name)
        if name in ("type", "timed") and container:
            return [Code(code, f"timing <<{name}>>", line, "its text and links are shown at once", "note")] + \
                self.body(name)
        if name == "silently":
            return [n for n in self.body(name) if not isinstance(n, (Text, Newline, Print))]
        if container:
            self.body(name)
            return [Code(code, f"macro <<{name}>>", line, "left out, with what it holds")]
        return [Code(code, f"macro <<{name}>>", line)]

    def if_chain(self, args: str, code: str, line: int) -> IfChain:
        chain = IfChain([], line)
        condition, branch_code, branch_line = args, code, line
        while True:
            body, stop = self.block({"elseif", "else", "/if"})
            chain.branches.append(Branch(condition, body, branch_line, branch_code))
            if stop is None or stop[0] == "/if" or condition is None:
                return chain
            name, stop_args, branch_line = stop
            if name == "else" and stop_args.strip().startswith("if "):
                name, stop_args = "elseif", stop_args.strip()[3:]
            condition = stop_args if name == "elseif" else None
            branch_code = f"<<{name}{stop_args}>>"


    def switch(self, subject: str, line: int) -> IfChain:
        """`<<switch $x>><<case 1 2>>…<<default>>…<</switch>>` as the if-chain it is."""
        chain = IfChain([], line)
        _, stop = self.block({"case", "default", "/switch"})        # what stands before the first case
        while stop is not None and stop[0] in ("case", "default"):
            name, values, branch_line = stop
            body, stop = self.block({"case", "default", "/switch"})
            condition = None if name == "default" else " or ".join(
                f"{subject} is {value}" for value in re.findall(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\S+", values))
            chain.branches.append(Branch(condition or (None if name == "default" else "false"), body, branch_line,
                                         f"<<{name}{values}>>"))
            if name == "default":
                break
        if stop is not None and stop[0] != "/switch":
            self.block({"/switch"})
        return chain


def _target(args: str) -> str | None:
    link = re.search(r"\[\[(.*?)\]\]", args)
    if link:
        return split_link(link.group(1))[1]
    found = strings(args)
    return found[0] if found else None


def _label_and_target(args: str) -> tuple[str, str | None] | None:
    link = re.search(r"\[\[(.*?)\]\]", args)
    if link:
        return split_link(link.group(1))
    found = strings(args)
    if not found:
        return None
    return found[0], (found[1] if len(found) > 1 else None)


def parse(passage: Passage) -> list:
    parser = _Parser(passage)
    nodes, _ = parser.block(set())
    return nodes
