"""Format 2 in the story layer: inline forms, lists, visits(), include:, new keys, errors in place."""

import json

import pytest

from game.story import StoryLoadError, load_story, parse_story
from game.story import compiled
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "v2"

HEAD = """\
format: 2
id: t
title: T
summary: S.
perspective: You
meters:
  trust: {start: 3}
flags: [told]
start: a
scenes:
"""


def story(scenes: str, head: str = HEAD):
    return parse_story(head + scenes, "t.yaml")


def errors(scenes: str, head: str = HEAD) -> list:
    with pytest.raises(StoryLoadError) as info:
        story(scenes, head)
    return info.value.errors


END = "  b:\n    text: End.\n    ending: {title: End, tone: hopeful}\n"


def test_inline_forms_parse_into_a_tree_in_every_text():
    s = story("""\
  a:
    text: "((if told: Yes | No)) ((trust))"
    thought: '((first: First. | Later.))'
    choices:
      - text: 'Go ((seq: on | on again))'
        if: told
        locked: '((cycle: Not yet. | Still not.))'
        remember: '((shuffle: A | B))'
        goto: b
""" + END)
    a = s.scenes["a"]
    assert a.text[0].tree[0][0] == "if" and a.text[0].tree[-1] == ("meter", "trust")
    assert a.thoughts[0].tree[0][0] == "first"
    choice = a.choices[0]
    assert choice.texts[0].tree[1][0] == "seq"
    assert choice.lockeds[0].tree[0][0] == "cycle"
    assert choice.remembers[0].tree[0][:2] == ("shuffle", "choices.0.remember.0.0")


def test_format_1_text_is_never_parsed():
    s = parse_story(HEAD.replace("format: 2", "format: 1") + "  a:\n    text: '((trust)) stays as it is'\n"
                    "    choices: [{text: Go, goto: b}]\n" + END)
    assert s.scenes["a"].text[0].tree is None and s.format == 1


def test_thought_and_choice_text_take_lists_with_if():
    s = story("""\
  a:
    text: A.
    thought:
      - if: told
        text: She knows.
      - if: not told
        text: Tell her.
    choices:
      - text: [Stay, {if: visits(a) >= 2, text: again}]
        goto: b
""" + END)
    assert [p.condition.source for p in s.scenes["a"].thoughts] == ["told", "not told"]
    assert s.scenes["a"].choices[0].texts[1].condition.to_data() == ["cmp", ">=", ["visits", "a"], ["num", 2]]


def test_an_inline_error_points_at_its_line_and_column():
    (e,) = errors('  a:\n    text: "Hi ((if tol: a | b))"\n    choices: [{text: Go, goto: b}]\n' + END)
    assert (e.line, e.col) == (12, 20)
    assert "told" in e.hint


def test_an_inline_error_in_a_block_is_found_on_its_own_line():
    (e,) = errors("  a:\n    text:\n      - >-\n        First line.\n        Then ((trsut)) here.\n"
                  "    choices: [{text: Go, goto: b}]\n" + END)
    assert (e.line, e.col) == (15, 16)  # the name in ((trsut))
    assert "did you mean 'trust'" in e.hint


@pytest.mark.parametrize("text, words", [
    ("((if told: a | b | c))", "three" if False else "3 branches"),
    ("((seq: only one))", "at least two"),
    ("((frist: a | b))", "unknown inline form"),
    ("((told))", "not a meter"),
    ("((if told a | b))", "needs ':'"),
    ("open ((seq: a | b", "never closed"),
])
def test_bad_forms_are_load_errors_with_hints(text, words):
    (e,) = errors(f"  a:\n    text: {json.dumps(text)}\n    choices: [{{text: Go, goto: b}}]\n" + END)
    assert words in e.message and e.hint


def test_escapes_write_the_characters():
    s = story('  a:\n    text: "a \\\\(\\\\( b \\\\| c"\n    choices: [{text: Go, goto: b}]\n' + END)
    assert s.scenes["a"].text[0].tree == ("a (( b | c",)


def test_an_unquoted_form_with_a_colon_gets_a_yaml_hint():
    (e,) = errors("  a:\n    text: Hi ((first: a | b))\n    choices: [{text: Go, goto: b}]\n" + END)
    assert e.code == "yaml" and "quotes" in e.hint


def test_format_2_keys_in_a_format_1_story_say_so():
    head = HEAD.replace("format: 2", "format: 1")
    found = errors("  a:\n    title: The A\n    text: A.\n    choices: [{text: Go, goto: b}]\n" + END, head)
    assert "format: 2" in found[0].hint


def test_visits_is_a_number_and_reserved_in_format_2():
    (e,) = errors("  a:\n    text: A.\n    choices: [{text: Go, if: visits(a), goto: b}]\n" + END)
    assert "is a number" in e.message
    assert "name" in [e.code for e in errors("  visits:\n    text: A.\n    ending: {title: E, tone: hopeful}\n")]


def test_meter_description_scene_title_and_skip_route():
    s = story("""\
  a:
    title: The front step
    text: A.
    choices:
      - {text: Go, goto: b}
      - {text: Not now, skip: true, goto: b}
""" + END, HEAD.replace("trust: {start: 3}", "trust: {start: 3, description: How far Jess feels let in.}"))
    assert s.meters["trust"].description == "How far Jess feels let in."
    assert s.scenes["a"].title == "The front step"
    assert s.scenes["a"].skip_route == "b" and s.scenes["a"].skip_choice.text == "Not now"


def test_two_skip_routes_are_an_error():
    found = errors("  a:\n    text: A.\n    skip_to: b\n    choices:\n      - {text: Go, skip: true, goto: b}\n" + END)
    assert [e.code for e in found] == ["skip"]


def test_the_compiled_form_round_trips_with_trees():
    s = load_story(FIXTURES / "kitchen.yaml", use_cache=False)
    data = compiled.to_data(s)
    assert data["compiled"] == 2
    assert json.loads(json.dumps(data)) == data
    again = compiled.from_data(data, s.path)
    assert compiled.to_data(again) == data
    assert again.scenes["kitchen"].text[2].tree == s.scenes["kitchen"].text[2].tree


# --- include: ----------------------------------------------------------------------------------


def write(tmp_path, main: str, **others):
    (tmp_path / "main.yaml").write_text(HEAD.replace("scenes:\n", main))
    for name, text in others.items():
        (tmp_path / name.replace("_yaml", ".yaml").replace("_", "-")).write_text(text)
    return tmp_path / "main.yaml"


MAIN = "include: [act-two.yaml]\nscenes:\n  a:\n    text: A.\n    choices: [{text: Go, goto: b}]\n"


def test_included_scenes_are_merged_and_know_their_file(tmp_path):
    path = write(tmp_path, MAIN, act_two_yaml="scenes:\n" + END)
    s = load_story(path, use_cache=False)
    assert list(s.scenes) == ["a", "b"] and s.scenes["b"].file == "act-two.yaml"
    assert s.includes[0][0] == "act-two.yaml"


def test_errors_in_an_included_file_name_that_file(tmp_path):
    path = write(tmp_path, MAIN, act_two_yaml="scenes:\n  b:\n    text: End.\n    ending: {title: E, tone: sad}\n")
    with pytest.raises(StoryLoadError) as info:
        load_story(path, use_cache=False)
    (e,) = info.value.errors
    assert e.path.endswith("act-two.yaml") and (e.line, e.col) == (4, 30)


def test_a_scene_defined_in_two_files_names_both_places(tmp_path):
    path = write(tmp_path, MAIN + END, act_two_yaml="scenes:\n" + END)
    with pytest.raises(StoryLoadError) as info:
        load_story(path, use_cache=False)
    (e,) = info.value.errors
    assert e.path.endswith("act-two.yaml") and e.line == 2
    assert "main.yaml:15:3" in e.hint


@pytest.mark.parametrize("name, words", [("../x.yaml", "outside"), ("/etc/passwd", "outside"),
                                         ("missing.yaml", "cannot read")])
def test_includes_stay_in_the_story_folder(tmp_path, name, words):
    path = write(tmp_path, MAIN.replace("act-two.yaml", name) + END)
    with pytest.raises(StoryLoadError) as info:
        load_story(path, use_cache=False)
    assert words in info.value.errors[0].message


def test_a_link_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.yaml").write_text("scenes:\n" + END)
    story_dir = tmp_path / "story"
    story_dir.mkdir()
    (story_dir / "act-two.yaml").symlink_to(outside / "b.yaml")
    path = write(story_dir, MAIN)
    with pytest.raises(StoryLoadError) as info:
        load_story(path, use_cache=False)
    assert "outside" in info.value.errors[0].message


def test_an_included_file_holds_only_scenes(tmp_path):
    path = write(tmp_path, MAIN, act_two_yaml="title: X\nscenes:\n" + END)
    with pytest.raises(StoryLoadError) as info:
        load_story(path, use_cache=False)
    assert info.value.errors[0].code == "unknown-key"


def test_the_cache_rebuilds_when_an_included_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("UNDERSTOOD_CACHE", str(tmp_path / "cache"))
    path = write(tmp_path, MAIN, act_two_yaml="scenes:\n" + END)
    assert load_story(path).scenes["b"].text[0].text == "End."
    (tmp_path / "act-two.yaml").write_text("scenes:\n" + END.replace("End.", "The end."))
    assert load_story(path).scenes["b"].text[0].text == "The end."


def test_the_size_limit_hint_names_include(tmp_path):
    from game.story import files

    assert "include:" in files.SPLIT_HINT


def test_the_explorer_counts_visits_only_where_a_condition_reads_them():
    from game.tools.explore import explore

    s = story("""\
  a:
    text: A.
    choices:
      - {text: Again, goto: a}
      - text: Leave
        if: visits(a) >= 3
        goto: b
""" + END)
    found = explore(s)
    assert found.complete and "a.2" in found.choices_taken
    assert found.states == 5  # a seen 1, 2, 3, or 4+ times (capped one past the number compared); then b
    plain = story("  a:\n    text: A.\n    choices:\n      - {text: Again, goto: a}\n      - {text: Leave, goto: b}\n"
                  + END)
    assert explore(plain).states == 2
