"""Where stories live: finding a story by id or path, and listing the story directories."""

from __future__ import annotations

import os
from pathlib import Path


STORY_SUFFIXES = (".yaml", ".yml")
_REPO_STORIES = Path(__file__).resolve().parent.parent.parent / "stories"


class StoryNotFound(Exception):
    """`ref` is neither a story file nor the id of a story in the story directories."""


def default_story_dirs(extra: list[str | Path] | None = None) -> list[Path]:
    """`--stories` dirs first, then $UNDERSTOOD_STORIES, ./stories, and the bundled stories."""
    dirs = [Path(p) for p in extra or []]
    env = os.environ.get("UNDERSTOOD_STORIES")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += [Path("stories"), _REPO_STORIES]
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and all(d.resolve() != u.resolve() for u in unique):
            unique.append(d)
    return unique


def discover(paths: list[str | Path]) -> list[Path]:
    """Every story file under the given files and directories (not recursing into tests/)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.iterdir() if f.suffix in STORY_SUFFIXES and f.is_file())
        elif p.exists():
            found.append(p)
    return found


def _story_id_of(path: Path) -> str | None:
    """Read just the top-level `id:` of a story file cheaply (first lines only)."""
    import yaml

    from game.story.source import Loader

    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for _, line in zip(range(60), handle):
                if line.startswith("id:"):
                    value = yaml.load(line, Loader=Loader)
                    return str(value.get("id")) if isinstance(value, dict) else None
    except (OSError, yaml.YAMLError):
        return None
    return None


def find_story(ref: str, dirs: list[Path] | None = None) -> Path:
    """A story file path from a path or a story id (file stem or declared id)."""
    candidate = Path(ref)
    if candidate.suffix in STORY_SUFFIXES or os.sep in ref or "/" in ref:
        if candidate.is_file():
            return candidate
        raise StoryNotFound(f"no story file at {ref}")
    for d in dirs if dirs is not None else default_story_dirs():
        for suffix in STORY_SUFFIXES:
            if (d / f"{ref}{suffix}").is_file():
                return d / f"{ref}{suffix}"
        for f in discover([d]):
            if _story_id_of(f) == ref:
                return f
    known = sorted({f.stem for d in (dirs if dirs is not None else default_story_dirs()) for f in discover([d])})
    hint = f" Known stories: {', '.join(known)}." if known else ""
    raise StoryNotFound(f"no story called '{ref}'.{hint}")
