"""A story as an editor sees it: the file open, the story file it belongs to, and every file that
story includes (format 2), each with its `Index`.

Files are read through a `read(path)` function, so that what an editor holds unsaved wins over
what is on disk. Paths are absolute strings, as the server gets them from `file:` URIs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from game.lsp.symbols import FILE, FLAG, METER, SCENE, Index, MeterInfo, Place, SceneInfo, Symbol, index

Read = Callable[[str], "str | None"]
STORY_SUFFIXES = (".yaml", ".yml")
SEARCH_UP = 3  # how many folders above an included file to look for the story that includes it
SEARCH_FILES = 500  # at most this many files looked at, so that a huge folder cannot stall the server


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    place: Place


def read_file(path: str) -> str | None:
    """A story file's text from disk (bounded as the loader bounds it), or None."""
    from game.story.files import MAX_FILE_BYTES

    try:
        file = Path(path)
        if not file.is_file() or file.stat().st_size > MAX_FILE_BYTES:
            return None
        return file.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None


def is_story(path: str, found: Index | None) -> bool:
    """Whether to check a YAML file as a story: it has a story's keys (`scenes`, `format`, `start`),
    or, not being a mapping yet (empty, or not YAML), it is in a `stories` folder (not its tests).
    An editor may start the server for every YAML file; a CI workflow is left alone."""
    if found is not None and found.keys:
        return bool({"scenes", "format", "start"} & set(found.keys))
    parts = Path(path).parts
    return "stories" in parts and "tests" not in parts[parts.index("stories"):]


def story_of(path: str, found: Index | None, read: Read = read_file) -> str:
    """The story file to check for the file at `path`: itself, or, for a file that only holds
    `scenes:`, the story file nearby that includes it (itself when none does)."""
    if found is None or not found.included:
        return path
    target = Path(path).resolve()
    folder = target.parent
    looked = 0
    for _ in range(SEARCH_UP + 1):
        try:
            candidates = sorted(p for p in folder.iterdir() if p.suffix in STORY_SUFFIXES and p.is_file())
        except OSError:
            candidates = []
        for candidate in candidates:
            looked += 1
            if looked > SEARCH_FILES:
                return path
            if candidate.resolve() == target:
                continue
            text = read(str(candidate))
            if not text or "include" not in text:
                continue
            other = index(text, str(candidate))
            if other is not None and any((candidate.parent / name).resolve() == target for name in other.includes):
                return str(candidate)
        if folder.parent == folder:
            break
        folder = folder.parent
    return path


class Project:
    """The files of one story, indexed; answers where things are defined and used."""

    def __init__(self, main: str, files: dict[str, Index]):
        self.main = main
        self.files = files  # path -> index, the story's own file first

    @classmethod
    def of(cls, path: str, text: str, read: Read = read_file, found: Index | None = None) -> "Project":
        """The project of the open file at `path` holding `text` (its index, if already built)."""
        found = found if found is not None else index(text, path)
        main = story_of(path, found, read)
        files: dict[str, Index] = {}
        main_index = found if main == path else _index_of(main, read)
        if main_index is not None:
            files[main] = main_index
            for name in main_index.includes:
                included = str(Path(main).parent / name)
                if included == path and found is not None:
                    files[included] = found
                elif included not in files:
                    other = _index_of(included, read)
                    if other is not None:
                        files[included] = other
        if found is not None and path not in files:
            files[path] = found
        meters = {name for f in files.values() for name in f.meters}
        return cls(main, {p: f if p == main else f.with_meters(meters) for p, f in files.items()})

    @property
    def format(self) -> int:
        main = self.files.get(self.main)
        return main.format if main is not None else 1

    def names(self, kind: str) -> list[str]:
        seen: dict[str, None] = {}
        for found in self.files.values():
            table = {SCENE: found.scenes, METER: found.meters, FLAG: found.flags}[kind]
            seen.update(dict.fromkeys(table))
        return list(seen)

    def scene(self, name: str) -> SceneInfo | None:
        return next((f.scenes[name] for f in self.files.values() if name in f.scenes), None)

    def meter(self, name: str) -> MeterInfo | None:
        return next((f.meters[name] for f in self.files.values() if name in f.meters), None)

    def at(self, path: str, line: int, col: int) -> Symbol | None:
        found = self.files.get(path)
        return found.at(line, col) if found is not None else None

    def definition(self, kind: str, name: str) -> Location | None:
        if kind == FILE:
            target = Path(self.main).parent / name
            return Location(str(target), Place(0, 0, 0)) if target.is_file() else None
        for path, found in self.files.items():
            place = found.definition(kind, name)
            if place is not None:
                return Location(path, place)
        return None

    def uses(self, kind: str, name: str) -> list[tuple[Location, Symbol]]:
        return [(Location(path, s.place), s) for path, found in self.files.items()
                for s in sorted(found.uses, key=lambda s: s.place) if s.kind == kind and s.name == name]

    def references(self, kind: str, name: str, *, declaration: bool = True) -> list[Location]:
        found = [location for location, _ in self.uses(kind, name)]
        definition = self.definition(kind, name) if declaration else None
        return ([definition] if definition is not None else []) + found


def _index_of(path: str, read: Read) -> Index | None:
    text = read(path)
    return index(text, path) if text is not None else None
