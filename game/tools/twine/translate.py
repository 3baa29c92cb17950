"""One passage's nodes lowered into a scene: paragraphs whose pieces carry conditions, choices
with conditions and effects, and entry effects.

- Text inside `if` branches keeps its branch's condition (and those around it); an `else` holds
  when every earlier branch does not. A branch whose condition cannot be translated is left out
  of the text, and reported; a link inside it is still offered (with the conditions around it
  that could be translated), and reported, so the story does not lose its way on.
- A set in the passage's own text (not in a link, not in a branch) runs every time the passage
  is entered: it becomes the scene's `on_enter`. A set in a link's body or setter becomes that
  choice's `effects`. A set inside a branch has no equivalent (effects are not conditional) and
  is reported.
- A goto becomes a "Continue." choice. Twine goes at once, so no other link of the passage can be
  taken when a goto's condition holds: the other choices get `not` that condition.
- A link that changes the passage in place becomes a choice back to the same scene with its
  effects (unless entering again would repeat the passage's own sets); the text it revealed is
  reported.
- `<<include>>`/`(display:)` puts the other passage's nodes here, as Twine does."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from game.tools.twine import markup
from game.tools.twine.expr import Untranslatable, assignment, parse, render, split_parts
from game.tools.twine.model import (Code, Goto, IfChain, Include, Link, LinkAction, Newline, Note, Passage, Print,
                                    Restart, SetMacro, Text)
from game.tools.twine.scene import Choice, Choose, Meter, Scene, Segment, combine, negate, wrap
from game.tools.twine.variables import Registry, identifier

MAX_INCLUDE_DEPTH = 8
MAX_REVEALS = 12        # links that reveal links that reveal links...
MAX_WAYS = 6            # ways through one link's body, each a choice
MAX_CONDITION = 480     # the format allows 500 characters (game/story/conditions.py)


class _Here:
    """The registry, with `scene_of(None)` meaning the scene being lowered (for `visits`)."""

    def __init__(self, registry: Registry, passage: str):
        self.registry = registry
        self.passage = passage

    def __getattr__(self, name):
        return getattr(self.registry, name)

    def scene_of(self, passage: str | None) -> str | None:
        return self.registry.scene_of(self.passage if passage is None else passage)


@dataclass
class Context:
    """What every passage's lowering shares."""
    registry: Registry
    notes: list[Note]
    nodes: dict[str, list]           # passage name -> parsed nodes (every passage, special ones too)
    included: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)          # scene ids given out
    reveals: list[Scene] = field(default_factory=list)    # scenes made for links that reveal more
    story_format: str = "sugarcube"
    memo: dict = field(default_factory=dict)              # conditions already translated, by branch


def vars_in(source: str) -> set[str]:
    return set(re.findall(r"\$[A-Za-z_]\w*", source))


class Lowering:
    def __init__(self, ctx: Context, scene: Scene):
        self.ctx = ctx
        self.scene = scene
        self.read: set[str] = set()
        self.including: list[str] = [scene.passage.name]
        self.markup = 0
        self.beside_links: set[int] = set()     # paragraphs a link stood in

    # reporting

    def note(self, line: int, kind: str, detail: str = "", severity: str = "warning", code: str = "") -> None:
        where = self.including[-1]
        if where != self.scene.passage.name:
            where = f"{where}, included in {self.scene.passage.name}"
        self.ctx.notes.append(Note(line, where, kind, detail, severity))
        if code and severity == "warning":
            shown = " ".join(code.split())
            self.scene.comments.append(f"line {line}: {shown[:119] + '…' if len(shown) > 120 else shown}")

    # text

    def add(self, cond: tuple[str, ...], piece) -> None:
        self.scene.paragraphs[-1].append(Segment(cond, piece))

    def new_paragraph(self) -> None:
        if self.scene.paragraphs[-1]:
            self.scene.paragraphs.append([])

    def run(self, nodes: list) -> None:
        self.walk(nodes, (), False, 0)
        if self.markup:
            self.note(self.scene.passage.line, "markup taken out (this format shows text plain)",
                      f"{self.markup} piece{'s' * (self.markup != 1)} of emphasis, headings or HTML", "note")

    def walk(self, nodes: list, cond: tuple[str, ...], lost: bool, depth: int) -> None:
        for node in nodes:
            if isinstance(node, Text):
                self.text(node, cond, lost)
            elif isinstance(node, Newline):
                self.new_paragraph()
            elif isinstance(node, Link):
                self.link(node, cond, lost)
            elif isinstance(node, SetMacro):
                self.set_in_text(node, cond, lost)
            elif isinstance(node, IfChain):
                self.chain(node, cond, lost, depth)
            elif isinstance(node, Print):
                self.print(node, cond, lost)
            elif isinstance(node, Goto):
                self.choice(Choice("Continue.", node.target, node.line, cond, origin="goto"), lost)
                self.note(node.line, "goto became a 'Continue.' choice", f"{node.code}: stories here move only by "
                          "choices; the passage's other choices are closed whenever it applies", "note")
            elif isinstance(node, Include):
                self.include(node, cond, lost, depth)
            elif isinstance(node, LinkAction):
                self.action(node, cond, lost)
            elif isinstance(node, Restart):
                self.scene.restarts += 1
                self.note(node.line, "restart link left out", f"{node.code}: the game offers its own way to play "
                          "again", "note")
            elif isinstance(node, Code):
                self.note(node.line, node.kind, node.detail or " ".join(node.code.split())[:120], node.severity,
                          node.code)

    def text(self, node: Text, cond, lost: bool) -> None:
        piece, count = markup.strip_inline(node.text)
        self.markup += count
        if not piece.strip():
            if piece and not lost:
                self.add(cond, " ")
            return
        if lost:
            self.note(node.line, "text behind an untranslated condition (left out)",
                      " ".join(piece.split())[:80])
            return
        self.add(cond, piece)

    def print(self, node: Print, cond, lost: bool) -> None:
        expr = node.expr.strip()
        if lost:
            return
        registry = self.ctx.registry
        if re.fullmatch(r"\$[A-Za-z_]\w*", expr) and expr not in registry.vars:
            reason = "it is never set"
        elif re.fullmatch(r"\$[A-Za-z_]\w*", expr):
            self.read.add(expr)
            kind = registry.kind_of(expr, "meter")
            if kind == "meter":
                self.add(cond, Meter(registry.name_of(expr)))
                return
            if kind == "string":
                registry.name_of(expr)
                self.add(cond, Choose(expr))
                return
            reason = "it holds true/false" if kind == "flag" else "it holds both text and numbers"
        elif expr.startswith("_"):
            reason = "it is a temporary variable"
        else:
            reason = "it is computed"
        self.note(node.line, "variable printed in text", f"{node.code}: {reason}; left out of the text",
                  code=node.code)

    # conditions

    def condition(self, source: str, line: int, code: str) -> str | None:
        try:
            tree = parse(source)
            text = render(tree, _Here(self.ctx.registry, self.scene.passage.name))
        except Untranslatable as exc:
            self.note(line, "condition that cannot be translated", f"{' '.join(code.split())[:100]}: {exc}",
                      code=code)
            return None
        self.read |= vars_in(source)
        return text

    def chain(self, chain: IfChain, cond, lost: bool, depth: int) -> None:
        earlier: list[str] = []
        ok = not lost
        for branch in chain.branches:
            mine = None
            if branch.condition is not None and ok:
                mine = self.condition(branch.condition, branch.line, branch.code)
                ok = mine is not None
            inner = cond + tuple(negate(c) for c in earlier) + ((mine,) if mine else ())
            if ok and len(" and ".join(inner)) > MAX_CONDITION:
                self.note(branch.line, "condition too long for this format", f"{' '.join(branch.code.split())[:60]}: "
                          f"with the branches before it, more than {MAX_CONDITION} characters", code=branch.code)
                ok = False
            self.walk(branch.body, inner if ok else cond, not ok, depth)
            if mine:
                earlier.append(mine)
        if not lost and ok:
            self.scene.kept.add((self.including[-1], chain.line))

    # state

    def effects(self, node: SetMacro, line: int, quiet: bool = False) -> dict:
        out: dict = {}
        registry = self.ctx.registry
        for part in node.parts:
            try:
                var, value = assignment(part)
            except Untranslatable as exc:
                if not quiet:
                    self.note(line, "set that cannot be translated", f"{' '.join(part.split())[:80]}: {exc}",
                              code=node.code)
                continue
            kind = registry.kind_of(var, "flag" if isinstance(value, bool) else
                                    "string" if value[0] == "text" else "meter")
            fits = kind == "flag" and isinstance(value, bool) or kind == "meter" and isinstance(value, tuple) \
                and value[0] in "=+" or kind == "string" and isinstance(value, tuple) and value[0] == "text"
            if not fits and quiet:
                continue
            if not fits:
                what = "text and other values" if kind in ("string", "mixed") else "both numbers and true/false"
                self.note(line, f"variable holding {what}", f"{' '.join(part.split())[:80]}: no meter or flag "
                          "can hold it", code=node.code)
                continue
            if kind == "string":
                registry.value_flag(var, value[1])
            registry.name_of(var)
            if isinstance(value, tuple) and value[0] == "=":
                registry.seen_number(var, value[1])
            combine(out, var, value)
        return out

    def set_in_text(self, node: SetMacro, cond, lost: bool) -> None:
        if cond or lost:
            self.note(node.line, "set inside a conditional (left out)", f"{' '.join(node.code.split())[:80]}: "
                      "effects here are not conditional", code=node.code)
            return
        effects = self.effects(node, node.line)
        for var in effects:
            if var in self.read:
                self.note(node.line, "set after text that reads it", f"{var}: the set now applies on entering "
                          "the passage, so the text above it shows the new value", "note")
        for var, value in effects.items():
            combine(self.scene.entry, var, value)

    # ways on

    def choice(self, choice: Choice, lost: bool) -> None:
        self.beside_links.add(id(self.scene.paragraphs[-1]))
        text, count = markup.strip_inline(choice.text)
        self.markup += count
        choice.target = _unescape(choice.target).strip()
        choice.text = " ".join(_unescape(text).split()) or choice.target
        if not choice.target:
            return
        if re.match(r"[a-z][a-z0-9+.-]*://|mailto:", choice.target, re.I):
            self.note(choice.line, "link to a web page (left out)", f"'{choice.text}' -> {choice.target}")
            return
        if lost:
            choice.lost = True
            self.note(choice.line, "link behind an untranslated condition (always offered)",
                      f"'{choice.text}' -> '{choice.target}'")
        for existing in self.scene.choices:
            if (existing.text, existing.target, existing.cond) == (choice.text, choice.target, choice.cond):
                existing.effects.update(choice.effects)
                return
        self.scene.choices.append(choice)

    def link(self, node: Link, cond, lost: bool) -> None:
        effects = {}
        if node.setter:
            effects = self.effects(SetMacro(split_parts(node.setter), node.line, node.setter), node.line)
        self.choice(Choice(node.text, node.target, node.line, cond, effects), lost)

    def action(self, node: LinkAction, cond, lost: bool) -> None:
        """A link with a body. With links in it, it reveals more (a scene of its own); else each
        way through its `if`s is one choice, with that way's condition, sets and goto."""
        if _holds(node.body, (Link, LinkAction)) and not _holds(node.body, (Restart,)):
            if self.scene.reveal_depth < MAX_REVEALS:
                self.reveal(node, cond, lost)
                return
            self.note(node.line, "links that reveal links, too deeply", f"'{node.text}': more than {MAX_REVEALS} "
                      "in a row; the links inside are left out", code=node.code)
        self.silent: set[int] = set()
        ways = self.ways(node.body, _Way(target=node.target))
        if len(ways) > MAX_WAYS:
            self.note(node.line, "link whose body has too many ways through", f"'{node.text}': {len(ways)}; its "
                      "conditions are left out", code=node.code)
            ways = self.ways(node.body, _Way(target=node.target), flat=True)
        if any(way.restart for way in ways):
            self.scene.restarts += 1
            self.note(node.line, "restart link left out", f"'{node.text}': the game offers its own way to play "
                      "again", "note")
            return
        shown = [words for way in ways for words in way.shown]
        self.scene.kept |= {(self.including[-1], line) for way in ways for line in way.chains if line > 0}
        for way in ways:
            if way.target is None:
                self.choice(Choice(node.text, self.scene.passage.name, node.line, cond + way.cond, way.effects,
                                   "in-place"), lost)
            else:
                self.choice(Choice(node.text, way.target, node.line, cond + way.cond, way.effects, "action"), lost)
        if any(way.target is None for way in ways):
            self.note(node.line, "link that changes the passage in place", f"'{node.text}' became a choice back "
                      "to this passage with its effects" + (f"; what it revealed is left out: "
                                                            f"{' '.join(shown)[:60]}" if shown else ""), "note")
        elif shown:
            self.note(node.line, "text a link shows before it moves on (left out)", " ".join(shown)[:80], "note")

    def ways(self, nodes: list, way: "_Way", flat: bool = False) -> list["_Way"]:
        """Every way through a link's body: one a branch of each `if` (the conditions it took),
        each with the sets it runs and the first goto it meets."""
        for i, inner in enumerate(nodes):
            if isinstance(inner, SetMacro) and not way.stopped:
                for var, value in self.effects(inner, inner.line, quiet=id(inner) in self.silent).items():
                    combine(way.effects, var, value)
                self.silent.add(id(inner))
            elif isinstance(inner, Goto) and way.target is None:
                way.target = inner.target
                way.stopped = self.ctx.story_format == "harlowe"   # SugarCube runs on after a <<goto>>
            elif isinstance(inner, Restart):
                way.restart = True
            elif isinstance(inner, (Text, Print)):
                words = " ".join((inner.text if isinstance(inner, Text) else inner.code).split())
                if words and id(inner) not in self.silent:
                    way.shown.append(words)
                self.silent.add(id(inner))
            elif isinstance(inner, IfChain) and not flat:
                return self.forks(inner, nodes[i + 1:], way)
            elif id(inner) in self.silent:
                continue
            elif isinstance(inner, Code):
                self.silent.add(id(inner))
                self.note(inner.line, inner.kind, inner.detail or " ".join(inner.code.split())[:120],
                          inner.severity, inner.code)
            elif isinstance(inner, (Include, IfChain)):
                self.silent.add(id(inner))
                self.note(inner.line, "include or condition inside a link's body (left out)",
                          " ".join(getattr(inner, "code", "").split())[:80] or getattr(inner, "target", ""))
        return [way]

    def forks(self, chain: IfChain, rest: list, way: "_Way") -> list["_Way"]:
        earlier: list[str] = []
        out: list[_Way] = []
        for branch in chain.branches:
            mine = None
            if branch.condition is not None:
                if id(branch) in self.silent:
                    mine = self.ctx.memo.get(id(branch))
                else:
                    mine = self.ctx.memo[id(branch)] = self.condition(branch.condition, branch.line, branch.code)
                    self.silent.add(id(branch))
                if mine is None:       # cannot be said: this branch and those after it are left out
                    return out + self.ways(rest, way.fork(tuple(negate(c) for c in earlier), -1))
            taken = tuple(negate(c) for c in earlier) + ((mine,) if mine else ())
            out += self.ways(branch.body + rest, way.fork(taken, chain.line))
            if mine:
                earlier.append(mine)
        if not chain.closed:
            out += self.ways(rest, way.fork(tuple(negate(c) for c in earlier), chain.line))
        return out

    def reveal(self, node: LinkAction, cond, lost: bool) -> None:
        """A link that reveals more text and more links: a scene of its own, holding the passage's
        text so far (still on screen in Twine) and what the link reveals; the link's sets are that
        scene's `on_enter`, which only this choice enters."""
        name = f"{self.scene.passage.name} > {node.text}"
        sub = Scene(identifier(name, self.ctx.taken), Passage(name, [], node.line, []),
                    title=self.scene.title or self.scene.passage.name, reveal_depth=self.scene.reveal_depth + 1)
        sub.paragraphs = [list(p) for p in self.scene.paragraphs if p] + [[]]
        child = Lowering(self.ctx, sub)
        child.including = [self.including[-1]]
        child.read = set(self.read)
        child.walk(node.body, (), False, 0)
        child.finish()
        self.ctx.reveals.append(sub)
        self.choice(Choice(node.text, name, node.line, cond, {}, "reveal"), lost)
        self.note(node.line, "link that reveals more of the passage", f"'{node.text}' became a choice to a scene "
                  "with the passage's text so far and what it reveals", "note")

    def include(self, node: Include, cond, lost: bool, depth: int) -> None:
        nodes = self.ctx.nodes.get(node.target)
        if nodes is None:
            self.note(node.line, "include of a missing passage", node.code, code=node.code)
            return
        if depth >= MAX_INCLUDE_DEPTH or node.target in self.including:
            self.note(node.line, "include that includes itself", node.code, code=node.code)
            return
        self.ctx.included.add(node.target)
        self.including.append(node.target)
        self.walk(nodes, cond, lost, depth + 1)
        self.including.pop()

    # after the walk

    def finish(self) -> None:
        scene = self.scene
        decoration = [p for p in scene.paragraphs if id(p) in self.beside_links and all(
            isinstance(s.piece, str) and not re.search(r"\w", s.piece) for s in p)]
        if any(s.piece.strip() for p in decoration for s in p):
            self.note(scene.passage.line, "markup taken out (this format shows text plain)",
                      f"{len(decoration)} line(s) of only punctuation beside links (such as '>' or '|')", "note")
        dropped = {id(p) for p in decoration}
        scene.paragraphs = [p for p in scene.paragraphs if id(p) not in dropped and any(
            not isinstance(s.piece, str) or s.piece.strip() for s in p)]
        gotos = [c for c in scene.choices if c.origin == "goto" and not c.lost]   # a lost one closes nothing
        if gotos:
            kept = []
            own = {id(g): g.cond for g in gotos}
            for choice in scene.choices:
                before = gotos if choice.origin != "goto" else gotos[:gotos.index(choice)]
                if any(not own[id(g)] for g in before):
                    continue            # an earlier goto always applies: this is never offered
                choice.cond = choice.cond + tuple(negate(" and ".join(wrap(c) for c in own[id(g)])) for g in before)
                kept.append(choice)
            scene.choices = kept
        if scene.entry:
            for choice in [c for c in scene.choices if c.origin == "in-place"]:
                scene.choices.remove(choice)
                self.note(choice.line, "in-place link that cannot come back (left out)",
                          f"'{choice.text}': entering the passage again would repeat its own sets")
        for choice in scene.choices:
            if choice.cond:
                self.scene.stats["conditional choices"] += 1
        for paragraph in scene.paragraphs:
            if any(s.cond for s in paragraph):
                self.scene.stats["conditional texts"] += 1


def _unescape(text: str) -> str:
    """Twee's escapes in names (`\\[`, `\\]`, `\\{`, `\\}`, `\\\\`), as links write them too."""
    return re.sub(r"\\([\[\]{}\\])", r"\1", text)


def _holds(nodes: list, kinds: tuple) -> bool:
    for node in nodes:
        if isinstance(node, kinds):
            return True
        if isinstance(node, IfChain) and any(_holds(b.body, kinds) for b in node.branches):
            return True
    return False


@dataclass
class _Way:
    """One way through a link's body."""
    cond: tuple[str, ...] = ()
    effects: dict = field(default_factory=dict)
    target: str | None = None
    shown: list[str] = field(default_factory=list)
    restart: bool = False
    stopped: bool = False
    chains: tuple[int, ...] = ()     # the lines of the ifs it went through

    def fork(self, cond: tuple[str, ...], chain: int) -> "_Way":
        return _Way(self.cond + cond, dict(self.effects), self.target, list(self.shown), self.restart, self.stopped,
                    self.chains + (chain,))

