"""The classroom servers' guard: Host and Origin checks, size limits, the token, the session cap."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from game.classroom.guard import (
    BadJSON,
    Policy,
    SessionCap,
    allowed_hosts,
    bare_host,
    default_session_cap,
    guard_middleware,
    loads_bounded,
    read_json,
)


def make_app(policy: Policy) -> web.Application:
    async def index(request):
        return web.Response(text="hello")

    async def echo(request):
        try:
            return web.json_response({"got": await read_json(request)})
        except BadJSON as exc:
            return web.json_response({"error": str(exc)}, status=400)

    app = web.Application(middlewares=[guard_middleware(policy)])
    app.add_routes([web.get("/", index), web.post("/api/echo", echo), web.get("/teacher", index)])
    return app


async def client_for(policy: Policy) -> TestClient:
    client = TestClient(TestServer(make_app(policy), host="127.0.0.1", port=0))
    await client.start_server()
    return client


def test_bare_host_strips_ports_and_brackets():
    assert bare_host("LocalHost:8000") == "localhost"
    assert bare_host("[::1]:8000") == "::1"
    assert bare_host("::1") == "::1"
    assert bare_host("10.0.0.5") == "10.0.0.5"


def test_allowed_names_are_loopback_the_bound_address_and_allow_host():
    names = allowed_hosts("10.1.2.3", ["Class.Local"])
    assert {"localhost", "127.0.0.1", "::1", "10.1.2.3", "class.local"} <= names
    assert "evil.example" not in names


async def test_a_foreign_origin_and_a_rebound_host_are_refused_with_a_plain_page():
    client = await client_for(Policy.for_server("127.0.0.1", protected=["/teacher"], token="t0ken"))
    try:
        ok = await client.get("/", headers={"Origin": f"http://127.0.0.1:{client.port}"})
        assert ok.status == 200
        foreign = await client.get("/", headers={"Origin": "http://evil.example"})
        assert foreign.status == 403 and "Only pages from this server" in await foreign.text()
        null = await client.get("/", headers={"Origin": "null"})
        assert null.status == 403
        rebound = await client.get("/", headers={"Host": "evil.example:8000"})
        assert rebound.status == 421
        assert "evil" not in await rebound.text()
    finally:
        await client.close()


async def test_the_facilitator_paths_need_the_token():
    client = await client_for(Policy.for_server("127.0.0.1", protected=["/teacher"], token="t0ken"))
    try:
        assert (await client.get("/teacher")).status == 403
        assert (await client.get("/teacher?token=wrong")).status == 403
        assert (await client.get("/teacher?token=t0ken")).status == 200
        assert (await client.get("/teacher", headers={"Authorization": "Bearer t0ken"})).status == 200
    finally:
        await client.close()


async def test_bodies_over_the_limit_and_hostile_json_are_refused():
    client = await client_for(Policy.for_server("127.0.0.1", max_body=1024))
    try:
        big = await client.post("/api/echo", data=b"[" + b"1," * 2000 + b"1]",
                                headers={"Content-Type": "application/json"})
        assert big.status == 413 and "error" in await big.json()
        nan = await client.post("/api/echo", data=b'{"a": NaN}')
        assert nan.status == 400
        fine = await client.post("/api/echo", data='\ufeff{"a": 1}'.encode())
        assert (await fine.json()) == {"got": {"a": 1}}
    finally:
        await client.close()


@pytest.mark.parametrize("text, reason", [
    ("[" * 200_000, "nests deeper"),
    ('{"a": ' + "9" * 5000 + "}", "too long"),
    ('{"a": Infinity}', "not a number"),
    ('{"a": 1e999}', "too large"),
    ("{", "not valid JSON"),
])
def test_loads_bounded_gives_a_reason_for_every_hostile_document(text, reason):
    with pytest.raises(BadJSON, match=reason):
        loads_bounded(text, max_bytes=10**6)


def test_the_session_cap_refuses_when_full_and_releases_once():
    cap = SessionCap(2)
    first, second = cap.take(), cap.take()
    assert cap.take() is None and cap.refused == 1
    assert cap.release(first) and not cap.release(first)
    assert cap.live == 1 and cap.take() is not None
    assert cap.release(second)
    assert 4 <= default_session_cap() <= 200
