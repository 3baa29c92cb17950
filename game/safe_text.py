"""One sanitiser for every string that came from a file or a person and may reach a terminal.

Story files, saves, settings, class summaries and anything a student types are untrusted. A
terminal obeys control characters: ESC sequences can retitle the window (OSC 0), write the
clipboard (OSC 52), plant links (OSC 8), hide or wipe text (CSI), and bidi overrides can make a
line read differently from what it holds. So text is cleaned where it enters the program
(`clean`, `clean_line`, `clean_data`), and each front end guards its output once more
(`guard`, `GuardedStream`). Only our own code ever writes escape sequences.

What is removed: whole ESC sequences (CSI, OSC, DCS, APC, PM, SOS and two-character escapes, in
their 7-bit and 8-bit forms), every other C0 control but newline and tab, DEL, every C1 control,
and the bidirectional embedding, override and isolate characters. Carriage returns become
newlines (or spaces on one line), so a line cannot be overwritten from its start.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any, TextIO

# A sequence a terminal would act on, matched whole so that its payload goes with it.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI ... final
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC/DCS/SOS/PM/APC ... ST
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"  # two-character escapes (and a lone ESC)
)
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI
# Characters no output may hold (tab and newline are layout, and allowed).
UNSAFE = re.compile(f"[{_CONTROL_CLASS}]")
_NEWLINES = re.compile(r"\r\n?")

NAMES = {
    "\x00": "null", "\x07": "bell", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
    "\x0d": "carriage return", "\x1b": "escape", "\x7f": "delete", "\x9b": "control sequence introducer",
    "\u202e": "right-to-left override", "\u202d": "left-to-right override",
}


def is_clean(text: str) -> bool:
    """True when `text` holds nothing a terminal would act on (newline and tab allowed)."""
    return UNSAFE.search(text) is None


def clean(text: str, *, newlines: bool = True, tabs: bool = True) -> str:
    """`text` without escape sequences, control characters or bidi overrides.

    With `newlines=False` (a title, a name, one line typed at a prompt) line breaks become spaces;
    with `tabs=False` tabs do too.
    """
    if not isinstance(text, str):
        text = str(text)
    if UNSAFE.search(text) is None and (newlines or "\n" not in text) and (tabs or "\t" not in text):
        return text  # the common case: nothing to do, no copy
    text = _NEWLINES.sub("\n", text)
    text = _SEQUENCE.sub("", text)
    text = UNSAFE.sub("", text)
    if not newlines:
        text = text.replace("\n", " ")
    if not tabs:
        text = text.replace("\t", " ")
    return text


def clean_line(text: str) -> str:
    """One line of text: like `clean`, with line breaks and tabs as spaces."""
    return clean(text, newlines=False, tabs=False)


def find_unsafe(text: str) -> tuple[int, str] | None:
    """The index and character of the first character `clean` would remove, or None."""
    match = UNSAFE.search(text)
    return (match.start(), match.group()) if match else None


def describe(char: str) -> str:
    """A control character as a person can read it: "U+001B (escape)"."""
    name = NAMES.get(char) or unicodedata.name(char, "").lower() or "control character"
    return f"U+{ord(char):04X} ({name})"


def clean_data(value: Any, *, depth: int = 0, max_depth: int = 64) -> Any:
    """Parsed JSON with every string (keys too) cleaned; deeper than `max_depth` raises ValueError."""
    if depth > max_depth:
        raise ValueError("nested too deeply")
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): clean_data(v, depth=depth + 1, max_depth=max_depth) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v, depth=depth + 1, max_depth=max_depth) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a number is not finite")
    return value


def guard(text: str) -> str:
    """The last word before a terminal: anything unsafe removed, layout kept."""
    return text if UNSAFE.search(text) is None else clean(text)


class GuardedStream:
    """A text stream that passes every write through `guard`: a front end's final output guard.

    Everything else (isatty, fileno, encoding, flush) is the wrapped stream's own.
    """

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(guard(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def write_styled(self, text: str, sgr: str) -> int:
        """`text`, guarded, in the colour an SGR code names (e.g. "32" for green): the one way a
        front end's own colour passes the guard. Plain when the stream is not a terminal."""
        if not self._stream.isatty():
            return self.write(text)
        self._stream.write(f"\x1b[{sgr}m{guard(text)}\x1b[0m")
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def guarded(stream: TextIO) -> TextIO:
    """`stream` behind the output guard (once: an already guarded stream is returned as it is)."""
    return stream if isinstance(stream, GuardedStream) else GuardedStream(stream)  # type: ignore[return-value]


__all__ = ["BIDI", "GuardedStream", "UNSAFE", "clean", "clean_data", "clean_line", "describe", "find_unsafe",
           "guard", "guarded", "is_clean"]
