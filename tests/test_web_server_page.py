"""The web player's side of docs/web-protocol.md, against a fake class server in the browser.

Playwright answers the page's requests itself (no port, no real server): join once per browser,
progress with a place name after every move, the facilitator's message shown, the summary at the
ending (valid for the class report), and "the session has ended" when the facilitator ends it.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

from game.classroom.session import summary_problem
from game.story.load import load_story
from game.story.names import place_name
from game.web.page import build_page
from tests._browser import browser, open_choices, play_to_end, screen  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent
ORIGIN = "http://class.understood.test"


class FakeServer:
    def __init__(self, page: str, story_id: str):
        self.page = page
        self.story_id = story_id
        self.calls: list[tuple[str, dict]] = []
        self.message: str | None = None
        self.closed = False

    def of(self, kind: str) -> list[dict]:
        return [body for name, body in self.calls if name == kind]

    def handle(self, route, request):
        path = urlparse(request.url).path
        if path == "/" and request.method == "GET":
            return route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.page)
        if request.method != "POST" or not path.startswith("/api/"):
            return route.fulfill(status=404, content_type="application/json", body='{"error": "not here"}')
        body = json.loads(request.post_data or "{}")
        kind = path.removeprefix("/api/")
        self.calls.append((kind, body))
        if kind == "join":
            answer = {"session": "a1b2c3d4e5f6", "key": "k" * 32, "story": self.story_id}
        elif body.get("session") != "a1b2c3d4e5f6" or body.get("key") != "k" * 32:
            return route.fulfill(status=403, content_type="application/json", body='{"error": "unknown session"}')
        elif kind == "progress":
            answer = {"ok": True, "message": self.message, "closed": self.closed}
        elif kind == "summary":
            answer = {"ok": True}
        else:
            return route.fulfill(status=404, content_type="application/json", body='{"error": "no such endpoint"}')
        return route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))


@pytest.fixture(scope="module")
def story():
    return load_story(ROOT / "stories" / "opening-up.yaml")


@pytest.fixture
def served(browser, story):  # noqa: F811
    fake = FakeServer(build_page(story, classroom="9B", server={"api": "/api", "join": "AB12"}), story.id)
    context = browser.new_context(reduced_motion="reduce")
    context.route("**/*", lambda route: route.abort())  # nothing but the fake server answers
    context.route(f"{ORIGIN}/**", fake.handle)
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield fake, tab
    context.close()


def wait_for(tab, fake, kind: str, count: int) -> None:
    for _ in range(100):
        if len(fake.of(kind)) >= count:
            return
        tab.wait_for_timeout(50)
    raise AssertionError(f"the page sent {len(fake.of(kind))} {kind} requests, not {count}")


def test_progress_messages_and_the_summary(served, story):
    fake, tab = served
    tab.goto(ORIGIN + "/")
    wait_for(tab, fake, "progress", 1)
    assert fake.of("progress")[0]["stage"] == "notes"
    tab.click("#begin")
    wait_for(tab, fake, "progress", 2)
    sent = fake.of("progress")[-1]
    assert sent["stage"] == "playing" and sent["moves"] == 0
    assert sent["place"] == place_name(story.scenes[story.start])  # a place name, never a scene id
    fake.message = "Two minutes left"
    open_choices(tab).first.click()
    wait_for(tab, fake, "progress", 3)
    assert fake.of("progress")[-1]["moves"] == 1
    tab.wait_for_selector("#message:not([hidden])")
    assert tab.locator("#message").inner_text() == "Two minutes left"
    play_to_end(tab)
    wait_for(tab, fake, "summary", 1)
    summary = fake.of("summary")[-1]["summary"]
    assert summary_problem(summary) is None
    assert summary["completed"] and summary["story_id"] == story.id and summary["ending"]["title"]
    assert fake.of("progress")[-1]["stage"] == "ended"
    tab.wait_for_selector("#class-status:has-text('went to your teacher')")
    assert tab.locator("#save-summary").count() == 0  # the server takes it: no file to hand in
    tab.reload()
    assert screen(tab) == "ending"
    assert len(fake.of("join")) == 1  # the session is kept across a reload
    assert tab.errors == []


def test_the_facilitator_ends_the_session(served):
    fake, tab = served
    tab.goto(ORIGIN + "/")
    tab.click("#begin")
    open_choices(tab).first.click()
    fake.closed = True
    open_choices(tab).first.click()
    tab.wait_for_selector("#screen[data-screen=closed]")
    assert "The session has ended" in tab.locator("h1").inner_text()
    wait_for(tab, fake, "summary", 1)
    summary = fake.of("summary")[-1]["summary"]
    assert summary_problem(summary) is None
    assert summary["completed"] is False and summary["stopped_at"] and len(summary["choices"]) == 2


def test_sitting_out_tells_the_server(served):
    fake, tab = served
    tab.goto(ORIGIN + "/")
    tab.click("#sit-out")
    wait_for(tab, fake, "summary", 1)
    assert fake.of("summary")[-1]["summary"]["opted_out"] is True
    assert any(p["stage"] == "sat_out" for p in fake.of("progress"))
