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
import zlib
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

    An entry is `checksum\nheader\n` then one line a scene, `id<TAB>json`. The checksum is the
    SHA-256 of the header, which lists each scene's id, where its JSON lies (byte offsets from the
    first scene line) and its CRC-32, so a damaged file is never half-trusted, and loading reads
    and hashes only the header. Each scene is decoded, its CRC and fields checked, when it is first
    looked up (`compiled.LazyScenes`): should a scene be damaged or bad, `rebuild()` (the story
    compiled from its source, the cache's own loader passes it) gives every scene, so that is
    never a failure in the middle of a game. Without `rebuild`, every scene is decoded and
    checked now.
    """
    entry = _entry(digest)
    try:
        with entry.open("rb") as handle:
            raw = handle.read()
        cut = raw.find(b"\n")
        end = raw.find(b"\n", cut + 1)
        if cut < 0 or end < 0:
            return None
        header = raw[cut + 1:end]
        if hashlib.sha256(header).hexdigest().encode() != raw[:cut]:
            return None
        data = json.loads(header)
        if not isinstance(data, dict) or data.get("content_hash") != digest:
            return None
        base = end + 1
        data["scenes"] = {str(scene_id): (base + start, base + stop, int(crc))
                          for scene_id, start, stop, crc in data.pop("index")}
        if rebuild is None:  # every scene now: its bytes, checked
            spans = data["scenes"]
            data["scenes"] = {sid: raw[start:stop] for sid, (start, stop, _) in spans.items()}
            if any(zlib.crc32(data["scenes"][sid]) != crc for sid, (_, _, crc) in spans.items()):
                return None
        return compiled.from_data(data, path, rebuild, raw)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return None


def payload(header: dict, scenes: list[tuple[str, bytes]]) -> bytes:
    """An entry's bytes: `header` (its `index` added) and each scene's id and JSON (see `get`)."""
    index, lines, at = [], [], 0
    for scene_id, body in scenes:
        line = scene_id.encode("utf-8") + b"\t"
        index.append([scene_id, at + len(line), at + len(line) + len(body), zlib.crc32(body)])
        lines.append(line + body)
        at += len(line) + len(body) + 1
    head = json.dumps({**header, "index": index}, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(head).hexdigest().encode() + b"\n" + head + b"\n" + b"\n".join(lines)


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
            written = payload(data, [(scene["id"], json.dumps(scene, separators=compact).encode("utf-8"))
                                     for scene in scenes])
            with os.fdopen(fd, "wb") as handle:
                handle.write(written)
            os.replace(tmp, _entry(story.content_hash))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
