"""The class report: counts per story in story order, "fewer than 5" for small splits, and bad
files skipped and listed, never fatal."""

from __future__ import annotations

import asyncio
import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from _classroom import demo_story, play, write_class
from game.classroom.html import render_html
from game.classroom.markdown import render_markdown
from game.classroom.report import build_report
from game.classroom.suppress import Count
from game.classroom.session import ClassroomSession
from game.cli import main
from game.story import parse_story

ASK_BOXES_DOOR = [1, 3, 3]  # van.1, tailgate.3, the_flat.3 (See You Saturday)
JOKE_BOXES_TAKEAWAY = [2, 3, 2]  # van.2, tailgate.3 (tailgate.1 locked), the_flat.2 (Chips on the Floor)


def find_demo(story_id):
    return demo_story() if story_id == "demo" else None


def write_paths(base: Path, paths: dict[tuple, int], name: str = "p3", story=None, **options) -> Path:
    story = story or demo_story()
    for picks, times in paths.items():
        for _ in range(times):
            ClassroomSession(name, base).write(play(story, list(picks)), **options)
    return base / name


FEWER = "fewer than 5"  # most tests here use a threshold of 5, to keep their classes small


def demo_report(folder: Path, threshold: int = 5):
    return build_report(folder, find_demo, threshold=threshold)


def test_a_class_of_thirty_with_corrupt_and_foreign_files_reports_the_thirty(tmp_path):
    folder = tmp_path / "p3"
    write_class(tmp_path, "p3", 30)
    (folder / "torn.json").write_text('{"kind": "understood-summ')
    (folder / "empty.json").write_text("")
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00junk")
    (folder / "foreign.json").write_text(json.dumps({"name": "a spreadsheet"}))
    (folder / "list.json").write_text("[1, 2, 3]")
    (folder / "future.json").write_text(json.dumps({"kind": "understood-summary", "format": 9}))
    (folder / "notes.txt").write_text("bring tissues")
    (folder / "old-class").mkdir()
    first = sorted(folder.glob("*-demo.json"))[0]
    (folder / "copy-of-first.json").write_text(first.read_text())
    (folder / ".tmp-in-progress.json").write_text("{")  # a write in progress: not junk, not counted

    report = demo_report(folder)
    (story,) = report.stories
    assert story.played == 30 and story.summaries == 30
    reasons = {s.name: s.reason for s in report.skipped}
    assert set(reasons) == {"torn.json", "empty.json", "binary.json", "foreign.json", "list.json", "future.json",
                            "notes.txt", "old-class/", "copy-of-first.json"}
    assert "not valid JSON" in reasons["torn.json"] and "newer Understood" in reasons["future.json"]
    assert "copy" in reasons["copy-of-first.json"] and "not an Understood summary" in reasons["foreign.json"]
    for text in (render_markdown(report), render_html(report)):
        assert "torn.json" in text and "notes.txt" in text


def test_endings_are_counted_in_story_order_with_percentages(tmp_path):
    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 6, tuple(JOKE_BOXES_TAKEAWAY): 9})
    (story,) = demo_report(folder).stories
    endings = {b.label: b.count for b in story.endings}
    assert [b.label for b in story.endings] == ["The Real One", "Chips on the Floor", "See You Saturday"]
    assert endings["See You Saturday"].value == 6 and endings["See You Saturday"].text() == "6 (40%)"
    assert endings["Chips on the Floor"].text() == "9 (60%)" and endings["The Real One"].text() == "none"


def test_decisions_follow_the_story_and_count_locked_choices_as_wanted_but_couldnt(tmp_path):
    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 6, tuple(JOKE_BOXES_TAKEAWAY): 9})
    (story,) = demo_report(folder).stories
    assert [d.scene for d in story.decisions] == ["van", "tailgate", "the_flat"]
    tailgate = {row.choice_id: row for row in story.decisions[1].choices}
    assert tailgate["tailgate.3"].chose.text() == "15 (100%)"
    assert tailgate["tailgate.1"].couldnt.text() == "9 (60%)"  # everyone who joked met it locked
    assert tailgate["tailgate.1"].chose.text() == "none"
    hug = story.decisions[2].choices[0]
    assert hug.choice_id == "demo-hug" and hug.couldnt.text() == "15 (100%)"


def test_any_split_of_fewer_than_five_students_says_fewer_than_five(tmp_path):
    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 7, tuple(JOKE_BOXES_TAKEAWAY): 3})
    report = demo_report(folder)
    (story,) = report.stories
    van = {row.choice_id: row.chose for row in story.decisions[0].choices}
    assert van["van.2"].suppressed and van["van.2"].text() == FEWER and van["van.2"].percent is None
    assert {b.label: b.count.text() for b in story.endings}["Chips on the Floor"] == FEWER
    for text in (render_markdown(report), render_html(report)):
        assert FEWER in text
        assert "3 (30%)" not in text and "(30%)" not in text


def test_with_fewer_than_five_players_no_split_is_shown_at_all(tmp_path):
    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 2, tuple(JOKE_BOXES_TAKEAWAY): 2})
    report = demo_report(folder)
    assert report.stories[0].suppressed
    md = render_markdown(report)
    assert "nothing more is shown" in md and "See You Saturday" not in md and "Decisions" not in md


def test_a_decision_reached_by_fewer_than_five_is_hidden_whole(tmp_path):
    folder = write_paths(tmp_path, {(1, 1, 1, 1): 2, tuple(ASK_BOXES_DOOR): 6})  # 2 reach the_truth
    (story,) = demo_report(folder).stories
    truth = next(d for d in story.decisions if d.scene == "the_truth")
    assert truth.suppressed
    assert "Fewer than 5 students reached this point." in render_markdown(demo_report(folder))


def test_meters_average_path_runs_from_start_to_end(tmp_path):
    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 5, tuple(JOKE_BOXES_TAKEAWAY): 5})
    (story,) = demo_report(folder).stories
    closeness = next(m for m in story.meters if m.name == "closeness")
    ask = play(demo_story(), ASK_BOXES_DOOR).meter_history()["closeness"]
    joke = play(demo_story(), JOKE_BOXES_TAKEAWAY).meter_history()["closeness"]
    assert closeness.start == 4 and closeness.end == pytest.approx((ask[-1] + joke[-1]) / 2)
    assert len(closeness.averages) == 4 and closeness.label == "Closeness"
    assert next(m for m in story.meters if m.name == "nerve").hidden


def test_tags_are_counted_over_all_choices(tmp_path):
    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 5, tuple(JOKE_BOXES_TAKEAWAY): 5})
    (story,) = demo_report(folder).stories
    tags = {t.tag: t for t in story.tags}
    assert story.total_choices == 30
    assert tags["mask"].times == 20 and tags["mask"].text() == "about 65% of choices"  # boxes x10, door x5, joke x5
    assert tags["reach"].times == 5 and tags["presence"].times == 5


def test_summaries_from_another_version_of_the_story_are_noted(tmp_path):
    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 5})
    for path in list(folder.glob("*.json"))[:2]:
        data = json.loads(path.read_text())
        data["story_hash"] = "0" * 64
        data["choices"][1]["choice"] = "tailgate.retired"
        path.write_text(json.dumps(data))
    (story,) = demo_report(folder).stories
    assert any("Some summaries were made with a different version" in n for n in story.notes)  # 2: a few
    assert any("2 versions" in n for n in story.notes)
    retired = next(r for r in story.decisions[1].choices if r.choice_id == "tailgate.retired")
    assert not retired.known


def test_a_story_not_found_here_is_reported_by_ids_in_the_order_students_met_them(tmp_path):
    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 5})
    (story,) = build_report(folder, lambda story_id: None).stories
    assert not story.found and "wasn't found here" in story.notes[0]
    assert [d.scene for d in story.decisions] == ["van", "tailgate", "the_flat"]
    assert story.decisions[0].choices[0].text == "van.1"


def test_students_who_sat_out_are_counted_apart_from_players(tmp_path):
    from game.engine import Game

    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 6})
    for _ in range(2):
        ClassroomSession("p3", tmp_path).write(Game(demo_story()), opted_out=True)
    (story,) = demo_report(folder).stories
    assert story.played == 6 and story.sat_out.text() == FEWER


def test_only_shared_reflections_appear_and_their_order_hides_who_wrote_them(tmp_path):
    story = demo_story()
    session = ClassroomSession("p3", tmp_path)
    session.write(play(story, ASK_BOXES_DOOR), reflection=["zebra crossing", "", "", ""], share_reflection=True)
    session = ClassroomSession("p3", tmp_path)
    session.write(play(story, ASK_BOXES_DOOR), reflection=["an apple", "", "", ""], share_reflection=True)
    session = ClassroomSession("p3", tmp_path)
    session.write(play(story, ASK_BOXES_DOOR), reflection=["kept to myself", "", "", ""], share_reflection=False)
    write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 3})
    report = demo_report(tmp_path / "p3")
    (question, answers), = report.stories[0].reflections
    assert question == story.debrief[0] and answers == ("an apple", "zebra crossing")
    assert "kept to myself" not in render_markdown(report) + render_html(report)


HOSTILE = """
format: 1
id: hostile
title: 'Tom <script>alert(1)</script> | **bold**'
summary: s
perspective: p
start: a
scenes:
  a:
    text: '<img src=x onerror=alert(1)>'
    choices:
      - text: 'Say <b>hi</b> | [link](http://example.com)'
        tags: [honest]
        goto: end
  end:
    ending: {title: 'The <end>', tone: tender}
    text: done
"""


def test_story_and_student_text_is_escaped_in_html_and_markdown(tmp_path):
    story = parse_story(HOSTILE)
    for _ in range(5):
        ClassroomSession("p3", tmp_path).write(play(story, [1]), reflection=["</blockquote><script>x()</script>"],
                                               share_reflection=True)
    report = build_report(tmp_path / "p3", lambda story_id: story)
    page = render_html(report)
    assert "<script" not in page and "<img" not in page and "<b>hi" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page
    md = render_markdown(report)
    assert "<script>" not in md and "<b>" not in md and "[link](" not in md
    assert "Say \\<b\\>hi\\</b\\> \\| \\[link\\]" in md


def test_the_html_page_is_self_contained_and_printable(tmp_path):
    write_class(tmp_path, "p3", 30)
    page = render_html(demo_report(tmp_path / "p3"))
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "@media print" in page
    assert not re.search(r"(src|href)\s*=|https?://|@import|url\(|<script|<link", page)


def test_the_tui_view_draws_bar_charts_and_hides_small_counts(tmp_path):
    from game.classroom.view import ReportApp
    from game.tui.app import CONTRAST_THEME

    folder = write_paths(tmp_path, {tuple(ASK_BOXES_DOOR): 7, tuple(JOKE_BOXES_TAKEAWAY): 3})
    report = demo_report(folder)

    async def scenario(projector: bool):
        app = ReportApp(report, projector=projector)
        async with app.run_test(size=(120, 50)) as pilot:
            await pilot.pause()
            console = Console(width=120, record=True, file=io.StringIO())
            for static in app.query("Static"):
                console.print(static.content)
            text = console.export_text()
            theme = app.theme
            await pilot.press("q")
        return text, theme

    text, theme = asyncio.run(scenario(False))
    assert "Class report: p3" in text and FEWER in text and "not shown" in text
    assert "7 (70%)" not in text  # 10 minus 7 would give back the 3
    assert theme != CONTRAST_THEME.name
    _, theme = asyncio.run(scenario(True))
    assert theme == CONTRAST_THEME.name


def test_report_command_writes_markdown_and_html_by_file_name(tmp_path, capsys):
    write_class(tmp_path, "p3", 10)
    assert main(["report", str(tmp_path / "p3"), "-o", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert main(["report", str(tmp_path / "p3"), "-o", str(tmp_path / "r.md")]) == 0
    assert (tmp_path / "r.md").read_text().startswith("# Class report: p3")
    assert main(["report", str(tmp_path / "p3"), "--format", "md"]) == 0
    assert "## The Last Box" in capsys.readouterr().out


def test_report_command_explains_a_missing_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_class(tmp_path / "classes", "period-3", 1)
    assert main(["report", "classes/period-4"]) == 1
    err = capsys.readouterr().err
    assert "no class folder at classes/period-4" in err and "period-3" in err


@pytest.mark.parametrize("argv, message", [
    (["-o", "r.txt"], "can't tell the format"),
    (["--format", "tui", "-o", "r.md"], "the TUI view is for the screen"),
])
def test_report_command_refuses_unclear_output(tmp_path, capsys, argv, message):
    write_class(tmp_path, "p3", 1)
    with pytest.raises(SystemExit) as exit_:
        main(["report", str(tmp_path / "p3"), *argv])
    assert exit_.value.code == 2 and message in capsys.readouterr().err
