"""`understood import FILE`: a Twine story (Twee 3, or Twine 2's published HTML) as a format-2
Understood story, keeping its logic wherever the mapping is exact and reporting the rest.

- twee.py / html.py read the file into passages; sugarcube.py / harlowe.py parse each passage's
  text into shared nodes (model.py); expr.py translates conditions and sets; variables.py makes
  meters and flags; translate.py lowers a passage into a scene; emit.py writes the YAML; report.py
  groups what did not translate.
- What maps, and how, is in docs/toolkit.md ("Importing from Twine")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from game.tools.twine import emit, harlowe, html, sugarcube
from game.tools.twine.expr import Untranslatable, assignment, split_parts
from game.tools.twine.links import split_link
from game.tools.twine.model import IfChain, Link, LinkAction, Note, Passage, SetMacro
from game.tools.twine.translate import Context, Lowering, Scene, Segment
from game.tools.twine.twee import normal_keys, parse_twee, story_data
from game.tools.twine.variables import Registry, identifier

SPECIAL_HIDDEN = {"StoryTitle", "StoryData", "StorySubtitle", "StoryAuthor", "StorySettings", "StoryIncludes",
                  "StoryCaption", "StoryMenu", "StoryBanner", "StoryInterface", "StoryShare", "StoryInit",
                  "PassageReady", "PassageDone", "PassageHeader", "PassageFooter"}
STARTUP_TAGS = {"startup", "debug-startup"}
HARLOWE_AROUND = {"header", "footer", "debug-header", "debug-footer"}


FORMAT_NAMES = {"sugarcube": "SugarCube", "harlowe": "Harlowe"}


@dataclass
class Imported:
    yaml: str
    notes: list[Note]
    story_id: str
    title: str
    story_format: str                      # "sugarcube" or "harlowe"
    passages: int = 0                      # story passages read
    scenes: int = 0
    endings: int = 0
    stats: dict = field(default_factory=dict)
    meters: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)

    @property
    def untranslated(self) -> int:
        return sum(1 for n in self.notes if n.severity == "warning")

    def headline(self) -> str:
        kept, lost = self.stats.get("conditionals kept", 0), self.stats.get("conditionals lost", 0)
        meters = ", ".join(f"{m['name']} {m['min']}..{m['max']}" for m in self.meters) or "none"
        return (f"'{self.title}' ({FORMAT_NAMES[self.story_format]}): {self.passages} passages -> {self.scenes} scenes "
                f"({self.endings} endings); {kept} of {kept + lost} conditionals kept "
                f"({self.stats.get('conditional texts', 0)} conditional paragraphs, "
                f"{self.stats.get('conditional choices', 0)} conditional choices); variables -> "
                f"{len(self.meters)} meters ({meters}) and {len(self.flags)} flags")


def _format_of(data: dict, text: str) -> str:
    named = str(data.get("format") or "").lower()
    if "harlowe" in named:
        return "harlowe"
    if "sugarcube" in named:
        return "sugarcube"
    return "harlowe" if re.search(r"\((?:set|if|link-goto|goto|print|display):", text) and "<<" not in text \
        else "sugarcube"


def import_twee(text: str, source_name: str = "story.twee", *, story_id: str | None = None,
                schema: str | None = None) -> Imported:
    notes: list[Note] = []
    if html.is_twine_html(text):
        passages, data, title = html.parse_html(text)
        data = normal_keys(data)
    else:
        passages = parse_twee(text, notes)
        data, title = {}, ""
    by_name: dict[str, Passage] = {}
    for passage in passages:
        if passage.name in by_name:
            notes.append(Note(passage.line, passage.name, "second passage with the same name",
                              f"the first (line {by_name[passage.name].line}) was kept"))
            continue
        by_name[passage.name] = passage
    if "StoryData" in by_name:
        data = story_data(by_name["StoryData"], notes)
    if "StoryTitle" in by_name:
        title = " ".join(by_name["StoryTitle"].text.split())
    title = title or str(data.get("name") or "") or Path(source_name).stem.replace("-", " ").replace("_", " ").title()
    story_format = _format_of(data, text)
    parser = harlowe if story_format == "harlowe" else sugarcube

    story_passages, startup, scripts = [], [], []
    for passage in by_name.values():
        tags = set(passage.tags)
        if passage.name in ("StoryTitle", "StoryData"):
            continue
        if tags & {"script", "widget"}:
            scripts.append(passage)
            notes.append(Note(passage.line, passage.name, "script passage (kept as a comment at the end)",
                              f"{len(passage.lines)} lines; stories here hold no code"))
        elif "stylesheet" in tags:
            notes.append(Note(passage.line, passage.name, "stylesheet left out", "styling has no meaning in a "
                              "terminal", "note"))
        elif tags & {"Twine.private", "annotation", "Twine.image"}:
            notes.append(Note(passage.line, passage.name, "private passage left out", str(sorted(tags)), "note"))
        elif passage.name == "StoryInit" or tags & STARTUP_TAGS:
            startup.append(passage)
        elif passage.name in SPECIAL_HIDDEN or tags & HARLOWE_AROUND:
            notes.append(Note(passage.line, passage.name, "special passage left out", "shown around every "
                              "passage, or by the story format"))
        else:
            story_passages.append(passage)
    if not story_passages:
        raise ValueError("the file has no story passages (lines starting with '::', or <tw-passagedata>)")

    nodes = {name: parser.parse(p) for name, p in by_name.items()
             if not set(p.tags) & {"script", "widget", "stylesheet"}}
    registry = Registry(notes)
    _observe(nodes, registry, {p.name for p in startup}, by_name)
    ctx = Context(registry, notes, nodes)

    taken = ctx.taken
    scenes: dict[str, Scene] = {}
    for passage in story_passages:
        scenes[passage.name] = Scene(identifier(passage.name, taken), passage)
        registry.scenes[passage.name] = scenes[passage.name].id
    for passage in startup:
        holder = Scene("startup", passage)
        lowering = Lowering(ctx, holder)
        lowering.run(nodes[passage.name])
        if any(p for p in holder.paragraphs) or holder.choices:
            notes.append(Note(passage.line, passage.name, "text and links in a startup passage left out", "", "note"))
    ordered: dict[str, Scene] = {}
    for passage in story_passages:
        lowering = Lowering(ctx, scenes[passage.name])
        lowering.run(nodes[passage.name])
        lowering.finish()
        ordered[passage.name] = scenes[passage.name]
        for sub in ctx.reveals:
            ordered[sub.passage.name] = sub
        ctx.reveals.clear()
    scenes = ordered

    start = str(data.get("start") or "")
    if start and start not in scenes:
        notes.append(Note(by_name["StoryData"].line if "StoryData" in by_name else 1, "StoryData",
                          "start passage that does not exist", f"StoryData names '{start}'"))
        start = ""
    if not start:
        start = "Start" if "Start" in scenes else story_passages[0].name

    linked = {c.target for s in scenes.values() for c in s.choices} | _written_links(by_name)
    for name in sorted((ctx.included | _written_includes(by_name)) - linked - {start}):
        if name in scenes:
            notes.append(Note(scenes[name].passage.line, name, "passage only shown inside others",
                              "its text is part of every passage that includes it; it is not a scene of its own",
                              "note"))
            del scenes[name]
    _restart_links(scenes, start, notes)
    for scene in list(scenes.values()):
        for choice in scene.choices:
            if choice.target not in scenes:
                missing = Passage(choice.target, [], choice.line, [])
                scenes[choice.target] = Scene(identifier(choice.target, taken), missing, placeholder=True,
                                              paragraphs=[])
                scenes[choice.target].paragraphs = [[Segment((), f"[The passage '{choice.target}' was missing from "
                                                              f"the Twine file.]")]]
                notes.append(Note(choice.line, scene.passage.name, "link to a missing passage",
                                  f"'{choice.target}': a placeholder ending stands in"))
        if len(scene.choices) > emit.MAX_CHOICES:
            extra = scene.choices[emit.MAX_CHOICES]
            notes.append(Note(extra.line, scene.passage.name, "more than nine links",
                              f"{len(scene.choices)} links; the rest are comments"))

    meters, flags = registry.declared()
    revisited = any(c.target == start for s in scenes.values() for c in s.choices)
    for flag in flags:
        if flag["start"]:
            value = ("text", flag["value"]) if "value" in flag else True
            scenes[start].entry.setdefault(flag["raw"], value)
            again = "; the start passage is linked to, so this happens again on every visit to it" if revisited else ""
            notes.append(Note(1, "", "flag that starts true", f"{flag['name']} ({flag['raw']}): flags start off "
                              f"here, so it is set on entering the start scene{again}",
                              "warning" if revisited else "note"))
    endings = [s for s in scenes.values() if not s.choices and not s.placeholder]
    for scene in endings:
        if scene.comments:
            notes.append(Note(scene.passage.line, scene.passage.name, "ending only because its code did not "
                              "translate", "the passage has no link this format can follow; see its "
                              "'untranslated' comments"))
    if endings:
        notes.append(Note(endings[0].passage.line, "", "endings to give a tone",
                          f"{len(endings)} passage(s) without links became endings with tone 'unresolved'", "note"))
    if any(s.choices for s in scenes.values()):
        notes.append(Note(1, "", "skip routes to check", "each scene's 'skip this scene' leads where its first "
                          "link without a condition does", "note"))
    coded = [s.passage.name for s in scenes.values() if not s.placeholder and not s.title and " " not in
             s.passage.name.strip() and (re.search(r"\d|[a-z][A-Z]|_", s.passage.name) or len(s.passage.name) < 3)]
    if coded:
        notes.append(Note(1, "", "scene titles that look like codes", f"{len(coded)} passage names (the first: "
                          f"'{coded[0]}') are the scenes' titles, which players see in the journal and saves; give "
                          "them human names", "note"))
    notes.append(Note(1, "", "header to fill in", "summary, perspective, content notes, play time and debrief: "
                      "Twine has no place for them", "note"))
    identifier_ = story_id or _slug(title)
    out = emit.write(title=title, story_id=identifier_, data=data, scenes=scenes, start=start, registry=registry,
                     meters=meters, flags=flags, source_name=source_name, schema=schema, scripts=scripts)
    return Imported(out, sorted(notes, key=lambda n: (n.line, n.kind)), identifier_, title, story_format,
                    passages=len(story_passages), scenes=len(scenes), endings=len(endings) + sum(
                        1 for s in scenes.values() if s.placeholder), stats=dict(ctx.stats), meters=meters,
                    flags=flags)


_INCLUDE_TEXT = re.compile(r"""<<(?:include|display)\s+["']([^"']+)["']|\(display:\s*["']([^"']+)["']""")
_LINK_TEXT = re.compile(r"""\[\[([^\]]*)\]|<<(?:goto|link|button|actions|choice)\s[^>]*?["']([^"']+)["']\s*>>|"""
                        r"""\((?:go-?to|link-goto|link-reveal-goto|click-goto):[^)]*?["']([^"']+)["']\s*\)""", re.I)


def _written_includes(by_name: dict[str, Passage]) -> set[str]:
    """Passages that some passage includes, even inside code that was not translated."""
    return {a or b for p in by_name.values() for a, b in _INCLUDE_TEXT.findall(p.text)}


def _written_links(by_name: dict[str, Passage]) -> set[str]:
    """Passages that some link or goto names, even inside code that was not translated."""
    out = set()
    for passage in by_name.values():
        for link, macro, harlowe in _LINK_TEXT.findall(passage.text):
            out.add(split_link(link)[1].strip() if link else (macro or harlowe))
    return out


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-")
    return slug or "imported"


def _observe(nodes: dict[str, list], registry: Registry, startup: set[str], by_name: dict[str, Passage]) -> None:
    """Every assignment in the story, so each variable's kind is known before any is translated."""

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


def _restart_links(scenes: dict[str, Scene], start: str, notes: list[Note]) -> None:
    """A passage whose only ways on go back to the start ("Play again", "The end.") is an ending:
    the game has its own 'play again', and a loop back would make the ending a goto cycle. Links to
    the start in a passage with other ways on stay (they are a real way on)."""
    for scene in scenes.values():
        if scene.passage.name == start or not scene.choices:
            continue
        if all(c.target == start for c in scene.choices):
            for choice in scene.choices:
                notes.append(Note(choice.line, scene.passage.name, "restart link left out",
                                  f"'{choice.text}' -> '{choice.target}': the passage stays an ending; the game "
                                  f"offers its own way to play again", "note"))
            scene.choices = []
