"""`understood import FILE`: a Twine story (Twee 3, or Twine 2's published HTML) as a format-2
Understood story, keeping its logic wherever the mapping is exact and reporting the rest.

- twee.py / html.py read the file into passages, and passages.py sorts them (story, startup,
  code); sugarcube.py / harlowe.py parse each passage's text into shared nodes (model.py, with
  links.py and markup.py); expr.py translates conditions and sets; variables.py makes meters and
  flags; translate.py lowers a passage into a scene; endings.py settles restarts, missing
  passages and the decisions to check; emit.py writes the YAML; report.py groups the notes.
- What maps, and how, is in docs/toolkit.md, under "import"."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from game.tools.twine import emit, endings, harlowe, html, passages, sugarcube
from game.tools.twine.model import Note, Passage
from game.tools.twine.scene import Scene
from game.tools.twine.translate import Context, Lowering
from game.tools.twine.twee import normal_keys, parse_twee, story_data
from game.tools.twine.variables import Registry, identifier, observe

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
        kept, total = self.stats.get("conditionals kept", 0), self.stats.get("conditionals", 0)
        meters = ", ".join(f"{m['name']} {m['min']}..{m['max']}" for m in self.meters) or "none"
        return (f"'{self.title}' ({FORMAT_NAMES[self.story_format]}): {self.passages} passages -> {self.scenes} scenes "
                f"({self.endings} endings); {kept} of the {total} conditionals kept "
                f"({self.stats.get('conditional texts', 0)} conditional paragraphs, "
                f"{self.stats.get('conditional choices', 0)} conditional choices); variables -> "
                f"{len(self.meters)} meters ({meters}) and {len(self.flags)} flags")


def import_twee(text: str, source_name: str = "story.twee", *, story_id: str | None = None,
                schema: str | None = None) -> Imported:
    notes: list[Note] = []
    if html.is_twine_html(text):
        read, data, title = html.parse_html(text)
        data = normal_keys(data)
    else:
        read = parse_twee(text, notes)
        data, title = {}, ""
    by_name: dict[str, Passage] = {}
    for passage in read:
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
    story_format = passages.story_format(data, text)
    parser = harlowe if story_format == "harlowe" else sugarcube

    story_passages, startup, scripts = passages.sort(by_name, notes)
    if not story_passages:
        raise ValueError("the file has no story passages (lines starting with '::', or <tw-passagedata>)")

    nodes = {name: parser.parse(p) for name, p in by_name.items()
             if not set(p.tags) & passages.CODE_TAGS}
    registry = Registry(notes)
    observe(nodes, registry, {p.name for p in startup})
    ctx = Context(registry, notes, nodes, story_format=story_format)

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

    linked = {c.target for s in scenes.values() for c in s.choices} | passages.written_links(by_name)
    for name in sorted((ctx.included | passages.written_includes(by_name)) - linked - {start}):
        if name in scenes:
            notes.append(Note(scenes[name].passage.line, name, "passage only shown inside others",
                              "its text is part of every passage that includes it; it is not a scene of its own",
                              "note"))
            del scenes[name]
    endings.restart_links(scenes, start, notes)
    endings.missing_passages(scenes, taken, notes)
    meters, flags = registry.declared()
    endings.starting_flags(scenes, start, flags, notes)
    found_endings = endings.decisions(scenes, notes)
    stats = sum((s.stats for s in scenes.values()), Counter())
    stats["conditionals"] = passages.conditionals(story_passages + startup)
    stats["conditionals kept"] = len(set().union(*(s.kept for s in scenes.values())))
    stats["conditionals lost"] = max(0, stats["conditionals"] - stats["conditionals kept"])
    identifier_ = story_id or _slug(title)
    out = emit.write(title=title, story_id=identifier_, data=data, scenes=scenes, start=start, registry=registry,
                     meters=meters, flags=flags, source_name=source_name, schema=schema, scripts=scripts)
    return Imported(out, sorted(notes, key=lambda n: (n.line, n.kind)), identifier_, title, story_format,
                    passages=len(story_passages), scenes=len(scenes), endings=len(found_endings) + sum(
                        1 for s in scenes.values() if s.placeholder), stats=dict(stats), meters=meters,
                    flags=flags)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-")
    return slug or "imported"
