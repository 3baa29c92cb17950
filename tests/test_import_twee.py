"""`understood import`: Twee 3 stories become format-2 story files that pass check, or say exactly why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.story import parse_story
from game.tools.checker import check_story
from game.tools.twine import import_twee
from game.tools.twine.twee import parse_twee

FIXTURES = Path(__file__).parent / "fixtures"
DRIVE = (FIXTURES / "the-long-drive.twee").read_text(encoding="utf-8")
GARDEN = (FIXTURES / "harlowe-garden.twee").read_text(encoding="utf-8")


def imported(text: str, name: str = "x.twee"):
    result = import_twee(text, name)
    return result, parse_story(result.yaml, "imported.yaml")


def notes_at(result, line: int) -> list[str]:
    return [n.message for n in result.notes if n.line == line]


def twee_line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --- the realistic SugarCube fixture ------------------------------------------------------------------


def test_title_and_story_data_become_the_header_and_start():
    result, story = imported(DRIVE)
    assert story.title == "The Long Drive" and story.id == "the-long-drive"
    assert story.start == "motorway"                        # StoryData "start": "Motorway"
    assert "# Twine IFID: 4F1C7A52-2B0E-4C55-9C41-7E3B9A0D6E21" in result.yaml
    assert "story format: SugarCube, 2.36.1" in result.yaml
    assert "format: 2" in result.yaml


def test_every_link_form_becomes_a_choice():
    _, story = imported(DRIVE)
    choices = {(c.text, c.goto) for s in story.scenes.values() for c in s.choices}
    assert ("Ask him how he's been sleeping", "sleeping") in choices   # [[Text->Target]]
    assert ("Turn the radio up", "radio") in choices                   # [[Text|Target]]
    assert ("Look out of the window", "look_out_of_the_window") in choices   # [[Target]]
    assert ("Say nothing", "radio") in choices                         # [[Target<-Text]]
    assert ("Leave it there", "radio") in choices                      # <<link "Text" "Target">>
    assert ("Continue.", "radio") in choices                           # <<goto "Radio">>


def test_passages_become_scenes_with_one_paragraph_per_line_and_their_name_as_title():
    _, story = imported(DRIVE)
    motorway = story.scenes["motorway"]
    assert [p.text for p in motorway.text] == [
        "Your dad drives with both hands on the wheel, the way he taught you. The radio is on low.",
        "He hasn't said anything since the services.",
    ]
    assert motorway.title == "Motorway"


def test_escaped_characters_in_passage_names_and_links():
    passages = parse_twee(":: The \\[Old\\] House \\{1\\} [tag\\]x] {\"a\": 1}\nText\n", [])
    assert passages[0].name == "The [Old] House {1}" and passages[0].tags == ["tag]x"]
    _, story = imported(DRIVE)
    assert story.choice("sleeping.1").goto == "the_old_house"
    assert story.scenes["the_old_house"].choices[0].goto == "arrive"


def test_set_macros_become_meters_flags_and_effects():
    _, story = imported(DRIVE)
    assert story.meters["closeness"].start == 3                 # <<set $closeness to 3>> in StoryInit
    assert str(story.scenes["motorway"].on_enter.meters[0]) == "closeness +1"    # +=
    assert str(story.scenes["radio"].on_enter.meters[0]) == "closeness -1"       # to $closeness - 1
    assert story.flags == ("asked", "mood_quiet")
    assert story.choice("sleeping.1").effects.set == ("asked",)  # setter link [[...][$asked to true]]
    assert story.scenes["radio"].on_enter.set == ("mood_quiet",)  # <<set $mood to "quiet">>: one flag a value


def test_an_if_becomes_a_conditional_paragraph_not_text_that_always_shows():
    _, story = imported(DRIVE)
    glance = [p for p in story.scenes["sleeping"].text if "glances" in p.text]
    assert len(glance) == 1 and glance[0].condition.source == "closeness >= 4"


def test_a_meter_printed_in_text_becomes_interpolation_and_a_variable_never_set_is_reported():
    result, story = imported(DRIVE)
    assert "your closeness is ((closeness))" in result.yaml
    hello = twee_line(DRIVE, "Hello $name")
    assert any("variable printed in text" in m and "never set" in m for m in notes_at(result, hello))
    assert f"# untranslated, line {hello}: $name" in result.yaml
    assert next(n for n in result.notes if n.line == hello).passage == "The [Old] House"
    assert "$name" not in "".join(p.text for p in story.scenes["the_old_house"].text)


def test_scripts_are_kept_as_comments_and_stylesheets_left_out():
    result, _ = imported(DRIVE)
    assert "#   Config.history.maxStates = 1;" in result.yaml
    assert "background" not in result.yaml
    assert any("stylesheet" in m for m in notes_at(result, twee_line(DRIVE, ":: Story Stylesheet")))


def test_missing_passages_become_placeholder_endings_with_a_note():
    result, story = imported(DRIVE)
    assert story.scenes["arrive"].ending.title == "Missing: Arrive"
    line = twee_line(DRIVE, "[[Arrive]]")
    assert any("link to a missing passage: 'Arrive'" in m for m in notes_at(result, line))


def test_bad_passage_metadata_is_a_note_and_the_passage_still_imports():
    result, story = imported(DRIVE)
    line = twee_line(DRIVE, ":: The \\[Old\\] House")
    assert any("metadata that is not JSON" in m for m in notes_at(result, line))
    assert "the_old_house" in story.scenes


def test_the_imported_fixture_passes_check_and_the_report_is_grouped(tmp_path, capsys):
    out = tmp_path / "drive.yaml"
    assert main(["import", str(FIXTURES / "the-long-drive.twee"), "-o", str(out)]) == 0
    assert check_story(out).errors == []
    captured = capsys.readouterr()
    err = captured.err
    assert captured.out.startswith(f"Check warnings ({len(check_story(out).warnings)}; `understood check {out}` lists")
    assert "1 × missing-debrief, first at" in captured.out
    assert "Not translated (" in err and "Decisions to check:" in err
    assert f"1 × variable printed in text, first at {FIXTURES / 'the-long-drive.twee'}:" in err
    assert "It passes `understood check`" in err and "all 8 scenes reachable" in err
    assert out.read_text().splitlines()[0].startswith("# yaml-language-server: $schema=")


def test_all_lists_every_place(tmp_path, capsys):
    assert main(["import", str(FIXTURES / "the-long-drive.twee"), "-o", str(tmp_path / "d.yaml"), "--all"]) == 0
    err = capsys.readouterr().err
    assert f"{FIXTURES / 'the-long-drive.twee'}:{twee_line(DRIVE, 'Hello $name')}:1: warning: variable printed" in err


# --- Harlowe, camelCase StoryData, startup passages -----------------------------------------------------


def test_harlowe_story_with_the_other_spelling_of_story_data_keys():
    result, story = imported(GARDEN)
    assert story.start == "bench"                                # "startNode": "Bench"
    assert "story format: Harlowe, 3.3.8" in result.yaml         # "formatVersion"
    assert story.meters["trust"].start == 2                      # (set:) in a startup-tagged passage
    assert str(story.scenes["bench"].on_enter.meters[0]) == "trust +1"   # (set: $trust to it + 1)
    assert ("Tell him about the job", "job") in {(c.text, c.goto) for c in story.scenes["bench"].choices}
    line = twee_line(GARDEN, "(if: $trust > 2)")
    assert any("set inside a conditional" in m for m in notes_at(result, line))
    sits = [p for p in story.scenes["bench"].text if "sits down" in p.text]
    assert sits[0].condition.source == "trust > 2"
    assert "((trust))" in result.yaml                            # (print: $trust)
    assert story.scenes["quiet"].ending.tone == "unresolved"


def test_a_start_again_link_on_an_ending_is_dropped_and_the_passage_stays_an_ending():
    result, story = imported(GARDEN)
    assert story.scenes["job"].ending is not None              # [[Bench<-Start again]]
    assert any("restart link left out" in m for m in notes_at(result, twee_line(GARDEN, "Start again")))


def test_bad_story_data_json_warns_and_goes_on():
    text = ":: StoryTitle\nBroken Data\n\n:: StoryData\n{ \"ifid\": \"X\", \n\n:: Start\nHello.\n[[Bye]]\n\n:: Bye\nBye.\n"
    result, story = imported(text)
    assert story.title == "Broken Data" and story.start == "start"
    assert any("StoryData that is not JSON" in m for m in notes_at(result, 4))


def test_without_story_title_the_file_name_is_the_title():
    _, story = imported(":: Start\nHello.\n", "my-first_story.twee")
    assert story.title == "My First Story"


def test_more_than_nine_links_keep_nine_and_comment_the_rest():
    links = "\n".join(f"[[Door {i}->End]]" for i in range(11))
    result, story = imported(f":: Start\nDoors.\n{links}\n\n:: End\nThe end.\n")
    assert len(story.scenes["start"].choices) == 9
    assert result.yaml.count("a 10th+ link") == 2


def test_a_result_that_fails_check_says_exactly_why(tmp_path, capsys):
    loop = tmp_path / "loop.twee"
    loop.write_text(":: Start\nIn.\n[[Go->Round]]\n\n:: Round\nRound.\n[[Again->Next]]\n\n:: Next\nAnd round.\n"
                    "[[Again->Round]]\n")
    out = tmp_path / "loop.yaml"
    assert main(["import", str(loop), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert f"{out}:" in captured.out and "error: goto cycle with no way out" in captured.out
    assert "does not pass `understood check` yet: 1 error" in captured.err


def test_import_refuses_to_overwrite_and_reports_a_missing_file(tmp_path, capsys):
    out = tmp_path / "x.yaml"
    out.write_text("mine")
    assert main(["import", str(FIXTURES / "harlowe-garden.twee"), "-o", str(out)]) == 1
    assert out.read_text() == "mine"
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(tmp_path / "missing.twee")])
    assert exit_.value.code == 2


def test_a_file_without_passages_is_bad_usage(tmp_path):
    empty = tmp_path / "empty.twee"
    empty.write_text("just some text\n")
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(empty), "-o", str(tmp_path / "e.yaml")])
    assert exit_.value.code == 2
