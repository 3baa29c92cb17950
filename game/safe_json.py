"""JSON from outside (a save, a summary, a request body), parsed so that no file can stop us.

Python's json module accepts NaN and Infinity, turns a 5,000-digit number into a ValueError and
a 200,000-deep list into a RecursionError, and reads whatever size it is given. `loads_bounded`
checks the size before parsing, accepts a UTF-8 BOM, bounds the nesting, refuses non-finite and
absurdly long numbers, and says why in plain words (BadJSON).
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
MAX_INT_DIGITS = 18


class BadJSON(ValueError):
    """A body or file that is not acceptable JSON; the message is for the person who sent it."""


def _refuse_constant(name: str):
    raise BadJSON(f"'{name}' is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise BadJSON("a number is too large")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BadJSON("a number is too long")
    return int(text)


_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


def json_depth_ok(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when no array or object in `text` nests deeper than `limit` (strings are skipped)."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


def loads_bounded(data: bytes | str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON that came from outside: size-limited before parsing, a UTF-8 BOM accepted,
    nesting bounded, numbers finite and of sane length. Raises BadJSON with a plain reason."""
    if len(data) > max_bytes:
        raise BadJSON(f"it is over {max_bytes:,} bytes")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadJSON("it is not UTF-8 text") from None
    elif data.startswith("\ufeff"):
        data = data[1:]
    if not json_depth_ok(data, max_depth):
        raise BadJSON(f"it nests deeper than {max_depth} levels")
    try:
        return json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float,
                          parse_int=_bounded_int)
    except BadJSON:
        raise
    except json.JSONDecodeError as exc:
        raise BadJSON(f"it is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError):
        raise BadJSON("it is not valid JSON") from None


__all__ = ["BadJSON", "MAX_JSON_DEPTH", "json_depth_ok", "loads_bounded"]
