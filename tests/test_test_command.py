"""`understood test`: playthrough files fail loudly at the right line; --record writes one from play."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from game.cli import main
from game.tools.playthrough import run_file
from storykit import line_of

DEMO_STEPS = """\
story: demo
steps:
  - scene: van
  - choose: van.2
  - scene: tailgate
{extra}
"""


def playthrough(tmp_path: Path, extra: str, name: str = "p.yaml") -> Path:
    folder = tmp_path / "tests" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(DEMO_STEPS.format(extra=extra), encoding="utf-8")
    return path


@pytest.mark.parametrize("step, message", [
    ("  - scene: sitting", "expected scene 'sitting', but the story is at 'tailgate'"),
    ("  - meter: {armor: 3}", "expected armor = 3, but it is 7"),
    ("  - meter: {armor: '< 5'}", "expected armor < 5, but it is 7"),
    ("  - flag: asked_about_her", "expected the flag 'asked_about_her' to be on, but it is off"),
    ("  - available: tailgate.1", "expected choice 'tailgate.1' to be open, but it is locked"),
    ("  - locked: tailgate.2", "expected choice 'tailgate.2' to be locked, but it is open"),
    ("  - hidden: tailgate.2", "expected 'tailgate.2' to be hidden, but it is shown"),
    ("  - choose: tailgate.1", "choice 'tailgate.1' is locked here"),
    ("  - choose: Dance", "no choice 'Dance' in scene 'tailgate'"),
    ("  - text: a different quiet", "expected the scene 'tailgate' to show 'a different quiet'"),
    ("  - ending: The Real One", "expected the ending 'The Real One', but the story is still going"),
    ("  - chose: tailgate.2", "unknown step 'chose'; did you mean 'choose'?"),
])
def test_a_failing_step_is_reported_at_its_line(tmp_path, step, message):
    path = playthrough(tmp_path, step)
    result = run_file(path)
    (failure,) = result.failures
    assert message in failure.message
    assert (failure.line, failure.col) == (line_of(path, step.strip()), 5)


def test_passing_steps_pass(tmp_path):
    path = playthrough(tmp_path, "  - locked: tailgate.1\n  - meter: {armor: 7, closeness: '>= 4'}\n"
                                 "  - flag: {joked_it_off: true}\n  - hidden: Dance\n  - text: a beat late\n"
                                 "  - skip\n  - scene: the_flat\n  - choose: 3\n  - ending: See You Saturday")
    result = run_file(path)
    assert result.passed, [f.format() for f in result.failures]
    assert result.steps == 12


def test_from_and_set_start_a_playthrough_anywhere(tmp_path):
    path = tmp_path / "tests" / "demo" / "x.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("from: the_flat\nset: {closeness: 9, nerve: 4}\nsteps:\n  - available: demo-hug\n"
                    "  - choose: demo-hug\n  - ending: The Real One\n", encoding="utf-8")
    assert run_file(path).passed


def test_the_story_is_found_by_the_folder_name(tmp_path):
    path = playthrough(tmp_path, "")
    path.write_text(path.read_text().replace("story: demo\n", ""), encoding="utf-8")
    assert run_file(path).passed


def test_the_command_prints_failures_compiler_style_and_exits_one(tmp_path, capsys):
    bad = playthrough(tmp_path, "  - scene: sitting", "bad.yaml")
    good = playthrough(tmp_path, "  - locked: tailgate.1", "good.yaml")
    assert main(["test", str(bad), str(good)]) == 1
    captured = capsys.readouterr()
    assert f"{bad}:{line_of(bad, 'scene: sitting')}:5: error: expected scene 'sitting'" in captured.out
    assert f"{good}: ok" in captured.out
    assert "2 playthroughs: 1 passed, 1 failed" in captured.err


def test_with_no_arguments_every_bundled_playthrough_runs(capsys):
    assert main(["test"]) == 0
    assert "0 failed" in capsys.readouterr().err


def test_a_story_without_playthroughs_says_how_to_record_one(tmp_path, capsys):
    (tmp_path / "lonely.yaml").write_text((Path("stories") / "demo.yaml").read_text().replace("id: demo", "id: lonely"))
    assert main(["test", str(tmp_path / "lonely.yaml")]) == 1
    assert "understood test --record" in capsys.readouterr().err


def test_record_writes_a_playthrough_from_a_plain_player_session(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("2\n3\n3\n"))
    target = tmp_path / "tests" / "demo" / "door.yaml"
    assert main(["test", "--record", "demo", "-o", str(target), "--title", "The door"]) == 0
    text = target.read_text()
    assert "title: The door" in text and "- locked: {id: demo-hug, text: 'Hug him." in text
    assert "- choose: {id: van.2, text: '\"Fourteen boxes. Travelling light, at least.\"'}" in text
    assert "- ending: See You Saturday" in text
    assert run_file(target).passed


def test_record_without_moves_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["test", "--record", "demo", "-o", str(tmp_path / "x.yaml")]) == 1
    assert not (tmp_path / "x.yaml").exists()


def test_record_options_without_record_are_bad_usage(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["test", "--title", "x"])
    assert exit_.value.code == 2
