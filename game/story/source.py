"""Reading an untrusted story file safely: size limit, UTF-8, safe YAML, bounded nesting."""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

import yaml

from game.story.errors import StoryError, StoryLoadError

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 8 * 1024 * 1024
# libyaml's composer recurses once per nesting level and crashes the process somewhere past
# 10,000 levels. Files that could nest that deep are composed on a thread with a larger stack.
_SAFE_DEPTH = 4_000
_MAX_STACK = 1024 * 1024 * 1024
_INDENT = re.compile(r"^[ \t]*", re.MULTILINE)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, shown: str) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise StoryLoadError([StoryError(shown, 1, 1, f"cannot read story file: {exc.strerror or exc}",
                                         "check the path", code="io")]) from None
    if size > MAX_FILE_BYTES:
        raise StoryLoadError([StoryError(
            shown, 1, 1, f"story file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
            "split the story into smaller files", code="too-large")])
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise StoryLoadError([StoryError(shown, 1, 1, f"cannot read story file: {exc.strerror or exc}",
                                         "check the path and its permissions", code="io")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise StoryLoadError([StoryError(shown, 1, 1, f"story file is over the limit of {MAX_FILE_BYTES:,} bytes",
                                         "split the story into smaller files", code="too-large")])
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


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on how deeply the YAML could nest: every level needs an opening
    bracket somewhere, or more indentation or an indicator on its line."""
    longest_line = max((len(line) for line in text.splitlines()), default=0)
    return text.count("[") + text.count("{") + 2 * longest_line


def _compose(text: str):
    return yaml.compose(text, Loader=Loader)


def _compose_on_big_stack(text: str, stack: int):
    result: dict = {}

    def run() -> None:
        try:
            result["node"] = _compose(text)
        except BaseException as exc:  # handed back to the caller's thread
            result["error"] = exc

    old = threading.stack_size()
    threading.stack_size(stack)
    try:
        worker = threading.Thread(target=run, name="yaml-compose")
        worker.start()
    finally:
        threading.stack_size(old)
    worker.join()
    if "error" in result:
        raise result["error"]
    return result.get("node")


def _exact_depth(text: str) -> int:
    """The real nesting depth, from the event stream; slow, used only for pathological files."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return deepest


def compose(text: str, shown: str):
    """Parse YAML text into a node tree (with positions), without constructing any objects."""
    try:
        bound = _nesting_bound(text)
        if bound <= _SAFE_DEPTH:
            node = _compose(text)
        else:
            stack = 16 * 1024 * 1024 + bound * 1024
            if stack > _MAX_STACK:
                depth = _exact_depth(text)
                if depth > 200:
                    raise StoryLoadError([StoryError(
                        shown, 1, 1, f"the YAML nests {depth} levels deep", "a story needs only a few levels",
                        code="too-deep")])
                stack = 16 * 1024 * 1024 + depth * 4096
            node = _compose_on_big_stack(text, stack)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or "invalid YAML").strip()
        hint = str(exc.context) if exc.context else "check the indentation and quoting around this place"
        if "\t" in problem or "tab" in problem:
            hint = "YAML indents with spaces, never tabs"
        raise StoryLoadError([StoryError(shown, line, col, f"YAML syntax: {problem}", hint, code="yaml")]) from None
    except yaml.YAMLError as exc:
        raise StoryLoadError([StoryError(shown, 1, 1, f"YAML syntax: {exc}", "check the file is YAML",
                                         code="yaml")]) from None
    if node is None:
        raise StoryLoadError([StoryError(shown, 1, 1, "the story file is empty",
                                         "start from `understood new \"Title\"` or docs/story-format.md",
                                         code="empty")])
    return node
