"""YAML's error messages, for the slips writers make, put into writers' words.

PyYAML says "did not find expected key" for an apostrophe inside '...', and "mapping values are
not allowed in this context" for a ': ' inside text. `explain` looks at the file around the
place YAML stopped (and at the tokens YAML read before it) to name the slip, point at it and
say how to fix it; YAML's own words are kept in `detail`, for experts.

`text_read_as_key` and `bang_for_not` name two slips YAML reads without complaint, for the loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
import yaml.reader
from yaml.nodes import MappingNode, Node, ScalarNode

from game.safe_text import clean_line, describe
from game.story.errors import StoryError

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The line breaks YAML counts (str.splitlines counts more, e.g. form feed).
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_KEY_LINE = re.compile(r"\s*(-\s+)*([^\s#'\"\-][^:#]*?|-[^\s:#][^:#]*?)\s*:(\s|$)")
CURLY_CLOSE = "’”"
BLOCK = "write it as a block ('>-' after the key, the text indented on the next line)"
BLOCK_ITEM = "write it as a block ('>-' after the '-', the text indented on the next line)"
QUOTE_FIX = f"put the whole text in double quotes, or {BLOCK}"


@dataclass(frozen=True, slots=True)
class _Place:
    line: int  # 0-based, as YAML counts
    col: int

    @classmethod
    def of(cls, mark) -> "_Place":
        return cls(mark.line, mark.column)


def lines_of(text: str) -> list[str]:
    return _BREAK.split(text)


def piece(text: str, limit: int = 40) -> str:
    """A piece of the file, safe to print and short."""
    text = clean_line(text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tokens(text: str) -> list:
    """The tokens YAML read before it stopped (all of them for an error found by the parser)."""
    found = []
    try:
        for token in yaml.scan(text, Loader=Loader):
            found.append(token)
    except yaml.YAMLError:
        pass
    return found


def _said(exc: yaml.MarkedYAMLError) -> str:
    parts = [p.strip() for p in (exc.problem, exc.context) if p]
    return "YAML said: " + clean_line(", ".join(parts) or "invalid YAML")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_of(line: str) -> str | None:
    match = _KEY_LINE.match(line)
    return match.group(2).strip() if match else None


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


class _Explainer:
    def __init__(self, exc: yaml.MarkedYAMLError, text: str, shown: str):
        self.exc = exc
        self.shown = shown
        self.lines = lines_of(text)
        self.text = text
        self.problem = (exc.problem or "").strip()
        self.context = (exc.context or "").strip()
        mark = exc.problem_mark or exc.context_mark
        self.mark = _Place.of(mark) if mark else _Place(0, 0)
        self.start = _Place.of(exc.context_mark) if exc.context_mark else None
        self._tokens: list | None = None

    @property
    def tokens(self) -> list:
        if self._tokens is None:
            self._tokens = _tokens(self.text)
        return self._tokens

    def line(self, number: int) -> str:
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def error(self, place: _Place, message: str, hint: str) -> StoryError:
        return StoryError(self.shown, place.line + 1, place.col + 1, message, hint, code="yaml",
                          detail=_said(self.exc))

    # --- the slips, most telling first ------------------------------------------------------

    def explain(self) -> StoryError:
        for diagnose in (self.unclosed_quote, self.quote_closed_early, self.tab, self.colon_in_text,
                         self.missing_colon, self.list_item, self.bracket_start, self.indentation, self.odd_start,
                         self.escape, self.flow, self.block_scalar, self.second_document):
            found = diagnose()
            if found is not None:
                return found
        hint = self.context if self.context else "check the indentation and quoting around this place"
        return self.error(self.mark, f"YAML syntax: {clean_line(self.problem or 'invalid YAML')}", clean_line(hint))

    def mixed_quotes(self, opening: _Place, quote: str) -> StoryError | None:
        """A text opened with a straight quote whose line ends in a curly one."""
        rest = self.line(opening.line)[opening.col + 1:]
        stripped = rest.rstrip()
        curly = "’" if quote == "'" else "”"
        if quote in rest or not stripped.endswith(tuple(CURLY_CLOSE)):
            return None
        end = _Place(opening.line, opening.col + 1 + len(stripped) - 1)
        closing = stripped[-1]
        return self.error(
            end, f"this text opens with a straight {quote} but closes with a curly {closing}",
            f"YAML needs the same straight quote at both ends: {quote}…{quote} (a curly {curly} inside the text is "
            "fine); a word processor may have curled it")

    def unclosed_quote(self) -> StoryError | None:
        if "quoted scalar" not in self.context or self.start is None or "end of stream" not in self.problem \
                and "document" not in self.problem:
            return None
        quote = self.line(self.start.line)[self.start.col: self.start.col + 1]
        if quote not in ("'", '"'):
            return None
        return self.mixed_quotes(self.start, quote) or self.error(
            self.start, f"this {quote} opens a quoted text that is never closed",
            f"end the text with {quote} on the same line" + (
                "; an apostrophe inside '…' is written twice ('')" if quote == "'" else ""))

    def quote_closed_early(self) -> StoryError | None:
        """Something follows a quoted text on its line: a quote inside it ended it early."""
        if "while parsing" not in self.context:
            return None
        before = [t for t in self.tokens
                  if isinstance(t, yaml.ScalarToken) and t.style in ("'", '"')
                  and (t.end_mark.line, t.end_mark.column) <= (self.mark.line, self.mark.col)]
        if not before:
            return None
        token = before[-1]
        end = _Place.of(token.end_mark)
        between = self.line(end.line)[end.col: self.mark.col] if end.line == self.mark.line else None
        if between is None or between.strip():
            return None
        quote = token.style
        opening = _Place.of(token.start_mark)
        if opening.line != end.line:
            mixed = self.mixed_quotes(opening, quote)
            if mixed is not None:
                return mixed
        line = self.line(end.line)
        at = _Place(end.line, end.col - 1)
        left, right = re.search(r"[\w’]*$", line[: at.col]).group(0), re.match(r"[\w’]*", line[end.col:]).group(0)
        if quote == "'":
            word = piece(left + "'" + right) if left or right else "'"
            twice = piece(left + "''" + right) if left or right else "''"
            return self.error(
                at, f"the apostrophe in \"{word}\" ends the single-quoted text early",
                f"inside '…' write the apostrophe twice ({twice}), or put the text in double quotes, or {BLOCK}")
        return self.error(
            at, "a \" inside the double-quoted text ends it early",
            "write \\\" for a quote inside \"…\", or put the whole text in single quotes instead: '\"No,\" he said.'")

    def tab(self) -> StoryError | None:
        if "tab" not in self.problem and not (
                "cannot start any token" in self.problem and self.line(self.mark.line)[self.mark.col:][:1] == "\t"):
            return None
        for number in range(self.mark.line, -1, -1):
            lead = re.match(r"[ \t]*", self.line(number)).group(0)
            if "\t" in lead:
                place = _Place(number, lead.index("\t"))
                break
        else:
            place = self.mark
        above = next((line for line in reversed(self.lines[: place.line])
                      if line.strip() and not line.lstrip().startswith("#") and "\t" not in line), None)
        like = f" (the line above has {_spaces(_indent(above))})" if above is not None else ""
        return self.error(place, "a tab indents this line, and YAML indents with spaces only",
                          f"replace the tab with spaces, lined up with the line it belongs with{like}")

    def colon_in_text(self) -> StoryError | None:
        if "mapping values are not allowed" not in self.problem:
            return None
        scalars = [t for t in self.tokens if isinstance(t, yaml.ScalarToken)]
        line = self.line(self.mark.line)
        if scalars:
            text = scalars[-1]
            index = self.tokens.index(text)
            key = self.tokens[index - 2] if index >= 2 and isinstance(self.tokens[index - 1], yaml.ValueToken) \
                else None
            started = text.start_mark.line
            out_of_line = _key_of(line)
            if started < self.mark.line and out_of_line is not None and line[: self.mark.col].strip() == out_of_line:
                if isinstance(key, yaml.ScalarToken) and key.start_mark.line == started:
                    want = key.start_mark.column
                    return self.error(
                        _Place(self.mark.line, _indent(line)),
                        f"'{piece(out_of_line)}' is indented deeper than '{piece(key.value)}' on line {started + 1}, "
                        f"so YAML reads it as more of that text",
                        f"indent '{piece(out_of_line)}' by {_spaces(want)}, like '{piece(key.value)}' "
                        f"(it has {_indent(line)})")
                first = self.line(started).strip()
                if ":" not in first:
                    return self.no_colon(_Place(started, text.start_mark.column), first)
        if "((" in line:
            hint = ("an inline form such as ((first: …)) holds ': ', which YAML reads as a key in an unquoted "
                    f"text: put the whole text in quotes, or {BLOCK}")
        else:
            value = line[self.mark.col:]
            hint = QUOTE_FIX
            start = scalars[-1].start_mark if scalars else None
            if start is not None and start.line == self.mark.line and '"' not in line and "\\" not in line \
                    and "#" not in value:
                whole = line[start.column:].rstrip()
                hint = f"put the whole text in double quotes (\"{piece(whole, 80)}\"), or {BLOCK}"
        words = f"'{piece(scalars[-1].value)}'" if scalars and scalars[-1].start_mark.line == self.mark.line \
            else "the words before it"
        return self.error(self.mark, f"': ' inside text that is not in quotes: YAML reads {words} as a key", hint)

    def no_colon(self, place: _Place, first: str) -> StoryError:
        word, _, rest = first.partition(" ")
        example = f" ('{piece(word)}: {piece(rest)}')" if rest and re.fullmatch(r"[a-z_]+", word) else ""
        return self.error(place, f"'{piece(first)}' has no ':' after its key",
                          f"write the key, then ': ', then the value{example}")

    def missing_colon(self) -> StoryError | None:
        if "could not find expected ':'" not in self.problem or self.start is None:
            return None
        return self.no_colon(self.start, self.line(self.start.line).strip())

    def list_item(self) -> StoryError | None:
        """A line inside a list that does not start with '-'."""
        in_list = "expected '-' indicator" in self.problem or (  # libyaml's words, then PyYAML's
            "block collection" in self.context and "expected <block end>" in self.problem)
        if not in_list or self.start is None:
            return None
        line = self.line(self.mark.line)
        if line[: self.mark.col].strip():
            return None
        dash = self.start
        key = _key_of(line)
        item_key = self.item_keys_column(dash)
        if self.mark.col == dash.col and key is not None:
            hint = f"start the new item with '- {piece(key)}:'"
            if item_key is not None:
                hint += f", or indent it by {_spaces(item_key)} if it belongs to the item above"
            return self.error(self.mark, f"'{piece(key)}' is in the list that starts on line {dash.line + 1}, "
                                         "but has no '-' before it", hint)
        if key is not None and item_key is not None:
            above = self.key_above(self.mark.line, item_key)
            name = f"'{piece(above[1])}' on line {above[0] + 1}" if above else "the keys of the item above"
            return self.error(self.mark, f"'{piece(key)}' is out of line with {name}",
                              f"indent '{piece(key)}' by {_spaces(item_key)}, like {name} (it has {self.mark.col})")
        return None

    def item_keys_column(self, dash: _Place) -> int | None:
        after = self.line(dash.line)[dash.col + 1:]
        if not after.strip():
            return None
        return dash.col + 1 + len(after) - len(after.lstrip(" "))

    def key_above(self, before: int, col: int) -> tuple[int, str] | None:
        for number in range(before - 1, -1, -1):
            line = self.line(number)
            match = _KEY_LINE.match(line)
            if match and match.start(2) == col:
                return number, match.group(2).strip()
            if line.strip() and not line.lstrip().startswith("#") and _indent(line) < col and \
                    not line.lstrip().startswith("-"):
                return None
        return None

    def levels(self, before: int) -> list[tuple[int, int, str]]:
        """The keys and dashes still open at line `before`: (line, column, what), nearest first."""
        found: list[tuple[int, int, str]] = []
        lowest = None
        flow = 0
        marks = []
        for index, token in enumerate(self.tokens):
            if token.start_mark.line >= before:
                break
            if isinstance(token, (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
                flow += 1
            elif isinstance(token, (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
                flow -= 1
            elif flow == 0 and isinstance(token, yaml.KeyToken):
                following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
                if isinstance(following, yaml.ScalarToken):
                    marks.append((token.start_mark.line, token.start_mark.column, f"'{piece(following.value)}'"))
            elif flow == 0 and isinstance(token, yaml.BlockEntryToken):
                marks.append((token.start_mark.line, token.start_mark.column, "-"))
        for line, col, what in reversed(marks):
            if lowest is None or col < lowest:
                found.append((line, col, what))
                lowest = col
        return found

    def indentation(self) -> StoryError | None:
        if "expected key" not in self.problem and "expected '-'" not in self.problem \
                and "expected <block end>" not in self.problem:
            return None
        line = self.line(self.mark.line)
        if line[: self.mark.col].strip() or not line.strip():
            return None
        col = self.mark.col
        dash = line[col:].startswith("-")
        levels = self.levels(self.mark.line)
        if dash:  # a '-' lines up with the '-' of its list (or, failing that, with any key)
            candidates = [lv for lv in levels if lv[2] == "-"] or levels
        else:
            candidates = [lv for lv in levels if lv[2] != "-"]
        if not candidates:
            return None
        # the closest column; on a tie, the deeper one (the nearer block)
        target = min(candidates, key=lambda lv: (abs(lv[1] - col), -lv[1]))
        if target[1] == col:
            return None
        bad = "'-'" if dash else f"'{piece(_key_of(line) or line.strip())}'"
        other = f"the '-' on line {target[0] + 1}" if target[2] == "-" else f"{target[2]} on line {target[0] + 1}"
        return self.error(self.mark, f"{'this ' if dash else ''}{bad} is out of line: it should line up with {other}",
                          f"indent {'the ' if dash else ''}{bad} by {_spaces(target[1])}, like {other} (it has {col})")

    def flow(self) -> StoryError | None:
        """Inside [a, b] or {key: value}: one never closed, a ',' missing, a value missing."""
        if "while parsing a flow" not in self.context or self.start is None:
            return None
        if "expected node content" in self.problem:
            return self.error(self.mark, "a value is missing here", "write the value, or remove the extra ','")
        opener = self.line(self.start.line)[self.start.col: self.start.col + 1]
        if opener not in ("[", "{") or "expected ','" not in self.problem:
            return None
        closer, what = ("]", "[…]") if opener == "[" else ("}", "{…}")
        if self.mark.line != self.start.line:
            return self.error(self.start, f"this '{opener}' is never closed with '{closer}'",
                              f"close it with '{closer}' on the same line; if it is text, put the whole text in "
                              "quotes")
        return self.error(self.mark, f"YAML expected ',' or '{closer}' here, inside the {what} that opens at "
                                     f"column {self.start.col + 1}",
                          f"separate the entries with ', '; a text inside {what} that holds ':', ',' or a bracket "
                          "needs quotes")

    def block_scalar(self) -> StoryError | None:
        """`text: >- Words` on the line of the '>-'."""
        if "block scalar" not in self.context or "line break" not in self.problem or self.start is None:
            return None
        indicator = piece(self.line(self.start.line)[self.start.col:].split(" ", 1)[0], 4)
        return self.error(self.mark, f"after '{indicator}' the text starts on the next line",
                          f"move the words after '{indicator}' to the next line, indented further than the key")

    def second_document(self) -> StoryError | None:
        if "another document" not in self.problem:
            return None
        return self.error(self.mark, "a second YAML document starts here ('---'), and a story file holds one",
                          "remove the '---' line, or move what follows it to a file of its own")

    def bracket_start(self) -> StoryError | None:
        """`text: [Pause] He looks away.`: YAML read [Pause] as a list, then found more text."""
        if "while parsing a block" not in self.context:
            return None
        ends = [t for t in self.tokens if isinstance(t, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken))
                and (t.end_mark.line, t.end_mark.column) <= (self.mark.line, self.mark.col)]
        if not ends or ends[-1].end_mark.line != self.mark.line \
                or self.line(self.mark.line)[ends[-1].end_mark.column: self.mark.col].strip():
            return None
        index = self.tokens.index(ends[-1])
        depth, opening = 0, None
        for token in reversed(self.tokens[: index + 1]):
            if isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
                depth += 1
            elif isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                depth -= 1
                if depth == 0:
                    opening = token
                    break
        if opening is None:
            return None
        place = _Place.of(opening.start_mark)
        char = self.line(place.line)[place.col: place.col + 1]
        what = "[…] as a list" if char == "[" else "{…} as a mapping"
        return self.error(place, f"a text that begins with '{char}' must be in quotes: YAML reads {what}",
                          QUOTE_FIX)

    def odd_start(self) -> StoryError | None:
        rest = self.line(self.mark.line)
        if "alias" in self.context or "anchor" in self.context or "undefined alias" in self.problem:
            place = self.start or self.mark
            char = rest[place.col: place.col + 1] if place.line == self.mark.line else "*"
            return self.error(place, f"a text that begins with '{char}' must be in quotes: YAML reads '{char}' "
                                     f"as {'an alias' if char == '*' else 'an anchor'}", QUOTE_FIX)
        char = rest[self.mark.col: self.mark.col + 1]
        if "cannot start any token" in self.problem and char in "@`%":
            return self.error(self.mark, f"a text that begins with '{char}' must be in quotes", QUOTE_FIX)
        return None

    def escape(self) -> StoryError | None:
        if "unknown escape" not in self.problem:
            return None
        at = self.mark  # the backslash (libyaml), or the character after it (PyYAML)
        if self.line(at.line)[at.col: at.col + 1] != "\\" and self.line(at.line)[at.col - 1: at.col] == "\\":
            at = _Place(at.line, at.col - 1)
        seen = piece(self.line(at.line)[at.col: at.col + 2])
        return self.error(at, f"'{seen}' is not an escape YAML knows: a backslash inside \"…\" starts one",
                          "write \\\\ for a backslash, or put the text in single quotes, where a backslash is "
                          "just a backslash")


def unreadable_character(exc: yaml.reader.ReaderError, text: str, shown: str) -> StoryError:
    """A character YAML refuses to read (a control character, mostly), at its line and column."""
    position = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else 0
    before = lines_of(text[:position])
    char = exc.character if isinstance(exc.character, str) else chr(exc.character) \
        if isinstance(exc.character, int) and 0 <= exc.character <= 0x10FFFF else "?"
    return StoryError(shown, len(before), len(before[-1]) + 1, f"the file holds {describe(char)}, which YAML "
                      "does not allow", "delete it; stories are plain text (it may have come in with a paste)",
                      code="yaml", detail="YAML said: " + clean_line(str(exc.reason or "unreadable character")))


def explain(exc: yaml.MarkedYAMLError, text: str, shown: str) -> StoryError:
    """The YAML error `exc` in writers' words, at the place of the slip, YAML's words kept in `detail`."""
    return _Explainer(exc, text, shown).explain()


def text_read_as_key(node: MappingNode, keys) -> tuple[int, int, str, str] | None:
    """(line, col, message, hint) when a paragraph such as `- He said: no` became a mapping."""
    if len(node.value) != 1:
        return None
    key, value = node.value[0]
    if not isinstance(key, ScalarNode) or key.style or key.value in keys or " " not in key.value \
            or not isinstance(value, ScalarNode) or value.style or key.end_mark.line != key.start_mark.line:
        return None
    words = f"{key.value}: {value.value}".rstrip(": ")
    return (key.end_mark.line + 1, key.end_mark.column + 1,
            f"': ' inside text that is not in quotes: YAML reads '{piece(key.value)}' as a key",
            f"put the whole text in double quotes (\"{piece(words, 80)}\"), or {BLOCK_ITEM}" if '"' not in words
            else f"put the whole text in single quotes (any apostrophe written twice), or {BLOCK_ITEM}")


def bang_for_not(node: Node) -> tuple[str, str] | None:
    """(message, hint) for `if: !flag`: YAML took '!flag' for a tag; the writer meant 'not flag'."""
    match = re.fullmatch(r"!([A-Za-z_][A-Za-z0-9_]*)", node.tag or "")
    if not match or not isinstance(node, ScalarNode) or node.value.strip():
        return None
    name = piece(match.group(1))
    return (f"'!{name}' is not 'not {name}': YAML reads '!' at the start of a value as a tag",
            f"write 'not {name}'")
