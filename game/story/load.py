"""Loading a story file, through the compiled cache when the source is unchanged."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path

from game.story import cache
from game.story.errors import StoryError, StoryLoadError
from game.story.model import Story
from game.story.files import MAX_FILE_BYTES, SPLIT_HINT, content_hash, decode, read_bytes


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building a large, acyclic model.

    Loading allocates hundreds of thousands of small objects; each allocation burst would
    otherwise trigger collections that rescan everything built so far (a 3x slowdown on big stories).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_story(path: str | Path, *, use_cache: bool = True) -> Story:
    """Load and validate a story file; raise StoryLoadError listing every problem."""
    with gc_paused():
        return _load(Path(path), use_cache)


def _load(path: Path, use_cache: bool) -> Story:
    shown = str(path)
    data = read_bytes(path, shown)
    digest = content_hash(data)
    def from_source() -> Story:
        from game.story.loader import build_story  # the YAML side, needed only when the cache misses

        return build_story(decode(data, shown), shown, digest, path.parent)

    if use_cache:
        story = cache.get(digest, shown, lambda: _rebuilt(from_source).scenes)
        if story is not None and _includes_unchanged(story, path):
            return story
    story = from_source()
    if use_cache:
        cache.put(story)
    return story


def _rebuilt(from_source) -> Story:
    """The story compiled again from its source, for a cache entry found bad after it was read
    (see `cache.get`); the entry is written anew."""
    with gc_paused():
        story = from_source()
    cache.put(story)
    return story


def _includes_unchanged(story: Story, path: Path) -> bool:
    """Whether every file the story includes still has the bytes it was compiled from."""
    for name, digest in story.includes:
        try:
            if content_hash(read_bytes(path.parent / name, name)) != digest:
                return False
        except StoryLoadError:
            return False
    return True


def check_file(path: str | Path) -> tuple[Story | None, list[StoryError]]:
    """Validate a story from its source (never the cache): the story, or None, and every problem."""
    try:
        return load_story(path, use_cache=False), []
    except StoryLoadError as exc:
        return None, exc.errors


def check_source(path: str | Path, text: str) -> tuple[Story | None, list[StoryError]]:
    """Like `check_file`, for the text an editor holds for `path` (perhaps unsaved); the files
    the story includes are read from disk, beside `path`."""
    path = Path(path)
    shown = str(path)
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_FILE_BYTES:
        return None, [StoryError(shown, 1, 1, f"story file is {len(data):,} bytes, over the limit of "
                                 f"{MAX_FILE_BYTES:,}", SPLIT_HINT, code="too-large")]
    from game.story.loader import build_story

    try:
        with gc_paused():
            return build_story(text, shown, content_hash(data), path.parent), []
    except StoryLoadError as exc:
        return None, exc.errors
