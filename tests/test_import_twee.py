"""`understood import`: Twee 3 stories become story files that pass check, or say exactly why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.story import parse_story
from game.tools.import_twee import import_twee, parse_twee
from game.tools.checker import check_story

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


def test_every_link_form_becomes_a_choice():
    _, story = imported(DRIVE)
    choices = {(c.text, c.goto) for s in story.scenes.values() for c in s.choices}
    assert ("Ask him how he's been sleeping", "sleeping") in choices   # [[Text->Target]]
    assert ("Turn the radio up", "radio") in choices                   # [[Text|Target]]
    assert ("Look out of the window", "look_out_of_the_window") in choices   # [[Target]]
    assert ("Say nothing", "radio") in choices                         # [[Target<-Text]]
    assert ("Leave it there", "radio") in choices                      # <<link "Text" "Target">>
    assert ("Continue.", "radio") in choices                           # <<goto "Radio">>


def test_passages_become_scenes_with_one_paragraph_per_line():
    _, story = imported(DRIVE)
    motorway = story.scenes["motorway"]
    assert [p.text for p in motorway.text] == [
        "Your dad drives with both hands on the wheel, the way he taught you. The radio is on low.",
        "He hasn't said anything since the services.",
    ]


def test_escaped_characters_in_passage_names():
    passages = parse_twee(":: The \\[Old\\] House \\{1\\} [tag\\]x] {\"a\": 1}\nText\n", [])
    assert passages[0].name == "The [Old] House {1}" and passages[0].tags == ["tag]x"]
    _, story = imported(DRIVE)
    assert story.scenes["the_old_house"].choices[0].goto == "arrive"


def test_set_macros_become_meters_flags_and_effects():
    _, story = imported(DRIVE)
    assert story.meters["closeness"].start == 3                 # <<set $closeness to 3>> in StoryInit
    assert str(story.scenes["motorway"].on_enter.meters[0]) == "closeness +1"    # +=
    assert str(story.scenes["radio"].on_enter.meters[0]) == "closeness -1"       # to $closeness - 1
    assert story.flags == ("asked",)
    assert story.choice("sleeping.1").effects.set == ("asked",)  # setter link [[...][$asked to true]]


def test_untranslatable_code_is_kept_as_comments_and_reported_with_passage_and_line():
    result, _ = imported(DRIVE)
    line = twee_line(DRIVE, '<<set $mood to "quiet">>')
    assert any("untranslated: <<set $mood to \"quiet\">>" in m for m in notes_at(result, line))
    assert f"# untranslated, line {line}: <<set $mood to \"quiet\">>" in result.yaml
    note = next(n for n in result.notes if n.line == line)
    assert note.passage == "Radio"
    if_line = twee_line(DRIVE, "<<if $closeness gte 4>>")
    assert any("untranslated condition" in m and "add 'if:'" in m for m in notes_at(result, if_line))
    assert any("$name" in m for m in notes_at(result, twee_line(DRIVE, "Hello $name")))


def test_scripts_are_kept_as_comments_and_stylesheets_left_out():
    result, _ = imported(DRIVE)
    assert "#   Config.history.maxStates = 1;" in result.yaml
    assert "background" not in result.yaml
    assert any("stylesheet" in m for m in notes_at(result, twee_line(DRIVE, ":: Story Stylesheet")))


def test_missing_passages_become_placeholder_endings_with_a_note():
    result, story = imported(DRIVE)
    assert story.scenes["arrive"].ending.title == "Missing: Arrive"
    line = twee_line(DRIVE, "[[Arrive]]")
    assert "link to a missing passage 'Arrive': added a placeholder ending" in notes_at(result, line)


def test_bad_passage_metadata_is_a_note_and_the_passage_still_imports():
    result, story = imported(DRIVE)
    line = twee_line(DRIVE, ":: The \\[Old\\] House")
    assert any("metadata is not valid JSON" in m for m in notes_at(result, line))
    assert "the_old_house" in story.scenes


def test_the_imported_fixture_passes_check(tmp_path, capsys):
    out = tmp_path / "drive.yaml"
    assert main(["import", str(FIXTURES / "the-long-drive.twee"), "-o", str(out)]) == 0
    report = check_story(out)
    assert report.errors == []
    err = capsys.readouterr().err
    assert f"{FIXTURES / 'the-long-drive.twee'}:{twee_line(DRIVE, '<<set $mood')}:1: warning: untranslated" in err
    assert "It passes `understood check`" in err
    assert out.read_text().splitlines()[0].startswith("# yaml-language-server: $schema=")


# --- Harlowe, camelCase StoryData, startup passages -----------------------------------------------------


def test_harlowe_story_with_the_other_spelling_of_story_data_keys():
    result, story = imported(GARDEN)
    assert story.start == "bench"                                # "startNode": "Bench"
    assert "story format: Harlowe, 3.3.8" in result.yaml         # "formatVersion"
    assert story.meters["trust"].start == 2                      # (set:) in a startup-tagged passage
    assert str(story.scenes["bench"].on_enter.meters[0]) == "trust +1"   # (set: $trust to it + 1)
    assert ("Tell him about the job", "job") in {(c.text, c.goto) for c in story.scenes["bench"].choices}
    line = twee_line(GARDEN, "(if: $trust > 2)")
    assert any("is inside a hook" in m for m in notes_at(result, line))   # the set in the hook is not applied
    assert story.scenes["quiet"].ending.tone == "unresolved"


def test_bad_story_data_json_warns_and_goes_on():
    text = ":: StoryTitle\nBroken Data\n\n:: StoryData\n{ \"ifid\": \"X\", \n\n:: Start\nHello.\n[[Bye]]\n\n:: Bye\nBye.\n"
    result, story = imported(text)
    assert story.title == "Broken Data" and story.start == "start"
    assert any("StoryData is not valid JSON" in m for m in notes_at(result, 4))


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
    loop.write_text(":: Start\nRound.\n[[Again->Start]]\n")
    out = tmp_path / "loop.yaml"
    assert main(["import", str(loop), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert f"{out}:" in captured.out and "error: goto cycle with no way out" in captured.out
    assert "does not pass `understood check` yet: 1 error" in captured.err
    assert out.exists()


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
