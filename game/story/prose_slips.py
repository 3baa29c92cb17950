"""The slips YAML reads without complaint, but not as the writer meant: warnings for `check`.

A ' #' inside plain text starts a comment, so the rest of the text silently disappears; a text
opened with a curly quote and closed with a straight one (“Hello") shows both to the player.
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.story.errors import StoryError, StoryLoadError
from game.story.source import compose
from game.story.yaml_slips import BLOCK, lines_of, piece

PROSE_KEYS = {"text", "thought", "title", "summary", "perspective", "locked", "remember", "label",
              "description", "content_notes", "debrief", "support"}
SHORT_KEYS = {"title", "label"}
_COMMENT_AFTER = re.compile(r"([ \t]+)#(.*)")
_NOT_PROSE = re.compile(r"\s*(?:check:|todo|fixme|note|xxx|noqa|yaml-language-server)", re.IGNORECASE)
_SENTENCE_END = tuple(".!?…\"'’”)")


def _prose_scalars(node: Node, key: str = ""):
    """(key, scalar) for every scalar under a prose key (a loop, not recursion: files nest deep)."""
    stack = [(node, key)]
    while stack:
        node, key = stack.pop()
        if isinstance(node, ScalarNode):
            if key in PROSE_KEYS:
                yield key, node
        elif isinstance(node, SequenceNode):
            stack.extend((item, key) for item in reversed(node.value))
        elif isinstance(node, MappingNode):
            for k, v in reversed(node.value):
                stack.append((v, k.value if isinstance(k, ScalarNode) else ""))


def _looks_cut(key: str, before: str, gap: str, comment: str) -> bool:
    """Whether ' #' + `comment` after the text `before` reads as more of the text, not as a note.

    One space before the '#' and no space after it ('#3', '#metoo') is a hash typed inside the
    text. In sentences (not in short labels and titles), one space and lower-case words running on
    from unfinished text are the rest of the sentence. Two spaces before '#' is a comment.
    """
    if gap != " " or not comment.strip() or _NOT_PROSE.match(comment) or not re.search(r"[^\W\d_]", before):
        return False
    if comment[:1] not in (" ", "\t"):
        return True
    words = comment.split()
    return key not in SHORT_KEYS and not before.rstrip().endswith(_SENTENCE_END) and len(words) >= 2 \
        and words[0][:1].islower()


def _slips(root: Node | None, text: str, shown: str) -> list[StoryError]:
    """Warnings for texts YAML read, but not as the writer meant."""
    if root is None:
        return []
    lines = lines_of(text)
    found: list[StoryError] = []
    for key, node in _prose_scalars(root):
        if node.style or node.tag != "tag:yaml.org,2002:str" or not node.value:
            continue
        value = node.value
        end = node.end_mark
        line = lines[end.line] if end.line < len(lines) else ""
        after = _COMMENT_AFTER.match(line, end.column)
        if after and _looks_cut(key, value, after.group(1), after.group(2)):
            lost = piece("#" + after.group(2), 30)
            found.append(StoryError(
                shown, end.line + 1, after.start(2),  # (0-based index of '#') + 1
                f"the text stops at ' #': YAML reads \"{lost}\" as a comment, and the player never sees it",
                f"to keep the '#' and what follows, put the whole text in quotes, or {BLOCK}", "warning",
                "text-cut-by-comment"))
        first, last = value[0], value[-1]
        if first in "‘“" and last in "'\"":  # (a plain text cannot start with a straight quote)
            start = node.start_mark
            found.append(StoryError(
                shown, start.line + 1, start.column + 1,
                f"this text opens with {first} and closes with {last}, so the player sees both",
                "to quote it for YAML, use a straight quote at both ends; to show quotes to the player, put curly "
                "ones at both ends, inside straight ones: '“…”'", "warning", "mixed-quotes"))
    return found


_MAYBE_SLIP = re.compile(r"\S[ \t]+#|[‘“]")


def prose_slips(text: str, shown: str) -> list[StoryError]:
    """Warnings for the text of a story file that loads (cheap when it has no ' #' and no ‘ or “)."""
    if _MAYBE_SLIP.search(text) is None:
        return []
    try:
        root = compose(text, shown)
    except StoryLoadError:
        return []
    return _slips(root, text, shown)
