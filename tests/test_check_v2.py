"""The format-2 checks: continuity, promises not kept, text that can never show, foreign template
syntax, skip routes; each placed at file:line:col, with a hint, and silenced locally on purpose."""

from __future__ import annotations

from game.tools.checker import check_story
from storykit import line_of, write_story

V2 = """\
format: 2
id: test-story
title: A Test Story
summary: A story written by a test.
perspective: Someone, 30
content_notes: [nothing much]
minutes: 5
debrief:
  - How did that feel?
"""


def found(path, code):
    return [d for d in check_story(path).diagnostics if d.code == code]


BRANCH = """
meters:
  trust: {start: 3}
flags: [asked, told]
start: porch
scenes:
  porch:
    text: You stand on the porch.
    skip_to: hall
    choices:
      - text: Knock at the garden door.
        goto: garden
      - text: Go straight in.
        goto: hall
  garden:
    text: In the garden, Marguerite is pulling weeds. She waves.
    skip_to: hall
    choices:
      - text: Go in together.
        effects: {set: [asked]}
        remember: She will remember that you knocked.
        goto: hall
  hall:
    text: The hall is cold. You think of Marguerite and her weeds.
    skip_to: end
    choices:
      - text: Sit down.
        goto: end
  end:
    text: Done.
    ending: {title: Done, tone: hopeful}
"""


def test_a_name_met_only_on_some_paths_is_a_continuity_finding_with_its_path(tmp_path):
    path = write_story(tmp_path, BRANCH)
    (slip,) = found(path, "continuity")
    assert (slip.line, slip.col) == (line_of(path, "You think of"), 42)
    assert "'Marguerite'" in slip.message and "'garden'" in slip.message
    assert "--path porch.2" in slip.hint and slip.severity == "warning"


def test_a_deliberate_case_is_silenced_on_its_line(tmp_path):
    path = write_story(tmp_path, BRANCH.replace("    text: The hall is cold.",
                                                "    # check: ignore continuity\n    text: The hall is cold."))
    assert found(path, "continuity") == []


def test_a_remember_line_whose_flag_nothing_reads_is_a_promise_not_kept(tmp_path):
    path = write_story(tmp_path, BRANCH)
    (promise,) = found(path, "promise-not-kept")
    assert promise.line == line_of(path, "remember: She will") and "'garden.1'" in promise.message
    kept = BRANCH.replace("    text: The hall is cold.", "    text:\n      - The hall is cold.\n"
                          "      - if: asked\n        text: She is still smiling.\n      - x")
    kept = kept.replace("      - x You think of Marguerite and her weeds.", "      - You think of her weeds.")
    path = write_story(tmp_path, kept, name="kept.yaml")
    assert found(path, "promise-not-kept") == []


def test_text_that_can_never_show_is_found_in_items_and_inline_ifs(tmp_path):
    body = """
meters:
  trust: {start: 3}
flags: [told]
start: a
scenes:
  a:
    text:
      - "You wait. ((if trust > 5: She smiles. | She looks away.))"
      - if: told
        text: She knows.
    thought: "((if trust <= 5: Not yet. | Now.))"
    skip_to: b
    choices:
      - text: Go.
        goto: b
  b:
    text: End.
    ending: {title: End, tone: hopeful}
"""
    path = write_story(tmp_path, body, header=V2)
    never = found(path, "text-never-shows")
    assert sorted(d.line for d in never) == [line_of(path, "You wait."), line_of(path, "if: told"),
                                            line_of(path, "Not yet.")]
    assert any("second branch" in d.message for d in never)


def test_foreign_template_syntax_is_an_error_naming_the_format_2_form(tmp_path):
    body = """
meters:
  courage: {start: 3}
flags: [told]
start: a
scenes:
  a:
    text:
      - Your courage is {courage}.
      - "${told} and $courage and <<if $told>>yes<</if>>"
      - "{~Rain|Sun} today."
    skip_to: b
    choices:
      - text: Go.
        goto: b
  b:
    text: End.
    ending: {title: End, tone: hopeful}
"""
    path = write_story(tmp_path, body)
    errors = found(path, "foreign-syntax")
    assert all(e.severity == "error" for e in errors) and len(errors) == 6
    hints = " ".join(e.hint for e in errors)
    assert "((courage))" in hints and "((if told:" in hints and "((shuffle: Rain | Sun))" in hints
    assert errors[0].line == line_of(path, "{courage}") and errors[0].col == 25


def test_a_scene_without_a_skip_route_is_an_error_in_format_2_and_a_warning_in_format_1(tmp_path):
    body = BRANCH.replace("    skip_to: hall\n    choices:\n      - text: Knock", "    choices:\n      - text: Knock")
    v1 = found(write_story(tmp_path, body), "no-skip-route")
    v2 = found(write_story(tmp_path, body, name="v2.yaml", header=V2), "no-skip-route")
    assert [d.severity for d in v1] == ["warning"] and [d.severity for d in v2] == ["error"]
    assert "ends the story" in v1[0].message and "skip: true" in v2[0].hint


def test_a_skip_true_choice_is_a_skip_route(tmp_path):
    body = BRANCH.replace("    skip_to: hall\n    choices:\n      - text: Knock at the garden door.\n",
                          "    choices:\n      - text: Knock at the garden door.\n        skip: true\n")
    assert found(write_story(tmp_path, body, header=V2), "no-skip-route") == []


def test_a_choice_whose_text_can_show_nothing_is_an_error_with_its_path(tmp_path):
    body = """
flags: [told]
start: a
scenes:
  a:
    text: A.
    skip_to: b
    choices:
      - text: [{if: told, text: Say it again.}]
        goto: b
      - text: Say it.
        effects: {set: [told]}
        goto: a
  b:
    text: End.
    ending: {title: End, tone: hopeful}
"""
    path = write_story(tmp_path, body, header=V2)
    (error,) = found(path, "choice-without-text")
    assert error.severity == "error" and "'a.1'" in error.message and "(the start)" in error.hint
