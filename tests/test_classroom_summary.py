"""The anonymous summary a classroom session writes: what it holds, and what it never holds."""

from __future__ import annotations

import getpass
import json
import os
import socket
from datetime import datetime, timezone

import pytest

from _classroom import demo_story, play
from game.classroom import session as session_module
from game.classroom.session import SUMMARY_KIND, ClassroomSession, SummaryError, summary_problem

DEMO_PATH = [1, 2, 1, 2, 2]  # van: ask; tailgate: sit; sitting: wait; tailgate: sit; sitting: boxes


def test_summary_holds_story_choices_tags_locks_meters_and_ending(tmp_path):
    story = demo_story()
    game = play(story, [2, 3, 2])  # joke, boxes upstairs, takeaway
    data = json.loads(ClassroomSession("p3", tmp_path).write(game).read_text())
    assert data["kind"] == SUMMARY_KIND and data["format"] == 1
    assert data["story_id"] == "demo" and data["story_hash"] == story.content_hash
    assert [c["choice"] for c in data["choices"]] == ["van.2", "tailgate.3", "the_flat.2"]
    assert data["choices"][0]["tags"] == ["mask"]
    assert {"scene": "tailgate", "choice": "tailgate.1"} in data["locked"]  # asked once, joked: locked
    assert data["meters"]["closeness"][0] == 4 and len(data["meters"]["closeness"]) == 4
    assert data["ending"] == {"scene": "ending_takeaway", "title": "Chips on the Floor", "tone": "hopeful"}
    assert data["completed"] is True and data["opted_out"] is False


def test_timestamps_are_rounded_to_the_minute_in_the_summary_and_on_the_file(tmp_path):
    path = ClassroomSession("p3", tmp_path).write(play(demo_story(), [1]))
    data = json.loads(path.read_text())
    for key in ("started", "finished"):
        assert datetime.strptime(data[key], "%Y-%m-%dT%H:%MZ")
    assert os.stat(path).st_mtime % 60 == 0


def test_summary_has_no_free_text_unless_the_student_shares_their_reflection(tmp_path):
    game = play(demo_story(), [1, 3, 3])
    words = ["I froze when he said fine", "my dad did the same"]
    session = ClassroomSession("p3", tmp_path)
    path = session.write(game, reflection=words, share_reflection=False)
    text = path.read_text()
    assert json.loads(text)["reflection"] is None
    assert "froze" not in text and "dad" not in text

    path = session.write(game, reflection=words, share_reflection=True)
    assert json.loads(path.read_text())["reflection"] == words


def test_summary_names_no_person_or_machine(tmp_path):
    path = ClassroomSession("p3", tmp_path).write(play(demo_story(), DEMO_PATH))
    text = path.read_text()
    for identity in (getpass.getuser(), socket.gethostname()):
        if len(identity) >= 4:
            assert identity not in text
    data = json.loads(text)
    # the only words in it come from the story file or the format itself
    story_words = {demo_story().title, "You stepped away"} | {e.ending.title for e in demo_story().endings}
    assert set(data) == {"kind", "format", "session", "story_id", "story_hash", "started", "finished",
                         "completed", "opted_out", "ending", "stopped_at", "choices", "locked", "meters", "reflection"}
    assert data["ending"] is None or data["ending"]["title"] in story_words


def test_each_session_gets_its_own_random_id_and_file(tmp_path):
    game = play(demo_story(), [1])
    first, second = ClassroomSession("p3", tmp_path), ClassroomSession("p3", tmp_path)
    assert first.session_id != second.session_id
    assert first.write(game) != second.write(game)
    assert len(list((tmp_path / "p3").glob("*.json"))) == 2


def test_rewriting_a_summary_replaces_only_that_sessions_file(tmp_path):
    story = demo_story()
    session = ClassroomSession("p3", tmp_path)
    game = play(story, [1])
    session.write(game)
    game.choose(2)
    path = session.write(game)
    assert [p.name for p in (tmp_path / "p3").iterdir()] == [path.name]
    assert len(json.loads(path.read_text())["choices"]) == 2


def test_colliding_random_ids_never_clobber_another_sessions_summary(tmp_path, monkeypatch):
    ids = iter(["aaaaaaaaaaaa", "aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    monkeypatch.setattr(session_module.secrets, "token_hex", lambda n: next(ids))
    story = demo_story()
    first, second = ClassroomSession("p3", tmp_path), ClassroomSession("p3", tmp_path)
    first_path = first.write(play(story, [1]))
    second_path = second.write(play(story, [2]))
    assert first_path != second_path and second.session_id == "bbbbbbbbbbbb"
    assert json.loads(first_path.read_text())["choices"][0]["choice"] == "van.1"
    assert json.loads(second_path.read_text())["session"] == "bbbbbbbbbbbb"


def test_an_opted_out_session_records_no_choices(tmp_path):
    from game.engine import Game

    data = json.loads(ClassroomSession("p3", tmp_path).write(Game(demo_story()), opted_out=True).read_text())
    assert data["opted_out"] is True and data["choices"] == [] and data["ending"] is None


@pytest.mark.parametrize("name", ["", "../escape", "a b", "x" * 65, "-dash-first"])
def test_unusable_class_names_are_refused_with_a_clear_message(name, tmp_path):
    with pytest.raises(SummaryError, match="not a usable class name"):
        ClassroomSession(name, tmp_path)


def test_an_unwritable_class_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    with pytest.raises(SummaryError, match="Could not write the class summary"):
        ClassroomSession("p3", blocker).write(play(demo_story(), [1]))


def test_a_real_summary_passes_the_format_check(tmp_path):
    path = ClassroomSession("p3", tmp_path).write(play(demo_story(), DEMO_PATH))
    assert summary_problem(json.loads(path.read_text())) is None


@pytest.mark.parametrize("data, problem", [
    ([], "not an object"),
    ({"kind": "something-else"}, "not an Understood summary"),
    ({"kind": SUMMARY_KIND, "format": 99}, "newer Understood"),
    ({"kind": SUMMARY_KIND, "format": 1, "session": "x", "story_id": "demo"}, "story_hash"),
    ({"kind": SUMMARY_KIND, "format": 1, "session": "x", "story_id": "demo", "story_hash": "h",
      "choices": [{"scene": "van"}]}, "no choice id"),
    ({"kind": SUMMARY_KIND, "format": 1, "session": "x", "story_id": "demo", "story_hash": "h",
      "choices": [], "meters": {"trust": ["high"]}}, "list of numbers"),
])
def test_the_format_check_says_what_is_wrong(data, problem):
    assert problem in summary_problem(data)


def test_started_time_is_when_the_session_began(tmp_path, monkeypatch):
    session = ClassroomSession("p3", tmp_path)
    session.started = datetime(2030, 1, 2, 3, 4, 59, tzinfo=timezone.utc)
    data = session.summary(play(demo_story(), [1]))
    assert data["started"] == "2030-01-02T03:04Z"
