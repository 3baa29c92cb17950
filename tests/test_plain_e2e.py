"""The plain player, run as a real subprocess with scripted input, as a pipe user would."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.storytext import BASE


def play(args, script: str, tmp_path, *, env_extra=None, timeout=60):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "game", *args], input=script, capture_output=True, text=True,
        cwd=tmp_path, env=env, timeout=timeout,
    )


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(BASE)
    return path


def test_plays_to_an_ending_with_plain_text_only(tiny, tmp_path):
    result = play(["play", str(tiny), "--plain"], "2\n1\n1\n", tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "== Tiny ==" in out and "You are Sam, 34. About 2 minutes." in out
    assert "Content notes: testing." in out
    assert "Inner voice: Tell her." in out
    assert "1. (locked) Tell her. - The words stick." in out
    assert "You chose: Go to the kitchen." in out
    assert "Remembered: Maya will remember that." in out
    assert "== Ending: Seen (hopeful) ==" in out
    assert "What was remembered:" in out and "What you couldn't say:" in out
    assert "1. How did it feel?" in out
    assert "\x1b[" not in out  # no colour or cursor codes
    assert not any(ch in out for ch in "┌─│╭")  # no box drawing


def test_bad_input_gets_one_clear_line_and_no_crash(tiny, tmp_path):
    result = play(["play", str(tiny), "--plain"], "hello\n7\n1\n\n0\n3\n1\n", tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "'hello' isn't a choice." in out
    assert "There is no choice 7 here (choices: 1 to 3)." in out
    assert "Not yet. The words stick." in out
    assert "Type a choice number, or 'help'." in out
    assert "== Ending: Quiet (lonely) ==" in out
    assert "988" in out  # an ending in a dark place shows the support lines
    assert "Traceback" not in result.stderr


def test_end_of_input_autosaves_and_load_continues(tiny, tmp_path):
    saves = tmp_path / "my-saves"
    first = play(["play", str(tiny), "--plain", "--saves", str(saves)], "2\n", tmp_path)
    assert "Input ended. Your place is saved." in first.stdout
    assert (saves / "autosave-tiny.json").exists()
    second = play(["play", str(tiny), "--plain", "--saves", str(saves), "--load", "autosave-tiny"], "1\n1\n",
                  tmp_path)
    assert second.returncode == 0
    assert "The letters, face down." in second.stdout.split("Choose")[0]
    assert "== Ending: Seen (hopeful) ==" in second.stdout


def test_undo_save_load_skip_and_quit_commands(tiny, tmp_path):
    script = "2\nundo\nundo\nsave mine\n3\nload mine\nskip\nhelp\nquit\n"
    result = play(["play", str(tiny), "--plain"], script, tmp_path,
                  env_extra={"UNDERSTOOD_SAVES": str(tmp_path / "s")})
    out = result.stdout
    assert "(You take that back.)" in out
    assert "There is nothing to undo yet." in out
    assert "Saved to 'mine'." in out and "Loaded 'mine'." in out
    assert "(You skip this scene. Nothing is lost.)" in out
    assert "undo        take back your last choice" in out
    assert "Your place is saved." in out
    assert result.returncode == 0


def test_saves_env_var_and_bad_slot_names(tiny, tmp_path):
    result = play(["play", str(tiny), "--plain"], "save ../../etc\nquit\n", tmp_path,
                  env_extra={"UNDERSTOOD_SAVES": str(tmp_path / "s")})
    assert "is not a usable slot name" in result.stdout
    assert (tmp_path / "s" / "autosave-tiny.json").exists()


def test_story_by_id_from_a_stories_folder(tmp_path):
    folder = tmp_path / "mystories"
    folder.mkdir()
    (folder / "whatever.yaml").write_text(BASE)
    result = play(["play", "tiny", "--plain", "--stories", str(folder)], "", tmp_path)
    assert result.returncode == 0 and "== Tiny ==" in result.stdout


def test_a_broken_story_prints_located_errors_not_a_traceback(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BASE.replace("goto: kitchen", "goto: kitchn"))
    result = play(["play", str(path), "--plain"], "", tmp_path)
    assert result.returncode == 1
    assert f"{path}:32:15: error: 'goto' names a missing scene 'kitchn'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_story_lists_the_known_ones(tmp_path):
    result = play(["play", "no-such-story", "--plain"], "", tmp_path)
    assert result.returncode == 1 and "no story called 'no-such-story'" in result.stderr
    assert "demo" in result.stderr


def test_check_exit_codes(tiny, tmp_path):
    assert play(["check", str(tiny)], "", tmp_path).returncode == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(BASE.replace("tone: hopeful", "tone: hopefull"))
    result = play(["check", str(tiny), str(broken)], "", tmp_path)
    assert result.returncode == 1
    assert f"{broken}:" in result.stdout and "did you mean 'hopeful'" in result.stdout
    assert play(["check", "--no-such-flag"], "", tmp_path).returncode == 2


def test_bundled_stories_pass_check(tmp_path):
    # Checking explores every reachable state of all six stories: under 2 s of CPU (see
    # bench/check_bench.py), longer on a loaded machine. The time itself is a benchmark's
    # business, not this test's, so the limit only catches a hang (or a blow-up of the states).
    result = play(["check", str(ROOT / "stories")], "", tmp_path, timeout=90)
    assert result.returncode == 0, result.stdout
