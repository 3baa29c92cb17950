"""Small counts stay hidden, even to a reader who subtracts: the suppression rules and the report
they protect, at the default threshold that a class of 15 needs."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _classroom import demo_story, play
from game.classroom.html import render_html
from game.classroom.markdown import render_markdown
from game.classroom.report import build_report
from game.classroom.session import ClassroomSession
from game.classroom.suppress import GUARD, SHOWN, SMALL, protect
from game.cli import main
from game.engine import Game

ASK_BOXES_DOOR = [1, 3, 3]
JOKE_BOXES_TAKEAWAY = [2, 3, 2]


def find_demo(story_id):
    return demo_story() if story_id == "demo" else None


def possible_values(values, status, threshold, cell):
    """Every value the hidden `cell` could take, for a reader who knows the total, the shown counts
    and that "fewer than N" means 1 to N-1 and "not shown" means N or more (brute force)."""
    total = sum(values)
    hidden = [i for i, s in enumerate(status) if s]
    rest = total - sum(v for v, s in zip(values, status) if not s)
    ranges = [range(1, threshold) if status[i] == SMALL else range(threshold, total + 1) for i in hidden]
    found = set()
    for combo in itertools.product(*ranges):
        if sum(combo) == rest:
            found.add(combo[hidden.index(cell)])
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 16), min_size=2, max_size=5), st.integers(3, 5))
def test_no_hidden_small_count_can_be_worked_out_from_the_total(values, threshold):
    status, safe = protect(values, threshold)
    for i, value in enumerate(values):
        assert (status[i] == SMALL) == (0 < value < threshold) or status[i] == GUARD
        if status[i] == GUARD:
            assert value >= threshold
    if not safe:
        return  # the caller hides the total as well
    for i, s in enumerate(status):
        if s == SMALL:
            assert len(possible_values(values, status, threshold, i)) >= 2, (values, status)


def test_hiding_one_count_hides_the_next_smallest_too():
    assert protect([13, 2, 0], 3) == ([GUARD, SMALL, SHOWN], True)
    assert protect([10, 3, 2], 3) == ([SHOWN, GUARD, SMALL], True)
    assert protect([8, 4, 3], 3) == ([SHOWN, SHOWN, SHOWN], True)
    assert protect([1, 1], 3) == ([SMALL, SMALL], False)  # one each way: the total gives it away


def write(base, picks_times: dict, name="p3", **options):
    story = demo_story()
    for picks, times in picks_times.items():
        for _ in range(times):
            ClassroomSession(name, base).write(play(story, list(picks)), **options)
    return base / name


def test_three_summaries_two_played_give_nothing_away(tmp_path):
    """The case from the issue: "Played: 2 · Sat it out: fewer than 5" out of 3 summaries."""
    folder = write(tmp_path, {tuple(ASK_BOXES_DOOR): 2})
    ClassroomSession("p3", tmp_path).write(Game(demo_story()), opted_out=True)
    report = build_report(folder, find_demo)
    (story,) = report.stories
    assert story.suppressed and story.sat_out.text() == "fewer than 3" and story.played_text() == "fewer than 3"
    for text in (render_markdown(report), render_html(report)):
        assert "3 summaries" not in text and not re.search(r"\b3\b[^\n]*summar", text)
        assert "Sat it out: fewer than 3" in text or "<dd>fewer than 3</dd>" in text


def test_an_ending_one_student_missed_cannot_be_read_off_the_total(tmp_path):
    folder = write(tmp_path, {tuple(ASK_BOXES_DOOR): 13, tuple(JOKE_BOXES_TAKEAWAY): 2})
    report = build_report(folder, find_demo)
    (story,) = report.stories
    van = story.decisions[0]
    assert [row.chose.text() for row in van.choices[:2]] == ["not shown", "fewer than 3"]
    endings = {b.label: b.count.text() for b in story.endings}
    assert endings["See You Saturday"] == "not shown" and endings["Chips on the Floor"] == "fewer than 3"
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", render_markdown(report))  # the clock may read :13
    assert "13" not in text and "87%" not in text


def test_a_class_of_fifteen_gets_a_useful_report_by_default(tmp_path):
    """Fifteen students on three paths (6, 5 and 4): the default shows every count; a threshold
    of 5 would hide most of the class's decisions."""
    folder = write(tmp_path, {tuple(ASK_BOXES_DOOR): 6, tuple(JOKE_BOXES_TAKEAWAY): 5, (1, 2, 1, 1): 4})

    def hidden(threshold):
        (story,) = build_report(folder, find_demo, threshold=threshold).stories
        counts = [row.chose for d in story.decisions for row in d.choices if row.chose.value]
        counts += [b.count for b in story.endings if b.count.value]
        return sum(1 for c in counts if c.suppressed) + sum(len(d.choices) for d in story.decisions if d.suppressed)

    assert hidden(3) == 0
    assert hidden(5) >= 5


def test_decisions_are_headed_by_place_names_and_no_scene_id_is_shown(tmp_path):
    folder = write(tmp_path, {tuple(ASK_BOXES_DOOR): 6, tuple(JOKE_BOXES_TAKEAWAY): 6})
    report = build_report(folder, find_demo)
    titles = [d.title for d in report.stories[0].decisions]
    assert titles and all(t not in demo_story().scenes for t in titles)
    for text in (render_markdown(report), re.sub(r'id="[^"]*"', "", render_html(report))):
        for heading in re.findall(r"(?:#### |<h4>)\d+\. ([^<\n]+)", text):
            assert heading.strip() not in demo_story().scenes


def test_the_debrief_questions_are_shown_even_with_no_reflection_shared(tmp_path):
    folder = write(tmp_path, {tuple(ASK_BOXES_DOOR): 2})  # too few for any split
    report = build_report(folder, find_demo)
    for text in (render_markdown(report), render_html(report)):
        assert "Questions for the debrief" in text
        assert all(" ".join(q.split())[:40] in text for q in demo_story().debrief)


def test_projector_makes_the_html_report_large_and_one_decision_a_screen(tmp_path, capsys):
    write(tmp_path, {tuple(ASK_BOXES_DOOR): 6, tuple(JOKE_BOXES_TAKEAWAY): 6})
    plain, big = tmp_path / "plain.html", tmp_path / "big.html"
    assert main(["report", str(tmp_path / "p3"), "-o", str(plain)]) == 0
    assert main(["report", str(tmp_path / "p3"), "-o", str(big), "--projector"]) == 0
    assert 'class="projector"' in big.read_text() and 'class="projector"' not in plain.read_text()
    assert "font-size: 28px" in big.read_text() and "min-height: 90vh" in big.read_text()


@pytest.mark.parametrize("threshold, small", [("5", "fewer than 5"), ("3", "fewer than 3")])
def test_the_threshold_is_an_option(tmp_path, capsys, threshold, small):
    write(tmp_path, {tuple(ASK_BOXES_DOOR): 10, tuple(JOKE_BOXES_TAKEAWAY): 4})
    assert main(["report", str(tmp_path / "p3"), "--format", "md", "--threshold", threshold]) == 0
    out = capsys.readouterr().out
    assert f"shown as \"{small}\"" in out
    assert ("4 (29%)" in out) == (threshold == "3")


def test_a_threshold_below_three_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["report", str(tmp_path), "--threshold", "2"])
    assert "from 3 to 50" in capsys.readouterr().err
