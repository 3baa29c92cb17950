"""`understood import FILE.twee`: a Twine story (Twee 3) as an Understood story.

Twee 3 (iftechfoundation/twine-specs, twee-3-specification.md): passages start with a header
line `:: Name [tags] {metadata}`; `\\` escapes `[ ] { } \\` in names and tags; StoryTitle and
StoryData are special passages; `script` and `stylesheet` tags mark code.

What becomes what:
- passages become scenes; their prose, split at blank lines, becomes paragraphs;
- links, `[[Target]]`, `[[Text|Target]]`, `[[Text->Target]]`, `[[Target<-Text]]`, and simple
  `(link-goto:)`, `<<link>>`, `(goto:)` and `<<goto>>` macros become choices;
- a passage without links becomes an ending (tone: unresolved, until the writer picks one);
- `set` macros with whole numbers or true/false (`(set: $trust to it + 1)`,
  `<<set $told to true>>`, SugarCube setter links) become meters, flags and effects;
- StoryTitle and StoryData become the header, the start passage becomes `start`.

Everything else (conditional blocks, other macros, scripts) is kept as a YAML comment where it
was, and listed in the report with its passage and line. The importer is tolerant: both
spellings of StoryData keys, bad metadata JSON (a warning, then on), escaped characters in
names, links to passages that do not exist (a placeholder ending), Twee 1/2 headers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MAX_CHOICES = 9
RESERVED = {"and", "or", "not", "visited", "set", "clear"}
SPECIAL_HIDDEN = {"StoryTitle", "StoryData", "StorySubtitle", "StoryAuthor", "StorySettings", "StoryIncludes",
                  "StoryCaption", "StoryMenu", "StoryBanner", "StoryInterface", "StoryShare", "StoryInit",
                  "PassageReady", "PassageDone", "PassageHeader", "PassageFooter"}
CODE_TAGS = {"script", "stylesheet", "widget", "Twine.image", "Twine.private", "annotation"}
STARTUP_TAGS = {"startup", "debug-startup"}
HARLOWE_AROUND = {"header", "footer", "debug-header", "debug-footer"}

LINK = re.compile(r"\[\[((?:[^\]]|\](?!\]|\[))*)\](?:\[((?:[^\]])*)\])?\]")
HARLOWE_MACRO = re.compile(r"\((?P<name>[A-Za-z][\w-]*):(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")
SUGAR_MACRO = re.compile(r"<<(?P<close>/?)(?P<name>[A-Za-z=-][\w-]*)(?P<body>.*?)>>", re.S)
SNOWMAN = re.compile(r"<%.*?%>", re.S)
HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
VAR = r"[$_][A-Za-z_][\w]*"
SET_PART = re.compile(
    rf"^\s*(?P<var>{VAR})\s*(?:(?P<op>to|=|\+=|-=)\s*(?P<value>.+?)|(?P<step>\+\+|--))\s*$", re.S)
QUOTED = r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'"


@dataclass(frozen=True, slots=True)
class Note:
    """One line of the import report: where in the .twee file, and what happened there."""

    line: int
    passage: str
    message: str
    severity: str = "warning"   # "warning": something was not translated; "note": a guess was made

    def format(self, path: str) -> str:
        where = f" (passage '{self.passage}')" if self.passage else ""
        return f"{path}:{self.line}:1: {self.severity}: {self.message}{where}"


@dataclass
class Passage:
    name: str
    tags: list[str]
    line: int                       # the header's line
    lines: list[tuple[int, str]]    # content: (line number, text)
    metadata: dict = field(default_factory=dict)


@dataclass
class Choice:
    text: str
    target: str
    line: int
    effects: dict = field(default_factory=dict)  # variable -> ("=", n) | ("+", n) | bool


@dataclass
class Scene:
    id: str
    passage: Passage
    paragraphs: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    on_enter: dict = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    placeholder: bool = False


@dataclass
class Imported:
    yaml: str
    notes: list[Note]
    story_id: str
    title: str


# --- reading Twee ------------------------------------------------------------------------------------


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split_header(rest: str) -> tuple[str, str, str, str]:
    """Name, tag block, metadata block and anything left, honouring backslash escapes."""
    name, i = [], 0
    while i < len(rest) and rest[i] not in "[{<":
        if rest[i] == "\\" and i + 1 < len(rest):
            name.append(rest[i:i + 2])
            i += 2
            continue
        name.append(rest[i])
        i += 1
    tail = rest[i:].strip()
    tags = meta = ""
    if tail.startswith("["):
        j = 0
        while j < len(tail):
            if tail[j] == "\\":
                j += 2
                continue
            if tail[j] == "]":
                break
            j += 1
        tags, tail = tail[1:j], tail[j + 1:].strip()
    if tail.startswith("{"):
        meta, tail = tail, ""
    elif tail.startswith("<"):  # Twee 2's <x,y> position
        end = tail.find(">")
        tail = tail[end + 1:].strip() if end >= 0 else ""
    return "".join(name).strip(), tags, meta, tail


def parse_twee(text: str, notes: list[Note]) -> list[Passage]:
    passages: list[Passage] = []
    current: Passage | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.startswith("::"):
            name, tags, meta, _ = _split_header(raw[2:])
            metadata = {}
            if meta:
                try:
                    metadata = json.loads(meta)
                    if not isinstance(metadata, dict):
                        raise ValueError("not an object")
                except ValueError as exc:
                    notes.append(Note(number, _unescape(name), f"passage metadata is not valid JSON ({exc}); "
                                      "it was left out, as the Twee 3 spec recommends", "note"))
                    metadata = {}
            current = Passage(_unescape(name), [_unescape(t) for t in tags.split()], number, [], metadata)
            if not current.name:
                notes.append(Note(number, "", "a passage header without a name; its passage was skipped"))
                current = None
                continue
            passages.append(current)
        elif current is not None:
            current.lines.append((number, raw))
        elif raw.strip():
            notes.append(Note(number, "", "text before the first passage header was ignored", "note"))
    for passage in passages:
        while passage.lines and not passage.lines[-1][1].strip():
            passage.lines.pop()  # trailing blank lines are not content (spec)
    return passages


def _story_data(passage: Passage | None, notes: list[Note]) -> dict:
    """StoryData as a dict with normalised keys: 'format-version', 'formatVersion' and
    'format_version' are one key, as are 'start' and 'startnode'."""
    if passage is None:
        return {}
    text = "\n".join(line for _, line in passage.lines).strip()
    try:
        data = json.loads(text) if text else {}
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        notes.append(Note(passage.line, "StoryData", f"StoryData is not valid JSON ({exc}); the title, "
                          "start and IFID were taken from elsewhere", "warning"))
        return {}
    normal = {}
    for key, value in data.items():
        compact = re.sub(r"[-_\s]", "", str(key)).lower()
        normal[{"startnode": "start", "startpassage": "start"}.get(compact, compact)] = value
    return normal


# --- names -------------------------------------------------------------------------------------------


def _identifier(text: str, taken: set[str], prefix: str = "p") -> str:
    base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60].strip("_") or prefix
    if not base[0].isalpha():
        base = f"{prefix}_{base}"[:60]
    if base in RESERVED:
        base += "_"
    name, n = base, 2
    while name in taken:
        name = f"{base}_{n}"
        n += 1
    taken.add(name)
    return name


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-")
    return slug or "imported"


def _quote(text: str) -> str:
    return yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=1_000_000).strip() \
        .removesuffix("...").strip()


# --- translating passages ----------------------------------------------------------------------------


class _Translator:
    def __init__(self, notes: list[Note]):
        self.notes = notes
        self.variables: dict[str, dict] = {}   # twee variable -> {"kind": meter|flag, "values": set, "name": str}
        self.names: set[str] = set()

    def note(self, line: int, passage: str, message: str, severity: str = "warning") -> None:
        self.notes.append(Note(line, passage, message, severity))

    # variables

    def variable(self, raw: str, kind: str, value) -> str:
        entry = self.variables.setdefault(raw, {"kinds": set(), "values": set()})
        entry["kinds"].add(kind)
        if kind == "meter" and isinstance(value, int):
            entry["values"].add(value)
        return raw

    def parse_sets(self, body: str) -> tuple[dict, list[str]]:
        """`$a to 1, $b += 2` -> ({var: effect}, [parts that could not be translated])."""
        effects: dict = {}
        failed: list[str] = []
        for part in _split_commas(body):
            match = SET_PART.match(part)
            if not match:
                failed.append(part.strip())
                continue
            var = match.group("var")
            op = match.group("step") or match.group("op")
            value = (match.group("value") or "").strip()
            relative = re.fullmatch(rf"(?:it|{re.escape(var)})\s*([+-])\s*(\d+)", value)
            if op in ("++", "--"):
                effects[var] = ("+", 1 if op == "++" else -1)
                self.variable(var, "meter", None)
            elif op in ("+=", "-=") and re.fullmatch(r"\d+", value):
                effects[var] = ("+", int(value) if op == "+=" else -int(value))
                self.variable(var, "meter", None)
            elif op in ("to", "=") and relative:
                amount = int(relative.group(2))
                effects[var] = ("+", amount if relative.group(1) == "+" else -amount)
                self.variable(var, "meter", None)
            elif op in ("to", "=") and re.fullmatch(r"-?\d+", value):
                effects[var] = ("=", int(value))
                self.variable(var, "meter", int(value))
            elif op in ("to", "=") and value in ("true", "false"):
                effects[var] = value == "true"
                self.variable(var, "flag", None)
            else:
                failed.append(part.strip())
        return effects, failed

    # passages

    def passage(self, passage: Passage, scene: Scene) -> None:
        """Fill `scene` from the passage's content."""
        name = passage.name
        paragraphs: list[list[str]] = [[]]
        depth_sugar = 0      # inside <<if>> ... <</if>> and other container macros
        hook_depth = 0       # inside a Harlowe hook [...] that started on an earlier line
        for number, raw in passage.lines:
            line = raw
            if not line.strip():
                paragraphs.append([])
                continue
            line = SNOWMAN.sub(lambda m: self._untranslated(scene, number, name, m.group(0)), line)

            def sugar(match: re.Match) -> str:
                nonlocal depth_sugar
                macro, body, closing = match.group("name"), match.group("body"), match.group("close")
                whole = match.group(0)
                if closing:
                    depth_sugar = max(0, depth_sugar - 1)
                    return ""
                if macro == "set" and depth_sugar == 0:
                    effects, failed = self.parse_sets(body)
                    scene.on_enter.update(effects)
                    for part in failed:
                        self._untranslated(scene, number, name, f"<<set {part}>>")
                    return ""
                if macro == "link":
                    target = _link_macro_target(body)
                    if target:
                        self._choice(scene, target[0], target[1], number)
                        depth_sugar += 1  # until its <</link>>
                        return ""
                if macro == "goto":
                    target = _first_string(body)
                    if target:
                        self._choice(scene, "Continue.", target, number)
                        self.note(number, name, f"{whole.strip()} became a 'Continue.' choice (stories move "
                                                f"only by choices)", "note")
                        return ""
                if macro in ("if", "elseif", "else", "switch", "case", "default", "for", "nobr", "silently",
                             "widget", "repeat", "timed", "type", "link", "button", "linkreplace", "linkappend",
                             "linkprepend", "append", "prepend", "replace", "capture", "script", "done", "do"):
                    if macro in ("if", "switch", "for", "nobr", "silently", "widget", "repeat", "timed", "type",
                                 "link", "button", "linkreplace", "linkappend", "linkprepend", "append",
                                 "prepend", "replace", "capture", "script", "done", "do"):
                        depth_sugar += 1
                    if macro in ("if", "elseif", "else", "switch", "case", "default"):
                        return self._untranslated(scene, number, name, whole, guarded=True)
                    return self._untranslated(scene, number, name, whole)
                if macro == "set":
                    self.note(number, name, f"{whole.strip()} is inside a conditional block; kept as a comment")
                    scene.comments.append(f"line {number}: {whole.strip()}")
                    return ""
                return self._untranslated(scene, number, name, whole)

            line = SUGAR_MACRO.sub(sugar, line)
            line = LINK.sub(lambda m: self._link(m, scene, number, name), line)
            line = self._harlowe(line, scene, number, name, hook_depth)
            hook_depth = max(0, hook_depth + line.count("[") - line.count("]"))
            line = line.replace("[", " ").replace("]", " ")  # Harlowe hooks: keep the words, drop the brackets
            if HTML_TAG.search(line):
                line = HTML_TAG.sub(" ", line)
            line = re.sub(r"(?<![\w\\])\$[A-Za-z_]\w*", lambda m: self._print_var(m, scene, number, name), line)
            text = " ".join(line.split())
            if text:
                paragraphs.append([text])  # Twine shows each line on its own: one line, one paragraph
        scene.paragraphs = [" ".join(p) for p in paragraphs if p and " ".join(p).strip()]

    def _harlowe(self, line: str, scene: Scene, number: int, name: str, hook_depth: int = 0) -> str:
        def harlowe(match: re.Match) -> str:
            macro, body = match.group("name").lower(), match.group("body")
            whole = match.group(0)
            if macro in ("set", "put"):
                if macro == "put":
                    converted = re.sub(rf"^\s*(.+?)\s+into\s+({VAR})\s*$", r"\2 to \1", body, flags=re.S)
                    body = converted
                before = line[:match.start()]
                if hook_depth + before.count("[") - before.count("]") > 0:
                    self.note(number, name, f"{whole.strip()} is inside a hook; kept as a comment")
                    scene.comments.append(f"line {number}: {whole.strip()}")
                    return ""
                effects, failed = self.parse_sets(body)
                scene.on_enter.update(effects)
                for part in failed:
                    self._untranslated(scene, number, name, f"({macro}: {part})")
                return ""
            if macro in ("link-goto", "click-goto"):
                strings = _strings(body)
                if strings:
                    text, target = (strings[0], strings[-1]) if len(strings) > 1 else (strings[0], strings[0])
                    self._choice(scene, text, target, number)
                    return ""
            if macro in ("goto", "go-to"):
                strings = _strings(body)
                if strings:
                    self._choice(scene, "Continue.", strings[0], number)
                    self.note(number, name, f"{whole.strip()} became a 'Continue.' choice (stories move only "
                                            f"by choices)", "note")
                    return ""
            if macro in ("if", "unless", "else-if", "elseif", "else", "cond", "either"):
                return self._untranslated(scene, number, name, whole, guarded=True)
            return self._untranslated(scene, number, name, whole)

        previous = None
        while previous != line:  # macros nest: (if: (count: ...) > 1)
            previous = line
            line = HARLOWE_MACRO.sub(harlowe, line)
        # Harlowe hooks and named hooks: keep their text, drop the brackets.
        line = re.sub(r"\|[\w-]+>(?=\[)|(?<=\])<[\w-]+\||\?[\w-]+", "", line)
        return line

    def _untranslated(self, scene: Scene, number: int, name: str, code: str, *, guarded: bool = False) -> str:
        shown = " ".join(code.split())
        if len(shown) > 120:
            shown = shown[:119] + "…"
        scene.comments.append(f"line {number}: {shown}")
        if guarded:
            self.note(number, name, f"untranslated condition: {shown}; kept as a comment, and what it guards "
                                    f"(text, links) now always shows: add 'if:' where it matters")
        else:
            self.note(number, name, f"untranslated: {shown}; kept as a comment")
        return " "

    def _print_var(self, match: re.Match, scene: Scene, number: int, name: str) -> str:
        self._untranslated(scene, number, name, f"variable printed in text: {match.group(0)}")
        return "…"

    def _link(self, match: re.Match, scene: Scene, number: int, name: str) -> str:
        body, setter = match.group(1), match.group(2)
        if body.startswith("img[") or body.startswith("<img"):
            return self._untranslated(scene, number, name, match.group(0))
        text, target = _split_link(body)
        choice = self._choice(scene, text, target, number)
        if setter and choice is not None:
            effects, failed = self.parse_sets(setter)
            choice.effects.update(effects)
            for part in failed:
                self._untranslated(scene, number, name, f"link setter [{part}]")
        return " "

    def _choice(self, scene: Scene, text: str, target: str, number: int) -> Choice | None:
        text, target = " ".join(_unescape(text).split()), _unescape(target).strip()
        if not target:
            return None
        for existing in scene.choices:
            if existing.target == target and existing.text == (text or target):
                return existing
        choice = Choice(text or target, target, number)
        scene.choices.append(choice)
        return choice


def _split_commas(text: str) -> list[str]:
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
        elif char in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def _strings(body: str) -> list[str]:
    return [json.loads(s) if s.startswith('"') else s[1:-1] for s in re.findall(QUOTED, body)]


def _first_string(body: str) -> str | None:
    strings = _strings(body)
    if strings:
        return strings[0]
    link = LINK.search(body)
    return _split_link(link.group(1))[1] if link else None


def _link_macro_target(body: str) -> tuple[str, str] | None:
    link = LINK.search(body)
    if link:
        return _split_link(link.group(1))
    strings = _strings(body)
    if len(strings) >= 2:
        return strings[0], strings[1]
    return None


def _split_link(body: str) -> tuple[str, str]:
    """(text, target) of a link body, by Twine's rules: the rightmost '->', the leftmost '<-',
    else the first '|', else the body is both."""
    if "->" in body:
        text, _, target = body.rpartition("->")
        return text, target
    if "<-" in body:
        target, _, text = body.partition("<-")
        return text, target
    if "|" in body:
        text, _, target = body.partition("|")
        return text, target
    return body, body


# --- putting it together -----------------------------------------------------------------------------


def import_twee(text: str, source_name: str = "story.twee", *, story_id: str | None = None,
                schema: str | None = None) -> Imported:
    notes: list[Note] = []
    passages = parse_twee(text, notes)
    by_name: dict[str, Passage] = {}
    for passage in passages:
        if passage.name in by_name:
            notes.append(Note(passage.line, passage.name, f"a second passage called '{passage.name}'; the first "
                                                          f"(line {by_name[passage.name].line}) was kept"))
            continue
        by_name[passage.name] = passage
    data = _story_data(by_name.get("StoryData"), notes)
    title_passage = by_name.get("StoryTitle")
    title = " ".join(" ".join(l for _, l in title_passage.lines).split()) if title_passage else ""
    title = title or str(data.get("name") or "") or Path(source_name).stem.replace("-", " ").replace("_", " ").title()
    translator = _Translator(notes)

    story_passages = []
    startup: list[Passage] = []
    for passage in by_name.values():
        tags = set(passage.tags)
        if passage.name in ("StoryTitle", "StoryData"):
            continue
        if tags & {"script", "widget"}:
            notes.append(Note(passage.line, passage.name, f"script passage ({len(passage.lines)} lines) kept as a "
                                                          f"comment at the end; stories here hold no code"))
            continue
        if tags & {"stylesheet"}:
            notes.append(Note(passage.line, passage.name, "stylesheet left out: styling has no meaning in a "
                                                          "terminal", "note"))
            continue
        if tags & {"Twine.private", "annotation", "Twine.image"}:
            notes.append(Note(passage.line, passage.name, f"passage tagged {sorted(tags)} left out", "note"))
            continue
        if passage.name == "StoryInit" or tags & STARTUP_TAGS:
            startup.append(passage)
            continue
        if passage.name in SPECIAL_HIDDEN or tags & HARLOWE_AROUND:
            notes.append(Note(passage.line, passage.name, "special passage (shown around every passage, or by "
                                                          "the story format) left out; kept as a comment"))
            continue
        story_passages.append(passage)
    if not story_passages:
        raise ValueError("the file has no story passages (lines starting with '::')")

    taken: set[str] = set()
    scenes: dict[str, Scene] = {}
    for passage in story_passages:
        scenes[passage.name] = Scene(_identifier(passage.name, taken), passage)
    initial: dict = {}
    for passage in startup:
        holder = Scene("startup", passage)
        translator.passage(passage, holder)
        initial.update(holder.on_enter)
        for comment in holder.comments:
            notes.append(Note(passage.line, passage.name, f"in a startup passage: {comment}", "note"))
        if holder.choices or holder.paragraphs:
            notes.append(Note(passage.line, passage.name, "text and links in a startup passage were left out",
                              "note"))
    for passage in story_passages:
        translator.passage(passage, scenes[passage.name])

    # Links to passages that do not exist get a placeholder ending.
    for scene in list(scenes.values()):
        for choice in scene.choices:
            if choice.target not in scenes:
                stub = Passage(choice.target, [], choice.line, [])
                scenes[choice.target] = Scene(_identifier(choice.target, taken), stub, placeholder=True,
                                              paragraphs=[f"[The passage '{choice.target}' was missing from the "
                                                          f"Twine file.]"])
                notes.append(Note(choice.line, scene.passage.name, f"link to a missing passage "
                                                                   f"'{choice.target}': added a placeholder ending"))

    start_name = str(data.get("start") or "")
    if start_name and start_name not in scenes:
        notes.append(Note(by_name["StoryData"].line if "StoryData" in by_name else 1, "StoryData",
                          f"StoryData names the start passage '{start_name}', which does not exist"))
        start_name = ""
    if not start_name:
        start_name = "Start" if "Start" in scenes else story_passages[0].name
    variables = _declare(translator, initial, notes)
    identifier = story_id or _slug(title)
    out = _write(title, identifier, data, scenes, start_name, variables, initial, source_name, schema,
                 [p for p in by_name.values() if set(p.tags) & {"script", "widget"}], notes)
    for scene in scenes.values():
        if not scene.placeholder and not scene.paragraphs:
            notes.append(Note(scene.passage.line, scene.passage.name, "the passage has no text of its own; its "
                                                                      "name stands in for it", "note"))
        if len(scene.choices) > MAX_CHOICES:
            extra = scene.choices[MAX_CHOICES]
            notes.append(Note(extra.line, scene.passage.name, f"{len(scene.choices)} links, but a scene offers at "
                                                              f"most {MAX_CHOICES} choices; the rest are comments"))
    endings = [s for s in scenes.values() if not s.choices and not s.placeholder]
    if endings:
        notes.append(Note(endings[0].passage.line, "", f"{len(endings)} passage(s) without links became endings "
                                                       f"with tone 'unresolved'; give each its own tone", "note"))
    notes.append(Note(1, "", "fill in the summary, perspective, content notes, play time and debrief: Twine "
                             "has no place for them", "note"))
    return Imported(out, sorted(notes, key=lambda n: (n.line, n.message)), identifier, title)


def _declare(translator: _Translator, initial: dict, notes: list[Note]) -> dict[str, dict]:
    """Twee variables as meters and flags, with names, bounds and start values."""
    taken: set[str] = set()
    out: dict[str, dict] = {}
    for raw, entry in sorted(translator.variables.items()):
        kinds = entry["kinds"]
        kind = "meter" if "meter" in kinds else "flag"
        if kinds == {"meter", "flag"}:
            notes.append(Note(1, "", f"{raw} is set to both numbers and true/false; it became a meter, and its "
                                     f"true/false settings are comments"))
        name = _identifier(raw.lstrip("$_"), taken, "v")
        start = initial.get(raw)
        if kind == "meter":
            values = set(entry["values"])
            start_value = start[1] if isinstance(start, tuple) and start[0] == "=" else 0
            values.add(start_value)
            low, high = min(0, *values), max(10, *values)
            out[raw] = {"kind": "meter", "name": name, "start": start_value, "min": low, "max": high}
            notes.append(Note(1, "", f"{raw} became the meter '{name}' from {low} to {high}, starting at "
                                     f"{start_value}; check the bounds", "note"))
        else:
            out[raw] = {"kind": "flag", "name": name, "start": start is True}
            if start is True:
                notes.append(Note(1, "", f"{raw} starts true in Twine, but flags here start off; it became the "
                                         f"flag '{name}', set on entering the start scene", "note"))
    return out


def _effects_yaml(effects: dict, variables: dict[str, dict]) -> str | None:
    parts, set_, clear = [], [], []
    for raw, effect in effects.items():
        var = variables.get(raw)
        if var is None:
            continue
        if var["kind"] == "meter" and isinstance(effect, tuple):
            op, amount = effect
            parts.append(f"{var['name']}: {'=' if op == '=' else '+' if amount >= 0 else '-'}{abs(amount)}")
        elif var["kind"] == "flag" and isinstance(effect, bool):
            (set_ if effect else clear).append(var["name"])
    if set_:
        parts.append(f"set: [{', '.join(set_)}]")
    if clear:
        parts.append(f"clear: [{', '.join(clear)}]")
    return "{" + ", ".join(parts) + "}" if parts else None


def _write(title, story_id, data, scenes: dict[str, Scene], start_name, variables, initial, source_name, schema,
           scripts, notes) -> str:
    lines = []
    if schema:
        lines.append(f"# yaml-language-server: $schema={schema}")
    about = ", ".join(str(x) for x in (data.get("format"), data.get("formatversion")) if x)
    lines += [f"# Imported from Twine by `understood import {Path(source_name).name}`"
              + (f" (story format: {about})" if about else "") + ".",
              "# Comments starting 'untranslated' hold Twine code this format cannot express; the import",
              "# report lists each one. Run `understood check` on this file, then play it."]
    if data.get("ifid"):
        lines.append(f"# Twine IFID: {data['ifid']}")
    lines += ["format: 1", f"id: {story_id}", f"title: {_quote(title)}",
              "summary: A story imported from Twine.   # TODO: one or two sentences for the title screen",
              "perspective: The player                  # TODO: who the player is, e.g. 'Sam, 34'"]
    meters = [v for v in variables.values() if v["kind"] == "meter"]
    flags = [v for v in variables.values() if v["kind"] == "flag"]
    if meters:
        lines.append("meters:")
        for meter in meters:
            lines.append(f"  {meter['name']}: {{start: {meter['start']}, min: {meter['min']}, max: {meter['max']}}}")
    if flags:
        lines.append(f"flags: [{', '.join(f['name'] for f in flags)}]")
    start_scene = scenes[start_name]
    for raw, var in variables.items():
        if var["kind"] == "flag" and var.get("start"):
            start_scene.on_enter.setdefault(raw, True)
    lines.append(f"start: {start_scene.id}")
    lines.append("scenes:")
    for scene in scenes.values():
        passage = scene.passage
        where = f"missing passage '{passage.name}'" if scene.placeholder else \
            f"passage '{passage.name}', line {passage.line}"
        lines.append(f"  {scene.id}:{' ' * max(1, 28 - len(scene.id))}# {_comment(where)}")
        for comment in scene.comments:
            lines.append(f"    # untranslated, {_comment(comment)}")
        effects = _effects_yaml(scene.on_enter, variables)
        if effects:
            lines.append(f"    on_enter: {effects}")
        paragraphs = scene.paragraphs or [passage.name]
        lines.append("    text:")
        for paragraph in paragraphs:
            lines.append(f"      - {_quote(paragraph)}")
        if scene.choices:
            lines.append("    choices:")
            for number, choice in enumerate(scene.choices):
                target = scenes[choice.target].id
                if number >= MAX_CHOICES:
                    lines.append(f"      # untranslated, line {choice.line}: a 10th+ link: "
                                 f"{_comment(choice.text)} -> {target}")
                    continue
                lines.append(f"      - text: {_quote(choice.text)}")
                choice_effects = _effects_yaml(choice.effects, variables)
                if choice_effects:
                    lines.append(f"        effects: {choice_effects}")
                lines.append(f"        goto: {target}")
        else:
            title_text = "Missing: " + passage.name if scene.placeholder else passage.name
            lines.append(f"    ending: {{title: {_quote(title_text)}, tone: unresolved}}   # TODO: choose the tone")
    if scripts:
        lines.append("# Story JavaScript from the Twine file, kept for reference (it does not run here):")
        for passage in scripts:
            lines.append(f"#   :: {_comment(passage.name)} (line {passage.line})")
            for _, code in passage.lines:
                lines.append(f"#   {_comment(code)}".rstrip())
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    return " ".join(str(text).split()) if "\n" in str(text) else str(text).replace("\r", "")
