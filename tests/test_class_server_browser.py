"""`understood serve` in a real browser (Debian's Chromium): the web player plays to an ending
against the real class server, the facilitator's page sees it live and its controls reach the
student, and the debrief pages through its slides by keyboard. Screenshots of the facilitator's
page and the debrief go to $UNDERSTOOD_SCREENSHOTS when set."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import pytest

from game.classroom.server.app import ClassServer
from game.classroom.session import summary_problem
from game.story.load import load_story

pytest.importorskip("game.web.page", reason="the web player is not on this branch yet")
_browser = pytest.importorskip("tests._browser", reason="the browser test helpers come with the web player")
browser, open_choices, play_to_end = _browser.browser, _browser.open_choices, _browser.play_to_end
screen, screenshot_dir = _browser.screen, _browser.screenshot_dir

ROOT = Path(__file__).resolve().parent.parent


class Running:
    """A class server on a free loopback port, in a thread of its own (the test drives a browser)."""

    def __init__(self, server: ClassServer):
        self.server = server
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> ClassServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(timeout=30)
        return self.server

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture
def served(tmp_path):
    story = load_story(ROOT / "stories" / "demo.yaml")
    server = ClassServer(story, classroom="p3", classes=tmp_path / "classes", host="127.0.0.1", port=0)
    with Running(server) as running:
        yield running, f"http://127.0.0.1:{running.port}", tmp_path / "classes" / "p3"


def wait_until(tab, check, what: str, tries: int = 200) -> None:
    for _ in range(tries):
        if check():
            return
        tab.wait_for_timeout(50)
    raise AssertionError(f"never happened: {what}")


def test_a_student_plays_to_an_ending_through_serve_and_the_facilitator_sees_it(browser, served, tmp_path):
    server, base, folder = served
    shots = screenshot_dir(tmp_path)
    student = browser.new_context(reduced_motion="reduce").new_page()
    teacher = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    errors: list[str] = []
    for tab in (student, teacher):
        tab.on("pageerror", lambda error: errors.append(str(error)))

    student.goto(base + "/")
    student.click("#begin")
    open_choices(student).first.click()
    teacher.goto(f"{base}/teacher?token={server.token}")
    wait_until(teacher, lambda: teacher.locator("#joined").inner_text() == "fewer than 3", "the student is counted")
    wait_until(teacher, lambda: teacher.locator("#places tr").count() == 1, "their place is shown")
    place = teacher.locator("#places td").first.inner_text()
    assert place and place not in server.story.scenes  # a place name, never a scene id

    teacher.click("#two-minutes")
    wait_until(teacher, lambda: server.state.message is not None, "the message reaches the server")
    open_choices(student).first.click()
    student.wait_for_selector("#message:not([hidden])")
    assert "Two minutes left" in student.locator("#message").inner_text()

    play_to_end(student)
    wait_until(student, lambda: len(list(folder.glob("*-demo.json"))) == 1, "the summary is written")
    (path,) = folder.glob("*-demo.json")
    data = json.loads(path.read_text())
    assert summary_problem(data) is None and data["completed"] and data["ending"]["title"]
    finished = teacher.locator("#stages div:has(dt:text-is('Finished')) dd")
    wait_until(teacher, lambda: finished.inner_text() != "none", "the live view updates")
    teacher.screenshot(path=str(shots / "serve-facilitator-1366.png"), full_page=True)

    teacher.once("dialog", lambda dialog: dialog.accept())
    teacher.click("#end")
    wait_until(teacher, lambda: server.state.closed, "the session ends")
    assert errors == []


def test_the_debrief_pages_through_its_slides_by_keyboard(browser, served, tmp_path):
    server, base, folder = served
    shots = screenshot_dir(tmp_path)
    for number, picks in enumerate(([0, 2, 2], [1, 2, 1]) * 3, 1):  # six students, two paths
        tab = browser.new_context(reduced_motion="reduce").new_page()
        tab.goto(base + "/")
        tab.click("#begin")
        for index in picks:
            if screen(tab) == "ending":
                break
            open_choices(tab).nth(min(index, open_choices(tab).count() - 1)).click()
        play_to_end(tab)
        wait_until(tab, lambda: len(server.state.summaries()) == number, "the summary arrives")
        tab.context.close()
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    projector.goto(f"{base}/teacher/debrief?token={server.token}")
    first = projector.locator(".slide.current h1, .slide.current h2").inner_text()
    assert first == server.story.title
    projector.screenshot(path=str(shots / "serve-debrief-1920-endings.png"))
    projector.keyboard.press("ArrowRight")
    assert projector.locator(".slide.current .kicker").first.inner_text().lower().startswith("turning point")
    assert projector.locator(".slide.current aside.question").count() == 1
    projector.screenshot(path=str(shots / "serve-debrief-1920-turning-point.png"))
    projector.keyboard.press("End")
    assert "Questions" in projector.locator(".slide.current h2").inner_text()
    refused = browser.new_page()
    refused.goto(f"{base}/teacher/debrief?token=wrong")
    assert "for the facilitator" in refused.content()
