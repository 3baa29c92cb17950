"""`understood check`: loader errors, analysis over reachable states, and writing slips, placed exactly."""

from __future__ import annotations

import json

import pytest

from game.cli import main
from game.tools.checker import check_story
from storykit import HEADER, line_of, write_story


def codes(path) -> dict[str, list[int]]:
    """Each diagnostic code found, with the lines it was reported on."""
    found: dict[str, list[int]] = {}
    for d in check_story(path).diagnostics:
        found.setdefault(d.code, []).append(d.line)
    return found


CLEAN = """
meters:
  trust: {start: 3, min: 0, max: 10}
flags: [asked]
start: dinner
scenes:
  dinner:
    text: Maya sets down her fork.
    thought: Tell her.
    skip_to: reply
    choices:
      - text: Ask her how her day was.
        effects: {trust: +1, set: [asked]}
        goto: reply
      - text: Say nothing.
        goto: reply
  reply:
    skip_to: told
    text:
      - She smiles.
      - if: asked
        text: She tells you about the bus.
    choices:
      - text: Tell her.
        if: trust >= 4
        locked: Not yet.
        goto: told
      - text: Wash up.
        goto: told
  told:
    ending: {title: Told, tone: hopeful}
    text: You sleep.
"""


def test_a_clean_story_has_no_diagnostics_and_exits_zero(tmp_path, capsys):
    path = write_story(tmp_path, CLEAN)
    assert check_story(path).diagnostics == []
    assert main(["check", str(path)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().err


def test_loader_errors_are_printed_compiler_style_and_exit_one(tmp_path, capsys):
    path = write_story(tmp_path, CLEAN.replace("goto: told\n      - text: Wash", "goto: tlod\n      - text: Wash"))
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{line_of(path, 'goto: tlod')}:" in out and "error: 'goto' names a missing scene 'tlod'" in out


def test_unreachable_scene_and_ending_are_warned_at_their_lines(tmp_path):
    body = CLEAN + """\
  attic:
    text: Dust.
    choices:
      - {text: Down, goto: told}
  gone:
    ending: {title: Gone, tone: lonely}
    text: Gone.
"""
    path = write_story(tmp_path, body)
    found = codes(path)
    assert found["unreachable-scene"] == [line_of(path, "  attic:")]
    assert found["unreachable-ending"] == [line_of(path, "  gone:")]


def test_softlock_is_an_error_with_the_path_that_reaches_it(tmp_path, capsys):
    body = CLEAN.replace("      - text: Wash up.\n        goto: told\n", "")
    path = write_story(tmp_path, body)
    report = check_story(path)
    softlock = [d for d in report.diagnostics if d.code == "softlock"]
    assert [d.line for d in softlock] == [line_of(path, "  reply:")]
    assert softlock[0].severity == "error" and "dinner.2" in softlock[0].hint and "trust=3" in softlock[0].hint
    assert main(["check", str(path)]) == 1


def test_never_available_and_never_unlocked_choices(tmp_path):
    body = CLEAN.replace("if: trust >= 4\n        locked: Not yet.", "if: trust >= 9\n        locked: Not yet.") \
        .replace("      - text: Say nothing.\n", "      - text: Sulk.\n        if: trust > 5\n        goto: reply\n"
                                                  "      - text: Say nothing.\n")
    path = write_story(tmp_path, body)
    found = codes(path)
    assert found["locked-never-unlocked"] == [line_of(path, "- text: Tell her.")]
    assert found["choice-never-available"] == [line_of(path, "- text: Sulk.")]


def test_meter_that_never_changes_and_effect_always_clamped(tmp_path):
    body = CLEAN.replace("  trust: {start: 3, min: 0, max: 10}",
                         "  trust: {start: 3, min: 0, max: 10}\n  calm: {start: 5, min: 0, max: 5}\n"
                         "  idle: {start: 1, min: 0, max: 3}") \
        .replace("effects: {trust: +1, set: [asked]}", "effects: {trust: +1, calm: +2, set: [asked]}")
    path = write_story(tmp_path, body)
    found = codes(path)
    assert found["meter-never-changes"] == [line_of(path, "calm: {start"), line_of(path, "idle: {start")]
    assert found["effect-clamped"] == [line_of(path, "calm: +2")]


def test_flags_set_but_never_read_and_read_but_never_set(tmp_path):
    body = CLEAN.replace("flags: [asked]", "flags: [asked, noted, hoped, spare]") \
        .replace("set: [asked]", "set: [asked, noted]") \
        .replace("      - if: asked\n", "      - if: hoped\n        text: Hope.\n      - if: asked\n")
    path = write_story(tmp_path, body)
    found = codes(path)
    assert found["flag-never-read"] == [line_of(path, "set: [asked, noted]")]
    assert found["flag-never-set"] == [line_of(path, "- if: hoped")]
    assert found["flag-unused"] == [line_of(path, "flags: [")]


def test_goto_cycle_with_no_way_out_is_an_error(tmp_path):
    body = CLEAN.replace("      - text: Wash up.\n        goto: told\n",
                         "      - text: Wash up.\n        goto: sink\n") + """\
  sink:
    text: The sink.
    choices:
      - {text: More dishes, goto: sink}
"""
    path = write_story(tmp_path, body)
    errors = [d for d in check_story(path).diagnostics if d.code == "goto-cycle"]
    assert [d.line for d in errors] == [line_of(path, "  sink:")] and errors[0].severity == "error"


def test_skip_to_a_scene_play_never_reaches(tmp_path):
    body = CLEAN.replace("    skip_to: reply\n", "    skip_to: hall\n") + """\
  hall:
    text: The hall.
    choices:
      - {text: Back, goto: told}
"""
    path = write_story(tmp_path, body)
    found = codes(path)
    assert found["skip-to-unreachable"] == [line_of(path, "skip_to: hall")]


def test_missing_notes_debrief_and_minutes_are_warnings(tmp_path):
    header = "format: 1\nid: bare\ntitle: Bare\nsummary: Bare.\nperspective: Someone\n"
    path = write_story(tmp_path, CLEAN, header=header)
    found = codes(path)
    for code in ("missing-content-notes", "missing-debrief", "missing-minutes"):
        assert found[code] == [line_of(path, "id: bare")]


def test_long_paragraphs_and_quote_and_whitespace_slips(tmp_path):
    long = " ".join(["word"] * 160)
    body = CLEAN.replace("    text: Maya sets down her fork.",
                         f"    text:\n      - {long}\n      - “She said so,” he says. “Again.\n"
                         f"      - Don't.  Really,  don’t .   ") \
        .replace("You sleep.", "You sleep.\u00a0")
    path = write_story(tmp_path, body)
    found = codes(path)
    assert found["long-paragraph"] == [line_of(path, "word word")]
    assert line_of(path, "“She said so") in found["smart-quotes"]
    assert line_of(path, "Don't.") in found["smart-quotes"]       # ' and ’ mixed in one story
    assert line_of(path, "Don't.") in found["whitespace"]          # double space, space before '.', trailing
    assert line_of(path, "You sleep.") in found["whitespace"]      # the non-breaking space


def test_json_format_lists_every_diagnostic_with_its_place(tmp_path, capsys):
    body = CLEAN.replace("flags: [asked]", "flags: [asked, spare]")
    path = write_story(tmp_path, body)
    assert main(["check", str(path), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] and document["errors"] == 0 and document["warnings"] == 1
    (diagnostic,) = document["diagnostics"]
    assert diagnostic == {"path": str(path), "line": line_of(path, "flags: ["), "col": diagnostic["col"],
                          "severity": "warning", "code": "flag-unused",
                          "message": "flag 'spare' is declared but never used", "hint": "remove it from 'flags:'"}
    assert document["files"][0]["complete"] is True


def test_strict_turns_warnings_into_failure_and_errors_only_hides_them(tmp_path, capsys):
    path = write_story(tmp_path, CLEAN.replace("flags: [asked]", "flags: [asked, spare]"))
    assert main(["check", str(path), "--strict"]) == 1
    capsys.readouterr()
    assert main(["check", str(path), "--errors-only"]) == 0
    assert "warning" not in capsys.readouterr().out


def test_exploration_bound_is_reported_and_unreachability_is_not_guessed(tmp_path):
    path = write_story(tmp_path, CLEAN + "  attic:\n    text: Dust.\n    choices:\n      - {text: Down, goto: told}\n")
    report = check_story(path, max_states=2)
    found = {d.code for d in report.diagnostics}
    assert "exploration-incomplete" in found and "unreachable-scene" not in found


def test_bad_usage_exits_two(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--format", "xml"])
    assert exit_.value.code == 2


def test_a_missing_path_is_an_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_the_header_template_itself_is_clean():
    assert "content_notes" in HEADER and "debrief" in HEADER


def test_a_speech_running_over_paragraphs_is_not_an_unbalanced_quote(tmp_path):
    body = CLEAN.replace("    text: Maya sets down her fork.",
                         "    text:\n      - '\"It was close. I mean it.'\n      - '\"Apply again,\" she says.'")
    path = write_story(tmp_path, body)
    assert "smart-quotes" not in codes(path)
    unbalanced = CLEAN.replace("    text: Maya sets down her fork.", "    text:\n      - '\"It was close.'")
    assert "smart-quotes" in codes(write_story(tmp_path, unbalanced, name="b.yaml"))
