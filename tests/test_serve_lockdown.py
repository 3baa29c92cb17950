"""`serve --terminal` locked down: Origin and Host, the session cap and its page, bounded sizes,
bad messages as one log line, the token for the class's live count, and clean accounting."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from game.classroom import serve
from game.classroom.serve import ClassServer, SessionOptions, bounded

# A stand-in for a session's game process: it starts at once, holds its place, and never quits
# when asked (so the server has to kill it), like a hung session would.
HANGS = SessionOptions(python=sys.executable)


@pytest.fixture
def quick_stop(monkeypatch):
    monkeypatch.setattr(serve, "STOP_SECONDS", 0.5)


async def started(options: SessionOptions, command: str | None = None) -> tuple[ClassServer, TestClient]:
    server = ClassServer(options, out=io.StringIO())
    if command is not None:
        server.command = command
    client = TestClient(TestServer(await server._make_app(), host="127.0.0.1"))
    await client.start_server()
    return server, client


async def wait_for(condition, seconds: float = 10) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


HOLD = f"{sys.executable} -c \"import time; time.sleep(60)\""


async def test_a_foreign_origin_cannot_open_a_session(quick_stop):
    server, client = await started(HANGS, HOLD)
    try:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403
        assert server.started == 0 and server.live == 0
        ws = await client.ws_connect("/ws", headers={"Origin": f"http://127.0.0.1:{client.port}"})
        await wait_for(lambda: server.started == 1)
        await ws.close()
        await wait_for(lambda: server.live == 0)
    finally:
        await client.close()


async def test_when_the_class_is_full_the_page_says_so_and_no_process_starts(quick_stop):
    server, client = await started(SessionOptions(python=sys.executable, max_sessions=2), HOLD)
    try:
        first = await client.ws_connect("/ws")
        second = await client.ws_connect("/ws")
        await wait_for(lambda: server.started == 2)
        page = await client.get("/")
        assert page.status == 503 and "The class is full" in await page.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect("/ws")
        assert refused.value.status == 503 and server.started == 2 and server.cap.refused >= 1
        await first.close()
        await wait_for(lambda: server.live == 1)
        assert (await client.get("/")).status == 200
        await second.close()
        await wait_for(lambda: server.live == 0)
    finally:
        await client.close()


async def test_a_session_that_dies_is_released_once_and_leaves_no_folder(quick_stop):
    server, client = await started(HANGS, f"{sys.executable} -c \"raise SystemExit(3)\"")
    try:
        ws = await client.ws_connect("/ws")
        await wait_for(lambda: server.started == 1)
        await wait_for(lambda: server.live == 0)
        await ws.close()
        assert server.live == 0 and list(server._sessions_root.iterdir()) == []
    finally:
        await client.close()


async def test_bad_messages_are_one_log_line_each_never_a_traceback(quick_stop, caplog):
    server, client = await started(HANGS, HOLD)
    caplog.set_level(logging.WARNING)
    try:
        ws = await client.ws_connect("/ws")
        await wait_for(lambda: server.started == 1)
        for bad in ("not json", "[" * 1000, '{"a": 1}', '["resize", "big"]', '["stdin", 5]', '["nope"]',
                    '["resize", {"width": NaN}]', "[]"):
            await ws.send_str(bad)
        await ws.send_str(json.dumps(["ping", "x\x1b]0;t\x07"]))
        pong = await ws.receive_json(timeout=5)
        assert pong[0] == "pong" and "\x1b" not in pong[1]
        await wait_for(lambda: server.bad_messages == 8)
        assert "Traceback" not in caplog.text
        assert all(len(r.getMessage().splitlines()) == 1 for r in caplog.records)
        await ws.close()
    finally:
        await client.close()


async def test_the_class_status_needs_the_facilitators_token(quick_stop):
    server, client = await started(HANGS, HOLD)
    try:
        assert (await client.get("/class")).status == 403
        assert (await client.get("/class?token=guess")).status == 403
        answer = await client.get(f"/class?token={server.policy.token}")
        assert answer.status == 200 and (await answer.json())["live"] == 0
    finally:
        await client.close()


@pytest.mark.parametrize("value, expected", [("80", 80), ("-5", 80), ("0", 80), ("99999999999", 400),
                                             ("3", 20), ("abc", 80), (None, 80), ("1e9", 80)])
def test_terminal_sizes_from_the_url_are_bounded(value, expected):
    assert bounded(value, 80, 20, 400) == expected


def test_startup_prints_the_cap_and_the_facilitators_status_address():
    server = ClassServer(SessionOptions(max_sessions=7), out=io.StringIO())
    asyncio.run(server.on_startup(None))
    out = server.out.getvalue()
    assert "At most 7 sessions" in out and f"/class?token={server.policy.token}" in out
