"""`understood serve`: one server for every student's web player, tested with a client that does
what the page does; the facilitator's token, pages and controls; what a browser may send."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from _classroom import DEMO, demo_story, play
from _pageclient import StudentPage
from game.classroom.server.app import ClassServer
from game.classroom.session import ClassroomSession
from game.cli import main

ROOT = Path(__file__).resolve().parent.parent
ASK_BOXES_DOOR = [1, 3, 3]
JOKE_BOXES_TAKEAWAY = [2, 3, 2]


def summary_of(picks, **options) -> dict:
    story = demo_story()
    return ClassroomSession("x", "/nonexistent").summary(play(story, picks), **options)


def serving(tmp_path, scenario, **options):
    """Run `scenario(server, http, base)` against a class server on a free loopback port."""

    async def run():
        server = ClassServer(demo_story(), classroom=options.pop("classroom", "p3"), classes=tmp_path / "classes",
                             host="127.0.0.1", port=0, **options)
        await server.start()
        try:
            async with aiohttp.ClientSession() as http:
                return await scenario(server, http, f"http://127.0.0.1:{server.port}")
        finally:
            await server.stop()

    return asyncio.run(run())


def files(tmp_path) -> list[Path]:
    return sorted((tmp_path / "classes" / "p3").glob("*.json"))


async def teacher(http, base, server, path="/api/class", token=None):
    async with http.get(f"{base}{path}?token={token or server.token}") as answer:
        return answer.status, (await answer.json() if path.startswith("/api") else await answer.text())


# --- students --------------------------------------------------------------------------------------


def test_the_page_is_served_to_anyone_and_may_fetch_nothing_from_outside(tmp_path):
    async def scenario(server, http, base):
        async with http.get(base + "/") as answer:
            policy = answer.headers["Content-Security-Policy"]
            assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/html")
            assert answer.headers.get("Content-Encoding") == "gzip"
            assert "default-src 'none'" in policy and "connect-src 'self'" in policy
            page = await answer.text()
        assert "<title>The Last Box" in page or "The Last Box" in page

    serving(tmp_path, scenario)


def test_a_student_joins_reports_progress_and_hands_in_a_summary_written_to_the_class(tmp_path):
    async def scenario(server, http, base):
        page = StudentPage(http, base)
        await page.open()
        joined = await page.join()
        assert re.fullmatch(r"[0-9a-f]{12}", joined["session"]) and re.fullmatch(r"[0-9a-f]{32}", joined["key"])
        assert joined["story"] == "demo"
        answer = await page.progress("playing", "The street lamp comes on", 1)
        assert answer == {"ok": True, "message": None, "closed": False}
        status, _ = await page.send_summary(summary_of(ASK_BOXES_DOOR))
        assert status == 200
        return page.session

    serving(tmp_path, scenario)
    (path,) = files(tmp_path)
    data = json.loads(path.read_text())
    assert data["kind"] == "understood-summary" and data["ending"]["title"] == "See You Saturday"
    assert path.name == f"{data['session']}-demo.json"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ", data["started"]) and data["finished"].endswith("Z")
    assert not list((tmp_path / "classes" / "p3").glob(".tmp-*"))


def test_a_replay_replaces_its_own_summary_and_never_another_students(tmp_path):
    async def scenario(server, http, base):
        first, second = StudentPage(http, base), StudentPage(http, base)
        for page in (first, second):
            await page.open()
            await page.join()
        await first.send_summary(summary_of(ASK_BOXES_DOOR))
        await second.send_summary(summary_of(ASK_BOXES_DOOR))
        await first.send_summary(summary_of(JOKE_BOXES_TAKEAWAY))  # "play again"

    serving(tmp_path, scenario)
    endings = sorted(json.loads(p.read_text())["ending"]["title"] for p in files(tmp_path))
    assert endings == ["Chips on the Floor", "See You Saturday"]


def test_fifty_students_handing_in_at_once_each_get_their_own_file(tmp_path):
    async def student(http, base, picks):
        page = StudentPage(http, base)
        await page.open()
        await page.join()
        await page.progress("playing", "The van", 0)
        status, answer = await page.send_summary(summary_of(picks))
        assert status == 200, answer

    async def scenario(server, http, base):
        await asyncio.gather(*(student(http, base, ASK_BOXES_DOOR if i % 2 else JOKE_BOXES_TAKEAWAY)
                               for i in range(50)))

    serving(tmp_path, scenario)
    found = files(tmp_path)
    assert len(found) == 50 and len({json.loads(p.read_text())["session"] for p in found}) == 50


def test_a_wrong_key_or_unknown_session_is_refused_and_writes_nothing(tmp_path):
    async def scenario(server, http, base):
        page = StudentPage(http, base)
        await page.join()
        for body in ({"session": page.session, "key": "0" * 32}, {"session": "f" * 12, "key": page.key}, {}):
            status, answer = await page.post("/summary", {**body, "summary": summary_of(ASK_BOXES_DOOR)})
            assert status == 403 and "join again" in answer["error"]
            status, _ = await page.post("/progress", {**body, "stage": "playing", "place": "", "moves": 1})
            assert status == 403

    serving(tmp_path, scenario)
    assert files(tmp_path) == []


def broken(change) -> dict:
    summary = summary_of(ASK_BOXES_DOOR)
    change(summary)
    return summary


@pytest.mark.parametrize("summary, says", [
    (broken(lambda s: s.update(story_hash="0" * 64)), "another version"),
    (broken(lambda s: s.update(story_id="the-rock")), "plays 'demo'"),
    (broken(lambda s: s["choices"][0].update(choice="van.99")), "not in the story"),
    (broken(lambda s: s["choices"][0].update(scene="nowhere")), "not in the story"),
    (broken(lambda s: s["meters"]["closeness"].append(99)), "outside its range"),
    (broken(lambda s: s["meters"]["closeness"].append(1.5)), "whole numbers"),
    (broken(lambda s: s.update(ending={"scene": "van", "title": "I win"})), "not one of the story's endings"),
    (broken(lambda s: s.update(reflection=["x"] * 9)), "more answers"),
    (broken(lambda s: s.update(kind="spreadsheet")), "not an Understood summary"),
    ("a string", "not an object"),
])
def test_a_summary_that_does_not_fit_the_story_is_refused_with_a_reason(tmp_path, summary, says):
    async def scenario(server, http, base):
        page = StudentPage(http, base)
        await page.join()
        status, answer = await page.send_summary(summary)
        assert status == 400 and says in answer["error"], answer

    serving(tmp_path, scenario)
    assert files(tmp_path) == []


def test_what_the_server_writes_comes_from_the_story_not_the_browser(tmp_path):
    summary = summary_of(JOKE_BOXES_TAKEAWAY, reflection=["I\x1b[31m froze \u202ethere", "x" * 100], share_reflection=True)
    summary["choices"][0]["tags"] = ["<b>bold</b>"]
    summary["ending"]["title"] = "Chips on the Floor"
    summary["ending"]["tone"] = "<script>"
    summary["extra"] = {"name": "Sam"}
    summary["session"] = "someone-elses"
    summary["started"] = "2020-01-01T09:13:59.123Z"

    async def scenario(server, http, base):
        page = StudentPage(http, base)
        await page.join()
        assert (await page.send_summary(summary))[0] == 200

    serving(tmp_path, scenario)
    (path,) = files(tmp_path)
    data = json.loads(path.read_text())
    assert "extra" not in data and data["session"] != "someone-elses" and not data["started"].startswith("2020")
    assert data["choices"][0]["tags"] == ["mask"] and data["ending"]["tone"] == demo_story().scenes[
        data["ending"]["scene"]].ending.tone
    assert data["reflection"][0] == "I froze there" and "\x1b" not in path.read_text()


def test_bodies_are_json_of_at_most_64_kib(tmp_path):
    async def scenario(server, http, base):
        page = StudentPage(http, base)
        await page.join()
        big = {"session": page.session, "key": page.key, "stage": "playing", "place": "x" * 70_000, "moves": 1}
        async with http.post(base + "/api/progress", json=big) as answer:
            assert answer.status == 413 and "too large" in (await answer.json())["error"]
        async with http.post(base + "/api/join", data="{}", headers={"Content-Type": "text/plain"}) as answer:
            assert answer.status == 415 and "error" in await answer.json()
        async with http.post(base + "/api/join", data="{not json", headers={"Content-Type": "application/json"}) as answer:
            assert answer.status == 400 and "not JSON" in (await answer.json())["error"]
        bad = '{"session": "%s", "key": "%s", "stage": "playing", "place": "", "moves": NaN}' % (page.session, page.key)
        async with http.post(base + "/api/progress", data=bad, headers={"Content-Type": "application/json"}) as answer:
            assert answer.status == 400
        status, answer = await page.post("/progress", {"session": page.session, "key": page.key, "stage": "asleep"})
        assert status == 400 and "stage" in answer["error"]

    serving(tmp_path, scenario)


def test_other_sites_and_other_host_names_are_refused(tmp_path):
    """A page elsewhere in the teacher's browser, or a name rebound to 127.0.0.1, gets nothing."""

    async def scenario(server, http, base):
        async with http.post(base + "/api/join", json={}, headers={"Origin": "http://evil.example"}) as answer:
            assert answer.status == 403 and "error" in await answer.json()
        async with http.get(f"{base}/api/class?token={server.token}", headers={"Host": "evil.example"}) as answer:
            assert answer.status == 421
        async with http.post(base + "/api/join", json={}, headers={"Origin": base}) as answer:
            assert answer.status == 200

    serving(tmp_path, scenario)


def test_the_session_cap_is_a_clear_refusal(tmp_path):
    async def scenario(server, http, base):
        for _ in range(3):
            await StudentPage(http, base).join()
        status, answer = await StudentPage(http, base).post("/join", {})
        assert status == 503 and "already has 3 students" in answer["error"]

    serving(tmp_path, scenario, limit=3)


# --- the facilitator -----------------------------------------------------------------------------


def test_only_the_token_opens_the_facilitator_pages_and_controls(tmp_path):
    async def scenario(server, http, base):
        for token in ("", "wrong", server.token[:-1]):
            assert (await teacher(http, base, server, token=token or "none"))[0] == 403
            async with http.get(f"{base}/teacher?token={token}") as answer:
                assert answer.status == 403 and "for the facilitator" in await answer.text()
            async with http.get(f"{base}/teacher/debrief?token={token}") as answer:
                assert answer.status == 403
            async with http.post(f"{base}/api/message?token={token}", json={"end": True}) as answer:
                assert answer.status == 403
        assert not server.state.closed
        assert (await teacher(http, base, server))[0] == 200

    serving(tmp_path, scenario)


def test_live_progress_counts_places_and_endings_with_small_counts_hidden(tmp_path):
    async def scenario(server, http, base):
        pages = [StudentPage(http, base) for _ in range(9)]
        for page in pages:
            await page.join()
        for page in pages[:5]:
            await page.progress("playing", "The street lamp", 2)
        await pages[5].progress("playing", "The hospital car park", 4)
        for page in pages[6:]:
            await page.progress("ended", "The end", 5)
            await page.send_summary(summary_of(ASK_BOXES_DOOR))
        status, view = await teacher(http, base, server)
        return view

    view = serving(tmp_path, scenario)
    assert view["joined"] == "9"
    stages = dict(view["stages"])
    assert stages["Playing"] == "6" and stages["Finished"] == "3" and stages["On the first screen"] == "none"
    places = dict(view["places"])
    # 6 playing, so the 5 would give the 1 back: both are hidden
    assert places["The street lamp"] == "not shown" and places["The hospital car park"] == "fewer than 3"
    assert view["endings"] == [["See You Saturday", "3 (100%)"]]


def test_no_ending_is_shown_live_until_enough_have_played(tmp_path):
    async def scenario(server, http, base):
        for _ in range(2):
            page = StudentPage(http, base)
            await page.join()
            await page.send_summary(summary_of(ASK_BOXES_DOOR))
        return (await teacher(http, base, server))[1]

    assert serving(tmp_path, scenario)["endings"] == []


def test_a_lone_student_is_not_counted_exactly_anywhere(tmp_path):
    async def scenario(server, http, base):
        page = StudentPage(http, base)
        await page.join()
        await page.progress("sat_out", "", 0)
        return (await teacher(http, base, server))[1]

    view = serving(tmp_path, scenario)
    assert view["joined"] == "fewer than 3" and dict(view["stages"])["Sat it out"] == "fewer than 3"


def test_two_minutes_left_and_end_the_session_reach_every_page(tmp_path):
    async def scenario(server, http, base):
        page = StudentPage(http, base)
        await page.join()
        async with http.post(f"{base}/api/message?token={server.token}", json={"text": "Two minutes left"}) as a:
            assert a.status == 200
        answer = await page.progress("playing", "x", 1)
        assert answer["message"] == "Two minutes left" and not answer["closed"]
        async with http.post(f"{base}/api/message?token={server.token}", json={"end": True}) as a:
            assert a.status == 200
        answer = await page.progress("playing", "x", 2)
        assert answer["closed"]
        status, _ = await page.send_summary(summary_of([1]))  # what the page does when the session ends
        assert status == 200
        status, view = await teacher(http, base, server)
        assert view["closed"] and view["message"] == "Two minutes left"

    serving(tmp_path, scenario)
    assert len(files(tmp_path)) == 1


def test_nothing_a_student_sends_reaches_a_page_unescaped(tmp_path):
    evil = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'

    async def scenario(server, http, base):
        for _ in range(3):
            page = StudentPage(http, base)
            await page.join()
            await page.progress("playing", evil, 1)
        async with http.post(f"{base}/api/message?token={server.token}", json={"text": evil}) as a:
            assert a.status == 200
        status, html = await teacher(http, base, server, "/teacher")
        status, view = await teacher(http, base, server)
        return html, view

    html, view = serving(tmp_path, scenario)
    assert "<img" not in html and "<script>alert" not in html and "</script><script>" not in html
    assert view["places"][0][0].startswith("<img")  # JSON for the page's textContent, not markup


def test_the_facilitator_page_shows_the_join_link_and_its_qr_code(tmp_path):
    async def scenario(server, http, base):
        status, html = await teacher(http, base, server, "/teacher")
        return server, html

    server, html = serving(tmp_path, scenario)
    assert f"http://127.0.0.1:{server.port}/" in html and '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "Two minutes left" in html and "End the session" in html and "/teacher/debrief?token=" in html
    assert re.search(r'<script nonce="[^"]+">', html)


def test_the_debrief_shows_one_turning_point_a_slide_with_a_question_beside_it(tmp_path):
    async def scenario(server, http, base):
        for picks in [ASK_BOXES_DOOR] * 6 + [JOKE_BOXES_TAKEAWAY] * 6:
            page = StudentPage(http, base)
            await page.join()
            await page.send_summary(summary_of(picks))
        async with http.get(f"{base}/teacher/debrief?token={server.token}") as answer:
            assert "nonce-" in answer.headers["Content-Security-Policy"]
            return await answer.text()

    html = serving(tmp_path, scenario)
    slides = re.findall(r'<section class="slide[^"]*" id="slide-(\d+)"', html)
    points = re.findall(r"Turning point (\d+) of (\d+)", html)
    assert points and len(slides) == len(points) + 2  # endings first, the questions last
    assert html.count('<aside class="question">') == len(points)
    for question in demo_story().debrief[:1]:
        assert " ".join(question.split()) in html
    for scene_id in demo_story().scenes:
        assert f">{scene_id}<" not in html
    assert "See You Saturday" in html and "6 (50%)" in html


def test_the_debrief_without_enough_players_shows_only_the_questions(tmp_path):
    async def scenario(server, http, base):
        page = StudentPage(http, base)
        await page.join()
        await page.send_summary(summary_of(ASK_BOXES_DOOR))
        return (await teacher(http, base, server, "/teacher/debrief"))[1]

    html = serving(tmp_path, scenario)
    assert "Fewer than 3 students played" in html and "See You Saturday" not in html
    assert "Questions to close with" in html


# --- the command -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_prints_the_join_link_a_qr_code_and_the_facilitator_address(tmp_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "game", "serve", "--story", "demo", "--classroom", "p3",
                                "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        lines = []
        deadline = time.time() + 30
        while time.time() < deadline and not any("Ctrl+C" in line for line in lines):
            lines.append(process.stdout.readline())
        out = "".join(lines)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert f"http://127.0.0.1:{port}/" in out and "Only this computer can open the story" in out
    assert re.search(rf"http://127\.0\.0\.1:{port}/teacher\?token=[\w-]{{20,}}", out)
    assert "▀" in out and "▄" in out and "\x1b" not in out  # the QR code, in plain characters
    assert "classes/p3/" in out


def test_serve_without_a_story_says_how_to_choose_one(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve"])
    assert exit_.value.code == 2 and "--story" in capsys.readouterr().err


def test_beyond_loopback_the_start_says_so_plainly(tmp_path):
    server = ClassServer(demo_story(), classroom=None, host="192.0.2.10", port=8000)
    text = "\n".join(server.startup_lines())
    assert "Heads up: anyone who can reach 192.0.2.10" in text and "no password" in text
    assert "http://192.0.2.10:8000/" in text and "nothing is written" in text


def test_the_terminal_qr_code_is_the_join_links_code_module_for_module():
    import segno

    from game.classroom.server.qr import qr_svg, qr_text

    url = "http://192.0.2.10:8000/"
    rows = qr_text(url).splitlines()
    ink = {"█": (0, 0), "▀": (0, 1), "▄": (1, 0), " ": (1, 1)}  # (top, bottom): 1 is a dark module
    drawn = []
    for row in rows:
        drawn.append([ink[c][0] for c in row])
        drawn.append([ink[c][1] for c in row])
    expected = [list(r) for r in segno.make(url, error="m").matrix_iter(scale=1, border=2)]
    assert drawn[:len(expected)] == expected
    assert qr_svg(url).startswith("<svg") and "<title>Join link</title>" in qr_svg(url)
