"""The one sanitiser: no sequence a terminal would act on survives, ordinary text is untouched."""

from __future__ import annotations

import io

import pytest

from game.safe_text import clean, clean_data, clean_line, describe, find_unsafe, guarded, is_clean

ATTACKS = {
    "osc52 clipboard": "Title\x1b]52;c;cm0gLXJmIH4K\x07 end",
    "osc0 retitle": "\x1b]0;owned\x1b\\Hello",
    "clear screen": "before\x1b[2Jafter",
    "osc8 link": "\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\",
    "hidden text": "\x1b[8msecret\x1b[0m shown",
    "blink": "\x1b[5mblink\x1b[25m",
    "8-bit csi": "a\x9b2Jb",
    "8-bit osc": "a\x9d0;title\x9cb",
    "bell and backspace": "a\x07b\x08c",
    "carriage return overwrite": "safe line\rEVIL",
    "bidi override": "invoice\u202efdp.exe",
    "isolates": "a\u2066b\u2069c",
    "null and delete": "a\x00b\x7fc",
    "lone escape": "trailing\x1b",
}


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_attack_strings_come_out_clean(text):
    assert is_clean(clean(text))
    assert is_clean(clean_line(text))
    assert "\x1b" not in clean(text)


def test_sequences_go_whole_with_their_payload():
    assert clean(ATTACKS["osc52 clipboard"]) == "Title end"
    assert clean(ATTACKS["clear screen"]) == "beforeafter"
    assert clean(ATTACKS["osc8 link"]) == "click"
    assert clean(ATTACKS["osc0 retitle"]) == "Hello"


def test_ordinary_text_is_kept_exactly():
    text = "Dad's hands — \"fine\", he says.\n\tÜber, 你好, ①²\nemoji 🙂"
    assert clean(text) is text
    assert clean_line("one\ntwo\tthree") == "one two three"


def test_carriage_returns_become_newlines():
    assert clean("a\r\nb\rc") == "a\nb\nc"


def test_find_unsafe_names_the_place_and_character():
    assert find_unsafe("ok \x1b[2J") == (3, "\x1b")
    assert find_unsafe("fine") is None
    assert describe("\x1b") == "U+001B (escape)"
    assert describe("\u202e") == "U+202E (right-to-left override)"


def test_clean_data_cleans_keys_and_values_and_refuses_nan_and_depth():
    assert clean_data({"a\x1b": ["b\x07", 1, 2.5]}) == {"a": ["b", 1, 2.5]}
    with pytest.raises(ValueError):
        clean_data({"x": float("nan")})
    deep: list = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(ValueError):
        clean_data(deep)


def test_guarded_stream_strips_every_write_and_keeps_the_rest():
    buffer = io.StringIO()
    out = guarded(buffer)
    print("x\x1b]0;t\x07y", file=out)
    out.flush()
    assert buffer.getvalue() == "xy\n"
    assert guarded(out) is out
