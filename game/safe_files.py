"""Reading a file someone else may have put there: regular files only, never more than a limit.

`open().read()` on a FIFO waits forever, and on a link to /dev/zero never ends; a size check
after reading comes too late. `read_limited` refuses anything but a regular file before reading,
and reads at most `limit + 1` bytes, so "too large" is known without holding the whole file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(OSError):
    """A file that is not read; `str()` is a reason a person can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.strerror = reason

    def __str__(self) -> str:
        return self.reason


def read_limited(path: str | Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or UnreadableFile saying why not."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile("there is no such file") from None
    except IsADirectoryError:
        raise UnreadableFile("it is a folder, not a file") from None
    except OSError as exc:
        if not follow_links and Path(path).is_symlink():
            raise UnreadableFile("it is a link to another file, which is not followed") from None
        raise UnreadableFile(f"it cannot be read ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableFile("it is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise UnreadableFile("it is not a regular file (a pipe, a socket or a device)")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except UnreadableFile:
        raise
    except OSError as exc:
        raise UnreadableFile(f"it cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise UnreadableFile(f"it is over the limit of {limit:,} bytes")
    return b"".join(chunks)


__all__ = ["UnreadableFile", "read_limited"]


def write_atomically(path: str | Path, data: bytes) -> None:
    """Replace `path` with `data` all at once: a reader (or a crash) sees the old file or the new
    one, never half of either. The new file keeps the old one's permissions."""
    import tempfile

    path = Path(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
