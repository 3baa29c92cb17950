"""The YAML and condition slips writers make get a message in their words, at the slip's line and
column, with YAML's own words kept on a line of their own for experts."""

import pytest

from game.story import StoryLoadError, parse_story
from game.tools.checker import check_story

STORY = """\
format: 2
id: slips
title: Slips
summary: A story to make slips in.
perspective: Sam, 30
content_notes: [none]
minutes: 1
meters:
  trust: {start: 3, min: 0, max: 10, label: Trust}
flags: [told]
start: kitchen
scenes:
  kitchen:
    title: The kitchen
    text:
      - The kettle clicks off.
      - Nobody moves to pour it.
    thought: Say something.
    choices:
      - text: Tell her.
        effects: {trust: +1, set: [told]}
        goto: hall
      - text: Say nothing.
        goto: hall
    skip_to: hall
  hall:
    title: The hall
    text: Coats on hooks.
    choices:
      - text: Stay.
        if: trust >= 3
        goto: end
      - text: Go.
        goto: end
    skip_to: end
  end:
    text: That was that.
    ending: {title: After, tone: tender}
"""


def broken(old: str, new: str, text: str = STORY) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def place(text: str, needle: str) -> tuple[int, int]:
    """The 1-based line and column where `needle` first starts in `text`."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def only_error(text: str):
    with pytest.raises(StoryLoadError) as caught:
        parse_story(text, "s.yaml")
    errors = caught.value.errors
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


def yaml_error(text: str):
    """The one error, which must be YAML's, told as a compiler tells it, YAML's words last."""
    error = only_error(text)
    assert error.code == "yaml"
    lines = error.format().splitlines()
    assert lines[0].startswith(f"s.yaml:{error.line}:{error.col}: error: ")
    assert lines[1].startswith("  hint: ")
    assert lines[2].startswith("  (YAML said: ") and lines[2].endswith(")")
    assert len(lines) == 3
    return error


def warnings_of(tmp_path, text: str, code: str) -> list:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    report = check_story(path)
    assert not report.errors, [e.format() for e in report.errors]
    return [w for w in report.warnings if w.code == code]


def test_the_story_without_slips_loads_and_warns_of_none(tmp_path):
    assert parse_story(STORY, "s.yaml").id == "slips"
    for code in ("text-cut-by-comment", "mixed-quotes"):
        assert warnings_of(tmp_path, STORY, code) == []


# --- quotes ---------------------------------------------------------------------------------------


def test_an_apostrophe_ending_single_quoted_text_is_pointed_at_with_three_fixes():
    text = broken("    thought: Say something.", "    thought: 'It's late.'")
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, "'s late")
    assert error.message == "the apostrophe in \"It's\" ends the single-quoted text early"
    assert "It''s" in error.hint and "double quotes" in error.hint and "'>-'" in error.hint
    assert "did not find expected key" in error.detail


def test_an_apostrophe_in_a_quoted_paragraph_of_a_list():
    text = broken("      - Nobody moves to pour it.", "      - 'Nobody's moving.'")
    error = yaml_error(text)
    assert (error.line, error.col) == (17, 16)
    assert "\"Nobody's\"" in error.message and "Nobody''s" in error.hint


def test_an_apostrophe_in_a_choice_written_on_one_line():
    text = broken("      - text: Tell her.\n        effects: {trust: +1, set: [told]}\n        goto: hall",
                  "      - {text: 'It's fine', goto: hall}")
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, "'s fine")
    assert "ends the single-quoted text early" in error.message


def test_a_double_quote_inside_double_quoted_text():
    text = broken("    thought: Say something.", '    thought: "He said "no" to me"')
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, '"no"')
    assert "ends it early" in error.message and '\\"' in error.hint and "single quotes" in error.hint


def test_text_opened_straight_and_closed_curly_points_at_the_curly_quote():
    text = broken("    thought: Say something.", "    thought: 'Say something.’")
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, "’")
    assert error.message == "this text opens with a straight ' but closes with a curly ’"
    assert "same straight quote at both ends" in error.hint


def test_text_opened_straight_and_closed_curly_with_a_quote_further_on():
    text = broken("    text: Coats on hooks.", "    text: 'Coats on hooks.'",
                  broken("    thought: Say something.", '    thought: "Say something.”'))
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, "”")
    assert 'opens with a straight " but closes with a curly ”' in error.message


def test_a_quote_never_closed():
    text = broken("    text: That was that.", "    text: 'That was that.")
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, "'That")
    assert "never closed" in error.message


def test_text_opened_curly_and_closed_straight_is_a_warning_once(tmp_path):
    text = broken("    thought: Say something.", "    thought: “Say something.\"")
    (warning,) = warnings_of(tmp_path, text, "mixed-quotes")
    assert (warning.line, warning.col) == place(text, "“")
    assert warning.message == 'this text opens with “ and closes with ", so the player sees both'
    assert "a straight quote at both ends" in warning.hint
    path = tmp_path / "s.yaml"
    same_line = [w for w in check_story(path).warnings if w.line == warning.line and w.code == "smart-quotes"]
    assert same_line == []  # one warning for one slip


def test_single_curly_opened_text_closed_straight_is_a_warning(tmp_path):
    text = broken("      - text: Go.", "      - text: ‘Go.'")
    (warning,) = warnings_of(tmp_path, text, "mixed-quotes")
    assert (warning.line, warning.col) == place(text, "‘")


# --- tabs, colons, hashes -------------------------------------------------------------------------


def test_a_tab_at_the_start_of_a_line():
    text = broken("    thought: Say something.", "\tthought: Say something.")
    error = yaml_error(text)
    assert (error.line, error.col) == (18, 1)
    assert error.message == "a tab indents this line, and YAML indents with spaces only"
    assert error.hint.endswith("(the line above has 6 spaces)")


def test_a_tab_after_spaces_is_pointed_at_itself():
    text = broken("    thought: Say something.", "  \t  thought: Say something.")
    error = yaml_error(text)
    assert (error.line, error.col) == (18, 3)
    assert "tab" in error.message


def test_an_unquoted_colon_in_text_suggests_the_quoted_line():
    text = broken("    thought: Say something.", "    thought: Say it: now.")
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, ": now")
    assert error.message == "': ' inside text that is not in quotes: YAML reads 'Say it' as a key"
    assert '"Say it: now."' in error.hint and "'>-'" in error.hint
    assert "mapping values are not allowed" in error.detail


def test_an_unquoted_colon_in_a_paragraph_of_a_list():
    text = broken("      - Nobody moves to pour it.", "      - Nobody moves: not yet.")
    error = only_error(text)
    assert (error.line, error.col, error.code) == (*place(text, ": not yet"), "yaml")
    assert error.message == "': ' inside text that is not in quotes: YAML reads 'Nobody moves' as a key"
    assert '"Nobody moves: not yet."' in error.hint


def test_a_hash_inside_plain_text_warns_that_the_rest_is_lost(tmp_path):
    text = broken("      - Nobody moves to pour it.", "      - Nobody moves #2 to pour it.")
    (warning,) = warnings_of(tmp_path, text, "text-cut-by-comment")
    assert (warning.line, warning.col) == place(text, "#2")
    assert warning.severity == "warning"
    assert "stops at ' #'" in warning.message and "#2 to pour it." in warning.message
    assert "quotes" in warning.hint


def test_a_sentence_running_on_past_a_hash_warns(tmp_path):
    text = broken("    thought: Say something.", "    thought: Say something # before it is too late")
    (warning,) = warnings_of(tmp_path, text, "text-cut-by-comment")
    assert (warning.line, warning.col) == place(text, "# before")


@pytest.mark.parametrize("comment", ["  # the heart of the scene", " # TODO: rewrite", " # check: ignore",
                                     " # A note for the editor."])
def test_a_real_comment_after_a_finished_text_is_not_a_slip(tmp_path, comment):
    text = broken("    thought: Say something.", "    thought: Say something." + comment)
    assert warnings_of(tmp_path, text, "text-cut-by-comment") == []


def test_a_hash_inside_quotes_is_kept_and_not_warned(tmp_path):
    text = broken("      - Nobody moves to pour it.", "      - 'Nobody moves #2 to pour it.'")
    assert warnings_of(tmp_path, text, "text-cut-by-comment") == []
    assert "#2" in parse_story(text, "s.yaml").scenes["kitchen"].text[1].text


# --- indentation and dashes -----------------------------------------------------------------------


def test_a_key_indented_too_far_after_a_list_names_the_key_to_line_up_with():
    text = broken("    thought: Say something.", "     thought: Say something.")
    error = yaml_error(text)
    assert (error.line, error.col) == (18, 6)
    assert error.message == "'thought' is out of line: it should line up with 'text' on line 15"
    assert error.hint == "indent 'thought' by 4 spaces, like 'text' on line 15 (it has 5)"


def test_a_key_indented_too_little_names_the_key_to_line_up_with():
    text = broken("    thought: Say something.", "   thought: Say something.")
    error = yaml_error(text)
    assert (error.line, error.col) == (18, 4)
    assert "'thought' is out of line: it should line up with 'text' on line 15" == error.message


def test_a_key_indented_too_far_after_text_is_read_as_more_text():
    text = broken("    text: Coats on hooks.", "    text: Coats on hooks.\n     thought: Cold.")
    error = yaml_error(text)
    assert (error.line, error.col) == (29, 6)
    assert error.message == "'thought' is indented deeper than 'text' on line 28, so YAML reads it as more of that text"
    assert error.hint == "indent 'thought' by 4 spaces, like 'text' (it has 5)"


def test_a_key_of_a_choice_indented_too_little():
    text = broken("        goto: hall\n      - text: Say", "       goto: hall\n      - text: Say")
    error = yaml_error(text)
    assert (error.line, error.col) == (22, 8)
    assert error.message == "'goto' is out of line with 'effects' on line 21"
    assert error.hint == "indent 'goto' by 8 spaces, like 'effects' on line 21 (it has 7)"


def test_a_dash_out_of_line_names_the_dash_above():
    text = broken("      - text: Say nothing.", "     - text: Say nothing.")
    error = yaml_error(text)
    assert (error.line, error.col) == (23, 6)
    assert error.message == "this '-' is out of line: it should line up with the '-' on line 20"
    assert error.hint == "indent the '-' by 6 spaces, like the '-' on line 20 (it has 5)"


def test_a_list_item_without_its_dash_in_line_with_the_dashes():
    text = broken("      - text: Say nothing.\n        goto: hall", "      text: Say nothing.\n      goto: hall")
    error = yaml_error(text)
    assert (error.line, error.col) == (23, 7)
    assert error.message == "'text' is in the list that starts on line 20, but has no '-' before it"
    assert "'- text:'" in error.hint


def test_a_list_item_without_its_dash_in_line_with_the_keys_is_one_error():
    text = broken("      - text: Say nothing.", "        text: Say nothing.")
    error = only_error(text)
    assert (error.line, error.col, error.code) == (23, 9, "missing-dash")
    assert "a new item without its '-'" in error.message and "'- text:'" in error.hint


# --- other starts of text -------------------------------------------------------------------------


@pytest.mark.parametrize("start, words", [("[Pause] ", "YAML reads […] as a list"), ("*sigh* ", "an alias"),
                                          ("@Sam ", "must be in quotes"), ("`Hm` ", "must be in quotes")])
def test_text_that_begins_with_a_yaml_character_must_be_quoted(start, words):
    text = broken("    text: Coats on hooks.", f"    text: {start}Coats on hooks.")
    error = yaml_error(text)
    assert (error.line, error.col) == (28, 11)
    assert f"begins with '{start[0]}'" in error.message and words in error.message


def test_an_unknown_escape_in_double_quotes():
    text = broken("    thought: Say something.", '    thought: "C:\\q drive"')
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, "\\q")
    assert "'\\q' is not an escape" in error.message and "single quotes" in error.hint


# --- conditions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("condition, at, message", [
    ("trust => 3", "=>", "'=>' is written '>=' in a condition"),
    ("trust =< 3", "=<", "'=<' is written '<=' in a condition"),
    ("'!told'", "!told", "'!told' is written 'not told' in a condition"),
    ("trust >= 3 && told", "&&", "'&&' is written 'and' in a condition"),
    ("trust >= 3 || told", "||", "'||' is written 'or' in a condition"),
    ("visited(kitchen) > 1", "visited", "visited(kitchen) is yes or no, not a number: write 'visits(kitchen) > 1'"),
    ("2 <= visited(kitchen)", "visited", "write '2 <= visits(kitchen)'"),
    ("trust = 3", "= 3", "write '==' to compare"),
])
def test_condition_slips_name_the_right_form(condition, at, message):
    text = broken("        if: trust >= 3", f"        if: {condition}")
    error = only_error(text)
    assert (error.line, error.col, error.code) == (*place(text, at), "condition")
    assert message in error.message
    assert error.hint


def test_a_bang_that_yaml_reads_as_a_tag_is_meant_as_not():
    text = broken("        if: trust >= 3", "        if: !told")
    error = only_error(text)
    assert (error.line, error.col) == place(text, "!told")
    assert error.message == "'!told' is not 'not told': YAML reads '!' at the start of a value as a tag"
    assert error.hint == "write 'not told'"


def test_the_right_forms_still_load():
    for condition in ("trust >= 3", "not told", "visits(kitchen) > 1", "trust >= 3 and told", "told or trust < 2"):
        parse_story(broken("        if: trust >= 3", f"        if: {condition}"), "s.yaml")


# --- safety ---------------------------------------------------------------------------------------


def test_control_characters_quoted_from_the_file_never_reach_the_message(tmp_path):
    error = yaml_error(broken("    thought: Say something.", "    thought: Say \u202eit: now."))
    assert "\u202e" not in error.format() and '"Say it: now."' in error.hint
    text = broken("      - Nobody moves to pour it.", "      - Nobody moves #2 \u202e to pour it.")
    (warning,) = warnings_of(tmp_path, text, "text-cut-by-comment")
    assert "\u202e" not in warning.format()


def test_a_control_character_yaml_refuses_is_placed_and_named():
    text = broken("    thought: Say something.", "    thought: Say \x1b[31msomething.")
    error = only_error(text)
    assert (error.line, error.col, error.code) == (*place(text, "\x1b"), "yaml")
    assert error.message == "the file holds U+001B (escape), which YAML does not allow"
    assert "\x1b" not in error.format() and error.detail == "YAML said: control characters are not allowed"


def test_the_json_report_keeps_yaml_s_words(tmp_path):
    error = yaml_error(broken("    thought: Say something.", "    thought: Say it: now."))
    assert error.to_dict()["detail"] == "YAML said: mapping values are not allowed in this context"


def test_a_one_space_note_after_a_title_is_a_comment_but_a_hash_number_is_a_slip(tmp_path):
    text = broken("    title: The hall", "    title: The hall # upstairs one")
    assert warnings_of(tmp_path, text, "text-cut-by-comment") == []
    text = broken("    title: The hall", "    title: Hall #2")
    (warning,) = warnings_of(tmp_path, text, "text-cut-by-comment")
    assert (warning.line, warning.col) == place(text, "#2")


# --- inside [ ] and { } ---------------------------------------------------------------------------


def test_a_bracket_never_closed_is_pointed_at_itself():
    text = broken("    thought: Say something.", "    thought: [Say something.")
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, "[Say")
    assert error.message == "this '[' is never closed with ']'"


def test_a_missing_comma_inside_braces():
    text = broken("{trust: +1, set: [told]}", "{trust: +1 set: [told]}")
    error = yaml_error(text)
    line, col = place(text, "set: [told]}")
    assert (error.line, error.col) == (line, col + 3)  # the ":" YAML could not place
    assert error.message == "YAML expected ',' or '}' here, inside the {…} that opens at column 18"
    assert "separate the entries with ', '" in error.hint


def test_words_on_the_line_of_a_block_marker():
    text = broken("    text: Coats on hooks.", "    text: >- Coats on hooks.")
    error = yaml_error(text)
    assert (error.line, error.col) == place(text, "Coats on hooks.")
    assert error.message == "after '>-' the text starts on the next line"


def test_a_key_twice_in_a_scene_is_a_duplicate_not_a_missing_dash():
    text = broken("    title: The kitchen", "    title: The kitchen\n    title: Again")
    error = only_error(text)
    assert (error.line, error.col, error.code) == (15, 5, "duplicate-key")
