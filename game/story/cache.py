"""A cache of compiled stories, keyed by the hash of the source and the compiler's version.

It lives in `$UNDERSTOOD_CACHE`, else `$XDG_CACHE_HOME/understood`, else `~/.cache/understood`.
A cache entry that is missing, corrupt or from another version is silently rebuilt; a cache
directory that cannot be written is silently skipped. The cache is only ever a speed-up.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from game import __version__
from game.dirs import user_dir
from game.story import compiled
from game.story.model import Story
from game.story.texts import watched_scenes


def cache_dir() -> Path:
    return user_dir("UNDERSTOOD_CACHE", "XDG_CACHE_HOME", ".cache")


def _entry(digest: str) -> Path:
    return cache_dir() / f"{digest[:32]}-c{compiled.COMPILED_VERSION}-{__version__}.json"


def get(digest: str, path: str, rebuild=None) -> Story | None:
    """The compiled story, or None when the entry is missing, damaged or from another version.

    An entry starts with the SHA-256 of the rest, so a damaged file is never half-trusted. Its
    header is decoded and checked here; each scene when it is first looked up, and checked then
    (`compiled.LazyScenes`): should an entry with a valid checksum hold a bad scene, `rebuild()`
    (the story compiled from its source, the cache's own loader passes it) gives every scene, so
    that is never a failure in the middle of a game. Without `rebuild`, every scene is decoded
    and checked now.
    """
    entry = _entry(digest)
    try:
        with entry.open("rb") as handle:
            raw = handle.read()
        cut = raw.find(b"\n")  # the payload is hashed and split where it lies (no copy of it first)
        if cut < 0 or hashlib.sha256(memoryview(raw)[cut + 1:]).hexdigest().encode() != raw[:cut]:
            return None
        _, header, *lines = raw.split(b"\n")
        data = json.loads(header)
        if not isinstance(data, dict) or data.get("content_hash") != digest:
            return None
        # One line a scene, `id<TAB>json`.
        data["scenes"] = {scene_id.decode(): body for scene_id, _, body in (line.partition(b"\t") for line in lines)}
        return compiled.from_data(data, path, rebuild)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return None


def put(story: Story) -> None:
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
        try:
            data = compiled.to_data(story)
            data["watched"] = sorted(watched_scenes(story))  # so a game need not decode every scene to know
            scenes = data.pop("scenes")
            compact = (",", ":")
            payload = "\n".join([json.dumps(data, separators=compact)] + [
                f"{scene['id']}\t{json.dumps(scene, separators=compact)}" for scene in scenes]).encode("utf-8")
            with os.fdopen(fd, "wb") as handle:
                handle.write(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
            os.replace(tmp, _entry(story.content_hash))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
