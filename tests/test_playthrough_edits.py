"""Recorded playthroughs survive edits: a choice keeps its id and its text, a moved choice fails at
its own step (named, with where it went), every failing step is reported, and --update re-records."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from conftest import STORIES
from game.cli import main
from game.engine import Game
from game.safe_text import guarded
from game.story import load_story
from game.tools.playthrough import run_file, update
from storykit import line_of

VAN_FIRST = '''    choices:
      - text: '"You doing all right, mate?"'
'''
VAN_INSERTED = '''    choices:
      - text: Pass him the tape gun.
        goto: tailgate
      - text: '"You doing all right, mate?"'
'''
TAILGATE_SIT = '''      - text: Sit down next to him on the tailgate.
'''
TAILGATE_INSERTED = '''      - text: Hand him a bottle of water.
        goto: sitting
      - text: Sit down next to him on the tailgate.
'''
FLAT_DOOR = '''      - text: '"See you Saturday, yeah?" Keys. Door.'
'''
FLAT_INSERTED = '''      - text: Check the boiler works before you go.
        goto: ending_door
      - text: '"See you Saturday, yeah?" Keys. Door.'
'''


def demo_copy(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the demo and its playthroughs in tmp_path, with `edits` made to the story."""
    text = (STORIES / "demo.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tmp_path / "demo.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(STORIES / "tests" / "demo", tmp_path / "tests" / "demo")
    return tmp_path / "tests" / "demo"


def test_a_choice_inserted_above_a_recorded_one_fails_at_that_step_naming_it(tmp_path, capsys):
    folder = demo_copy(tmp_path, (TAILGATE_SIT, TAILGATE_INSERTED))
    path = folder / "the-real-one.yaml"
    assert main(["test", str(path), "--stories", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    line = line_of(path, "choose: {id: tailgate.2")
    assert (f"{path}:{line}:5: error: the recorded choice tailgate.2 'Sit down next to him on the tailgate.' "
            "has moved: it is now tailgate.3 (number 3), and tailgate.2 is now 'Hand him a bottle of water.'") in out
    assert "followed the recorded text" in out and "understood test --update" in out
    assert out.count("error:") == 1  # it went on by the text, and the rest of the playthrough holds


def test_without_the_text_the_same_edit_goes_wrong_far_from_the_change(tmp_path):
    """Why the text is kept: the old id-only form takes the inserted choice and fails much later."""
    folder = demo_copy(tmp_path, (TAILGATE_SIT, TAILGATE_INSERTED))
    path = folder / "the-real-one.yaml"
    path.write_text(path.read_text().replace(
        "{id: tailgate.2, text: Sit down next to him on the tailgate.}", "tailgate.2"))
    (failure, *_) = run_file(path, extra_dirs=[str(tmp_path)]).failures
    assert failure.line > line_of(path, "choose: tailgate.2") + 5
    assert "tailgate" not in failure.message


def test_a_reworded_choice_names_the_closest_current_choice_and_stops(tmp_path):
    folder = demo_copy(tmp_path, (TAILGATE_SIT, "      - text: Sit beside him on the cold tailgate.\n"))
    path = folder / "the-real-one.yaml"
    result = run_file(path, extra_dirs=[str(tmp_path)])
    (failure,) = result.failures
    assert failure.line == line_of(path, "choose: {id: tailgate.2")
    assert failure.message == (
        "the recorded choice tailgate.2 'Sit down next to him on the tailgate.' is not in scene 'tailgate' any "
        "more (tailgate.2 is now 'Sit beside him on the cold tailgate.'); the closest current choice is "
        "tailgate.2 (number 2, 'Sit beside him on the cold tailgate.'); no way on, so this playthrough stops here")
    total = len([line for line in path.read_text().splitlines() if line.startswith("  - ")])
    assert result.steps < total  # nothing after the step that had no way on was run


def test_every_failing_step_is_reported_and_the_next_playthrough_still_runs(tmp_path, capsys):
    folder = demo_copy(tmp_path, (VAN_FIRST, VAN_INSERTED), (FLAT_DOOR, FLAT_INSERTED))
    path = folder / "see-you-saturday.yaml"
    path.write_text(path.read_text().replace("meter: {closeness: 4, armor: 9}", "meter: {closeness: 5, armor: 9}"))
    result = run_file(path, extra_dirs=[str(tmp_path)])
    messages = [(f.line, f.message) for f in result.failures]
    assert [line for line, _ in messages] == [line_of(path, "id: van.2"), line_of(path, "id: the_flat.3"),
                                              line_of(path, "closeness: 5")]
    assert "now van.3 (number 3), and van.2 is now '\"You doing all right, mate?\"'" in messages[0][1]
    assert "now the_flat.4 (number 4), and the_flat.3 is now 'Check the boiler works" in messages[1][1]
    assert "expected closeness = 5, but it is 4" in messages[2][1]
    assert main(["test", str(folder), "--stories", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "3 playthroughs: " in captured.err and captured.out.count("error:") >= 4


@pytest.mark.parametrize("written", [
    "sit down next to him on the tailgate",
    "SIT DOWN NEXT TO HIM ON THE TAILGATE!",
    "'Sit down next to him on the tailgate.'",
    '"Sit down next to him on the tailgate…"',
    "{id: tailgate.2, text: sit down next to him on the tailgate}",
])
def test_text_matching_forgives_case_quotes_and_final_punctuation(tmp_path, written):
    folder = demo_copy(tmp_path)
    path = folder / "the-real-one.yaml"
    text = path.read_text()
    old = "{id: tailgate.2, text: Sit down next to him on the tailgate.}"
    path.write_text(text.replace(old, written if written.startswith("{") else repr(written).replace("\\'", "''")))
    result = run_file(path, extra_dirs=[str(tmp_path)])
    assert result.passed, [f.format() for f in result.failures]


def test_the_engine_finds_a_choice_by_text_without_its_full_stop(demo_path):
    game = Game(load_story(demo_path))
    game.choose(1)
    assert game.find_option("sit down next to him on the tailgate").id == "tailgate.2"
    assert game.find_option("Right. Let's get this lot upstairs").id == "tailgate.3"


def test_update_rewrites_the_moved_choices_prints_a_diff_and_then_passes(tmp_path, capsys):
    folder = demo_copy(tmp_path, (VAN_FIRST, VAN_INSERTED), (FLAT_DOOR, FLAT_INSERTED))
    path = folder / "see-you-saturday.yaml"
    before = path.read_text()
    assert main(["test", "--update", str(path), "--stories", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"--- {path} (recorded)" in out and f"+++ {path} (now)" in out
    assert "-  - choose: {id: van.2, text: '\"Fourteen boxes. Travelling light, at least.\"'}" in out
    assert "+  - choose: {id: van.3, text: '\"Fourteen boxes. Travelling light, at least.\"'}" in out
    assert "+  - choose: {id: the_flat.4, text: '\"See you Saturday, yeah?\" Keys. Door.'}" in out
    assert "\x1b" not in out  # no colour when the output is not a terminal
    after = path.read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 2 and len(before.splitlines()) == len(after.splitlines())
    assert run_file(path, extra_dirs=[str(tmp_path)]).passed
    assert main(["test", "--update", str(path), "--stories", str(tmp_path)]) == 0
    assert f"{path}: up to date" in capsys.readouterr().out


def test_update_leaves_assertions_to_the_writer(tmp_path, capsys):
    folder = demo_copy(tmp_path)
    path = folder / "see-you-saturday.yaml"
    path.write_text(path.read_text().replace("armor: 9}", "armor: 8}"))
    assert main(["test", "--update", str(path), "--stories", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "up to date" in out and "expected armor = 8, but it is 9" in out
    assert "armor: 8}" in path.read_text()


OLD_FORMAT = """\
# A recorded playthrough of 'The Last Box'. Replay it with: understood test THIS_FILE
story: demo
steps:
  - scene: van
  - choose: van.2  # "Fourteen boxes. Travelling light, at least."
  - locked: tailgate.1  # shown struck through
  - choose: tailgate.3  # "Right. Let's get this lot upstairs…
  - choose: Offer to stay for a takeaway.
  - ending: Chips on the Floor
"""


def test_old_files_without_text_still_run_and_update_adds_the_text(tmp_path, capsys):
    folder = demo_copy(tmp_path)
    path = folder / "old.yaml"
    path.write_text(OLD_FORMAT)
    assert run_file(path, extra_dirs=[str(tmp_path)]).passed
    assert main(["test", "--update", str(path), "--stories", str(tmp_path)]) == 0
    assert path.read_text() == OLD_FORMAT.replace(
        "van.2  # \"Fourteen boxes. Travelling light, at least.\"",
        "{id: van.2, text: '\"Fourteen boxes. Travelling light, at least.\"'}").replace(
        "tailgate.1  # shown struck through",
        "{id: tailgate.1, text: '\"Mate. Fine like actually fine?\"'}  # shown struck through").replace(
        "tailgate.3  # \"Right. Let's get this lot upstairs…",
        "{id: tailgate.3, text: '\"Right. Let''s get this lot upstairs.\"'}")
    assert run_file(path, extra_dirs=[str(tmp_path)]).passed


def test_a_choice_step_of_the_wrong_shape_is_reported_at_its_line(tmp_path):
    folder = demo_copy(tmp_path)
    path = folder / "bad.yaml"
    path.write_text("steps:\n  - choose: {idd: van.1}\n")
    (failure,) = run_file(path, extra_dirs=[str(tmp_path)]).failures
    assert failure.line == 2 and "by its id, its text, or both" in failure.message and "'idd'" in failure.message


def test_a_diff_is_coloured_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    tty, pipe = Terminal(), io.StringIO()
    guarded(tty).write_styled("+  - choose: x\x1b[2J", "32")
    guarded(pipe).write_styled("+  - choose: x", "32")
    assert tty.getvalue() == "\x1b[32m+  - choose: x\x1b[0m"  # the story's own escape is gone, ours kept
    assert pipe.getvalue() == "+  - choose: x"


def test_update_reads_the_bundled_playthroughs_as_already_recorded():
    """The bundled playthroughs carry their choices' text: --update would change nothing."""
    from game.tools.playthrough import all_playthroughs

    changed = [p.name for p in all_playthroughs(STORIES) if update(p).changed]
    assert changed == []
    assert load_story(STORIES / "demo.yaml")  # and the story they replay loads


def test_a_recorded_playthrough_still_works_as_a_walkthrough_for_play_path(tmp_path):
    """`play --path FILE` reads a playthrough's moves: a choice named by id and text is walked by its text."""
    from game.tools.playtest import read_path, replay_moves

    folder = demo_copy(tmp_path, (TAILGATE_SIT, TAILGATE_INSERTED))
    story = load_story(tmp_path / "demo.yaml")
    moves = read_path(str(folder / "the-real-one.yaml"))
    assert "Sit down next to him on the tailgate." in moves
    game = Game(story)
    assert replay_moves(game, moves).problem is None
    assert game.ending.title == "The Real One"  # the inserted choice above it changed nothing
