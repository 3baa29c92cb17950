"""Reading a story file's bytes safely: a size limit, a content hash, and UTF-8 with a position.

Kept apart from the YAML parsing (source.py) so that loading from the compiled cache never
imports a YAML library at all: the game starts faster.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from game.story.errors import StoryError, StoryLoadError

MAX_FILE_BYTES = 8 * 1024 * 1024
SPLIT_HINT = ("split the story across several files: 'format: 2' and 'include: [part-two.yaml]', each file "
              "within the limit (see docs/story-format.md)")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, shown: str) -> bytes:
    try:
        info = path.stat()
    except OSError as exc:
        raise StoryLoadError([StoryError(shown, 1, 1, f"cannot read story file: {exc.strerror or exc}",
                                         "check the path", code="io")]) from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would hang the read or never end
        raise StoryLoadError([StoryError(shown, 1, 1, "this is not a regular file (a pipe, a device or a folder)",
                                         "name a .yaml story file", code="io")])
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise StoryLoadError([StoryError(
            shown, 1, 1, f"story file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
            SPLIT_HINT, code="too-large")])
    try:
        with path.open("rb") as handle:
            # as many bytes as stat said (a read of the limit would make an 8 MB buffer each time),
            # then, should the file have grown since, on up to the limit
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as exc:
        raise StoryLoadError([StoryError(shown, 1, 1, f"cannot read story file: {exc.strerror or exc}",
                                         "check the path and its permissions", code="io")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise StoryLoadError([StoryError(shown, 1, 1, f"story file is over the limit of {MAX_FILE_BYTES:,} bytes",
                                         SPLIT_HINT, code="too-large")])
    return data


def decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise StoryLoadError([StoryError(shown, line, col, "the file is not valid UTF-8 text",
                                         "save the file as UTF-8", code="encoding")]) from None
