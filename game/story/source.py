"""Reading an untrusted story file safely: size limit, UTF-8, safe YAML, bounded nesting."""

from __future__ import annotations

import re
import threading

import yaml

from game.safe_text import clean_line
from game.story.errors import StoryError, StoryLoadError
from game.story.yaml_slips import explain, unreadable_character

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# libyaml's composer recurses once per nesting level and crashes the process somewhere past
# 10,000 levels. Files that could nest that deep are composed on a thread with a larger stack.
_SAFE_DEPTH = 4_000
_MAX_STACK = 1024 * 1024 * 1024
_INDENT = re.compile(r"^[ \t]*", re.MULTILINE)


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


def _explained(exc: yaml.MarkedYAMLError, text: str, shown: str) -> StoryError:
    """The error in writers' words (game/story/yaml_slips.py); YAML's own, should that fail."""
    try:
        return explain(exc, text, shown)
    except Exception:  # a diagnostic helper must never hide the error it explains
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return StoryError(shown, line, col, f"YAML syntax: {clean_line((exc.problem or 'invalid YAML').strip())}",
                          "check the indentation and quoting around this place", code="yaml")


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
        raise StoryLoadError([_explained(exc, text, shown)]) from None
    except yaml.reader.ReaderError as exc:
        raise StoryLoadError([unreadable_character(exc, text, shown)]) from None
    except yaml.YAMLError as exc:
        raise StoryLoadError([StoryError(shown, 1, 1, f"YAML syntax: {exc}", "check the file is YAML",
                                         code="yaml")]) from None
    if node is None:
        raise StoryLoadError([StoryError(shown, 1, 1, "the story file is empty",
                                         "start from `understood new \"Title\"` or docs/story-format.md",
                                         code="empty")])
    return node
