"""Every loader error names its file, line and column, gives a hint, and all are reported together."""

import pytest

from game.story import StoryLoadError, load_story, parse_story
from game.story import files, loader
from tests.storytext import BASE, replace


def errors_of(text: str) -> list:
    with pytest.raises(StoryLoadError) as caught:
        parse_story(text, "s.yaml")
    return caught.value.errors


def only_error(text: str):
    errors = errors_of(text)
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


def test_the_base_story_is_valid():
    story = parse_story(BASE, "s.yaml")
    assert story.id == "tiny" and len(story.scenes) == 5
    assert story.choice("after-wash").goto == "quiet"
    assert story.choice("dinner.2").goto == "kitchen"


def test_yaml_syntax_error_has_its_position():
    error = only_error(replace("    thought: Tell her.", "    thought: [Tell her."))
    assert error.code == "yaml"
    # YAML notices an unclosed '[' where the next line starts; the error points at the '[' itself.
    assert (error.path, error.line, error.col) == ("s.yaml", 21, 14)
    assert error.format().startswith("s.yaml:21:14: error: this '[' is never closed with ']'")


def test_unknown_key_suggests_the_right_one():
    error = only_error(replace("    thought: Tell her.", "    thougth: Tell her."))
    assert (error.line, error.col, error.code) == (21, 5, "unknown-key")
    assert "did you mean 'thought'" in error.hint


def test_wrong_type_is_reported_where_it_is():
    error = only_error(replace("minutes: 2", "minutes: soon"))
    assert (error.line, error.col, error.code) == (7, 10, "type")
    assert "whole number" in error.message


def test_goto_to_a_missing_scene():
    error = only_error(replace("        goto: kitchen", "        goto: kitchn"))
    assert (error.line, error.col, error.code) == (32, 15, "missing-scene")
    assert "did you mean 'kitchen'" in error.hint


def test_undeclared_flag_in_effects():
    error = only_error(replace("set: [told]}", "set: [tod]}"))
    assert (error.line, error.col, error.code) == (28, 47, "undeclared-flag")
    assert "did you mean 'told'" in error.hint


def test_undeclared_meter_in_effects_is_an_unknown_key():
    error = only_error(replace("effects: {armor: +1, set: [hid]}", "effects: {amror: +1, set: [hid]}"))
    assert (error.line, error.col, error.code) == (35, 19, "unknown-key")
    assert "did you mean 'armor'" in error.hint


def test_condition_error_points_inside_the_condition():
    error = only_error(replace("if: trust >= 4 and armor <= 6", "if: trust >= 4 and amor <= 6"))
    # 'amor' starts 15 characters into the condition, which starts at column 13.
    assert (error.line, error.col, error.code) == (25, 28, "condition")
    assert "unknown meter 'amor'" in error.message


def test_condition_error_inside_a_quoted_condition_counts_the_quote():
    error = only_error(replace("if: trust >= 4 and armor <= 6", "if: 'trust >= 4 and armor <== 6'"))
    # The stray '=' is 23 characters in, after the opening quote at column 13.
    assert (error.line, error.col) == (25, 37)


def test_duplicate_choice_ids():
    text = replace("      - text: Go to the kitchen.", "      - id: after-wash\n        text: Go to the kitchen.")
    error = only_error(text)
    assert error.code == "duplicate-id"
    assert error.line == 50  # the second use: the explicit id in 'after'
    assert "also used at line 31" in error.hint


def test_missing_start():
    error = only_error(replace("start: dinner\n", ""))
    assert error.code == "missing-key" and "missing 'start'" in error.message
    assert (error.line, error.col) == (1, 1)


def test_start_naming_a_missing_scene():
    error = only_error(replace("start: dinner", "start: diner"))
    assert (error.line, error.col, error.code) == (13, 8, "missing-scene")


def test_effect_without_a_sign_is_refused():
    error = only_error(replace("{trust: +1}", "{trust: 1}"))
    assert error.code == "effect" and "'+1' to add or '=1' to set" in error.hint


def test_unknown_tone_suggests_one():
    error = only_error(replace("tone: hopeful", "tone: hopefull"))
    assert error.code == "tone" and "did you mean 'hopeful'" in error.hint


def test_scene_with_choices_and_an_ending():
    error = only_error(replace("    ending: {title: Seen, tone: hopeful}",
                               "    ending: {title: Seen, tone: hopeful}\n    choices: [{text: x, goto: seen}]"))
    assert error.code == "scene-kind"


def test_too_many_choices():
    many = "".join(f"      - text: c{i}\n        goto: seen\n" for i in range(10))
    error = only_error(replace("      - text: Back to the table.\n        effects: {trust: +1}\n        goto: dinner\n",
                               many))
    assert error.code == "too-many" and "1-9" in error.hint


def test_unsafe_yaml_tags_are_refused():
    error = only_error(replace("title: Tiny", "title: !!python/object/apply:os.system ['echo hi']"))
    assert error.code in ("unsafe-tag", "type")
    assert error.line == 3


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 8):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join(f"*{chr(96 + i)}" for _ in range(10)) + "]\n"
    errors = errors_of(bomb + BASE)
    assert errors[0].code == "alias-bomb"
    assert "alias bomb" in errors[0].message


def test_ordinary_anchors_are_fine():
    text = replace("content_notes: [testing]", "content_notes: &notes [testing]")
    assert parse_story(text).content_notes == ("testing",)


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text(BASE)
    with pytest.raises(StoryLoadError) as caught:
        load_story(path)
    (error,) = caught.value.errors
    assert error.code == "too-large" and (error.line, error.col) == (1, 1)
    assert str(path) == error.path


def test_deep_nesting_does_not_crash_the_process():
    text = "format: 1\nid: deep\nscenes: " + "[" * 20000 + "]" * 20000 + "\n"
    errors = errors_of(text)
    assert errors  # reported as errors, and we are still alive


def test_not_utf8_is_reported_with_position(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(BASE.replace("Maya sets", "Ma\xefa sets").encode("latin-1"))
    with pytest.raises(StoryLoadError) as caught:
        load_story(path)
    (error,) = caught.value.errors
    assert error.code == "encoding" and error.line == 18


def test_all_errors_of_a_file_are_reported_together():
    text = replace("minutes: 2", "minutes: soon")
    text = replace("        goto: kitchen", "        goto: kitchn", text)
    text = replace("tone: hopeful", "tone: hopefull", text)
    text = replace("    thought: Tell her.", "    thougth: Tell her.", text)
    errors = errors_of(text)
    assert [e.code for e in errors] == ["type", "unknown-key", "missing-scene", "tone"]
    assert [e.line for e in errors] == sorted(e.line for e in errors)


def test_every_error_prints_compiler_style_with_a_hint():
    text = replace("        goto: kitchen", "        goto: kitchn")
    (error,) = errors_of(text)
    first, second = error.format().splitlines()
    assert first == "s.yaml:32:15: error: 'goto' names a missing scene 'kitchn'"
    assert second.startswith("  hint: ")


@pytest.mark.parametrize("text, code", [
    ("", "empty"),
    ("- just\n- a list\n", "type"),
    ("format: 3\n", "format"),
    ("a: 1\n---\nb: 2\n", "yaml"),
])
def test_odd_documents_get_clear_errors(text, code):
    assert code in [e.code for e in errors_of(text)]


def test_meter_bounds_are_checked():
    error = only_error(replace("trust: {start: 3, min: 0, max: 10, label: Trust}",
                               "trust: {start: 30, min: 0, max: 10, label: Trust}"))
    assert error.code == "meter-bounds" and error.line == 9


def test_error_count_is_bounded():
    text = replace("scenes:\n", "scenes:\n" + "".join(f"  s{i}: {{text: x}}\n" for i in range(400)))
    errors = errors_of(text)
    assert len(errors) <= loader.MAX_ERRORS + 1
    assert errors[-1].code == "too-many-errors" or len(errors) < loader.MAX_ERRORS
