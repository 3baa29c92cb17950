"""Hostile input through every reader and printer: no traceback, no raw control character in any
output, and a clear message. Each case is generated from the same list of attacks."""

from __future__ import annotations

import json
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


# --- the class report over a folder of every hostile file ---------------------------------------

from tests.hostile import READABLE, write_hostile_folder  # noqa: E402


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_is_produced_from_a_folder_of_every_hostile_file(tmp_path, capsys, fmt):
    folder = tmp_path / "p3"
    made = write_hostile_folder(folder)
    out_file = tmp_path / f"report.{fmt}"
    assert main(["report", str(folder), "-o", str(out_file)]) == 0
    _, err = capsys.readouterr()
    text = out_file.read_text(encoding="utf-8")
    no_raw_control(text, err)
    assert main(["report", str(folder), "--format", fmt]) == 0
    out, err = capsys.readouterr()
    no_raw_control(out, err)
    rejected = set(made) - READABLE
    for name in rejected:
        assert name in text, f"{name} not listed"
    assert f"skipped {len(rejected)} files" in err


def test_the_summary_reader_gives_each_hostile_file_its_reason(tmp_path):
    from game.classroom.summaries import read_folder

    folder = tmp_path / "p3"
    made = write_hostile_folder(folder)
    found = read_folder(folder)
    reasons = {s.name.rstrip("/"): s.reason for s in found.skipped}
    assert sorted(d["session"] for d in found.summaries) == ["b7", "c1", "c2"]
    assert "not a regular file" in reasons["fifo.json"]
    assert "outside the class folder" in reasons["zero.json"] and "outside" in reasons["outside.json"]
    assert "nests deeper" in reasons["deep.json"] and "too long" in reasons["huge-number.json"]
    assert "not a number" in reasons["nan.json"] and "out of range" in reasons["big-float.json"]
    assert "too large" in reasons["big.json"] and "not a story id" in reasons["path-story.json"]
    assert "leads nowhere" in reasons["dangling.json"]
    assert all(not any(c in name for c in "\x1b\x07") for name in reasons)
    for summary in found.summaries:
        no_raw_control(json.dumps(summary, ensure_ascii=False))
    assert set(reasons) == set(made) - READABLE


def test_report_tui_without_a_terminal_says_so_and_exits_2(tmp_path, capsys):
    folder = tmp_path / "p3"
    write_hostile_folder(folder, with_special=False)
    with pytest.raises(SystemExit) as stopped:
        main(["report", str(folder), "--format", "tui"])
    assert stopped.value.code == 2 and "needs a terminal" in capsys.readouterr().err
