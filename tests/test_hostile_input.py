"""Hostile input through every reader and printer: no traceback, no raw control character in any
output, and a clear message. Each case is generated from the same list of attacks."""

from __future__ import annotations

import re

import pytest

from game.cli import main
from game.safe_text import UNSAFE
from tests.storytext import BASE

# The bytes the "Done when" names: none may reach any output.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Escapes as a YAML double-quoted string writes them (a story file holds no raw control bytes:
# the YAML reader refuses those itself; escapes in quoted strings are the way in).
YAML_ATTACKS = {
    "osc52": r"\e]52;c;ZWNobyBwd25lZA==\a",
    "osc0": r"\e]0;owned\e\\",
    "clear": r"\e[2J",
    "osc8": r"\e]8;;http://x/\e\\link\e]8;;\e\\",
    "hidden": r"\e[8m",
    "c1-csi": r"\x9b2J",
    "bidi": r"\u202e",
    "null": r"\0",
    "bell": r"\a",
}


def no_raw_control(*texts: str) -> None:
    for text in texts:
        found = RAW_CONTROL.search(text) or UNSAFE.search(text)
        assert found is None, f"raw {found.group()!r} in output: {text[max(0, found.start() - 40):found.end() + 40]!r}"


def story_with(title: str) -> str:
    return BASE.replace("title: Tiny", f'title: "Tiny {title}"', 1)


@pytest.mark.parametrize("attack", YAML_ATTACKS.values(), ids=YAML_ATTACKS.keys())
def test_check_reports_a_control_character_with_its_place_and_never_prints_it(tmp_path, capsys, attack):
    path = tmp_path / "tiny.yaml"
    path.write_text(story_with(attack))
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    no_raw_control(out, err)
    assert f"{path}:3:" in out and "control character" in out and "U+" in out


@pytest.mark.parametrize("attack", YAML_ATTACKS.values(), ids=YAML_ATTACKS.keys())
def test_a_story_with_a_control_character_is_refused_by_the_players_and_tools(tmp_path, capsys, attack):
    path = tmp_path / "tiny.yaml"
    path.write_text(story_with(attack))
    for argv in (["play", str(path), "--plain"], ["stats", str(path)], ["graph", str(path)]):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code != 0, argv
        no_raw_control(out, err)
        assert "control character" in out + err
