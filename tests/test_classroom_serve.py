"""`understood serve`: its options, the command each browser session runs, the words about who can
reach it, and a real server answering on loopback, then stopping."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from game.classroom.serve import (
    SessionOptions,
    reach_line,
    session_command,
    session_environment,
    startup_lines,
    url_for,
)
from game.cli import build_parser, main
from game.commands.serve import session_options

ROOT = Path(__file__).resolve().parent.parent


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", *argv])


def test_defaults_bind_to_this_computer_only_on_port_8000():
    args = parse()
    assert (args.host, args.port, args.classroom, args.story) == ("127.0.0.1", 8000, None, None)


def test_host_port_class_and_story_are_taken():
    args = parse("--host", "0.0.0.0", "--port", "9000", "--classroom", "p3", "--story", "demo", "--projector")
    assert (args.host, args.port, args.classroom, args.story, args.projector) == ("0.0.0.0", 9000, "p3", "demo", True)


@pytest.mark.parametrize("port", ["0", "70000", "eighty"])
def test_a_bad_port_is_a_usage_error(port, capsys):
    with pytest.raises(SystemExit) as exit_:
        parse("--port", port)
    assert exit_.value.code == 2 and "port number" in capsys.readouterr().err


def test_an_unknown_story_is_refused_before_serving(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--story", "no-such-story"])
    assert exit_.value.code == 2 and "no story called 'no-such-story'" in capsys.readouterr().err


def test_a_bad_class_name_is_refused_before_serving(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--classroom", "../elsewhere"])
    assert exit_.value.code == 2 and "not a usable class name" in capsys.readouterr().err


def test_each_session_runs_the_game_with_this_python_in_classroom_mode(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    options = session_options(parse("--classroom", "p3", "--story", "demo"))
    command = session_command(options)
    assert command[:3] == [sys.executable, "-m", "game"]
    assert command[3:5] == ["play", "demo"]
    assert command[command.index("--classroom") + 1] == "p3"
    # an absolute class folder, so a session started elsewhere still writes where the facilitator looks
    assert command[command.index("--classes") + 1] == str(tmp_path / "classes")


def test_each_session_gets_its_own_saves_and_settings_starting_from_the_facilitators(tmp_path):
    mine = tmp_path / "facilitator" / "settings.json"
    mine.parent.mkdir()
    mine.write_text('{"text_speed": "slow"}')
    environment = session_environment(tmp_path / "s1", mine)
    assert environment["UNDERSTOOD_SAVES"] == str(tmp_path / "s1" / "saves")
    copied = Path(environment["UNDERSTOOD_CONFIG"]) / "settings.json"
    assert copied.read_text() == '{"text_speed": "slow"}' and copied != mine
    assert session_environment(tmp_path / "s2", None)["UNDERSTOOD_CONFIG"] != environment["UNDERSTOOD_CONFIG"]


def test_without_a_class_or_story_a_session_is_just_the_game():
    assert session_command(SessionOptions(python="py")) == ["py", "-m", "game"]
    assert "--projector" in session_command(SessionOptions(python="py", projector=True))


def test_the_session_command_line_parses_as_the_game_expects(tmp_path):
    options = SessionOptions(classroom="p3", classes=tmp_path, story="demo", stories=(tmp_path,), python="py")
    args = build_parser().parse_args(session_command(options)[3:])
    assert (args.command, args.story, args.classroom, args.classes) == ("play", "demo", "p3", str(tmp_path))
    assert args.stories == [str(tmp_path)]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_say_only_this_computer_can_open_it(host):
    assert reach_line(host, 8000).startswith("Only this computer")


@pytest.mark.parametrize("host, who", [
    ("0.0.0.0", "any of its networks"),
    ("192.168.1.20", "anyone who can reach 192.168.1.20"),
    ("classroom.local", "anyone who can reach classroom.local"),
])
def test_other_hosts_get_a_clear_line_about_who_can_reach_the_game(host, who):
    line = reach_line(host, 8000)
    assert who in line and "no password" in line and "port 8000" in line


def test_startup_says_where_to_open_and_where_summaries_go(tmp_path):
    lines = startup_lines("127.0.0.1", 8123, SessionOptions(classroom="p3", classes=tmp_path, story="demo"))
    text = "\n".join(lines)
    assert "Open http://127.0.0.1:8123 in a browser" in text
    assert f"{tmp_path / 'p3'}/" in text and "understood report" in text and "'demo'" in text


def test_ipv6_addresses_are_bracketed():
    assert url_for("::1", 8000) == "http://[::1]:8000"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, attempts: int = 100) -> str:
    """GET with a bounded wait for the server to come up (about 10 seconds at most)."""
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


@pytest.fixture
def served(tmp_path):
    """`understood serve` on a free loopback port; stopped (SIGINT, as Ctrl+C) afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--terminal", "--port", str(port), "--classroom", "p3", "--story", "demo"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    yield port, process
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def test_the_server_answers_on_loopback_with_a_page_that_fetches_nothing_from_outside(served):
    port, process = served
    page = fetch(f"http://127.0.0.1:{port}/")
    assert "<title>Understood: demo</title>" in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
    assert "googleapis" not in page and "https://" not in page
    assert len(fetch(f"http://127.0.0.1:{port}/static/js/textual.js", attempts=5)) > 10_000  # served locally
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert f"Open http://127.0.0.1:{port} in a browser" in out and "Only this computer" in out
    assert "classes/p3/" in out


def test_links_follow_the_address_the_browser_used_when_it_is_allowed():
    page = page_from(SessionOptions(allow_hosts=("10.0.0.5",)), headers={"Host": "10.0.0.5:8000"})
    assert "ws://10.0.0.5:8000/ws" in page


@pytest.mark.parametrize("host", ['"><script>x</script>', "evil.example:8000", "10.0.0.5:8000"])
def test_a_host_the_server_does_not_answer_to_gets_a_plain_refusal(host):
    status, page = page_from(SessionOptions(), headers={"Host": host}, status=True)
    assert status == 421 and "<script>x" not in page and "evil" not in page


def test_a_port_in_use_gets_a_clear_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "game", "serve", "--terminal", "--port", str(port)], cwd=tmp_path,
                                capture_output=True, text=True, timeout=30, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1 and f"port {port} is already in use" in result.stderr


def page_from(options: SessionOptions, query: str = "", *, headers=None, status: bool = False):
    """The page the server gives a browser, served in-process (with its status, if asked)."""
    import asyncio
    import io

    from aiohttp.test_utils import TestClient, TestServer

    from game.classroom.serve import ClassServer

    async def scenario():
        server = ClassServer(options, out=io.StringIO())
        async with TestClient(TestServer(await server._make_app(), host="127.0.0.1")) as client:
            response = await client.get("/" + query, headers=headers or {})
            if status:
                return response.status, await response.text()
            assert response.status == 200
            return await response.text()

    return asyncio.run(scenario())


def test_projector_sessions_get_large_text_in_the_browser():
    assert 'data-font-size="28"' in page_from(SessionOptions(projector=True))
    assert 'data-font-size="16"' in page_from(SessionOptions())
    assert 'data-font-size="20"' in page_from(SessionOptions(), "?fontsize=20")


def test_a_browser_gets_its_own_session_and_its_summary_reaches_the_class(served, tmp_path):
    """Connects over the WebSocket as the page does, sees the first screen, plays, closes the tab."""
    import asyncio
    import json

    from _webclient import BrowserSession

    port, process = served
    fetch(f"http://127.0.0.1:{port}/")

    async def student() -> None:
        async with BrowserSession(f"http://127.0.0.1:{port}", width=100, height=30) as tab:
            await tab.wait_for("Sit this one out", timeout=60)  # the class's content notes screen
            assert "breakup" in tab.text
            mark = tab.mark()
            await tab.press("\r")  # Begin
            await tab.wait_for("The van smells of cardboard", since=mark, timeout=30)
            await tab.settle()
            mark = tab.mark()
            await tab.press("2")
            await tab.wait_for("The street lamp comes on", since=mark, timeout=30)

    asyncio.run(student())
    folder = tmp_path / "classes" / "p3"
    for _ in range(100):  # the session writes its summary as it closes
        if list(folder.glob("*.json")):
            break
        time.sleep(0.1)
    (summary,) = [json.loads(p.read_text()) for p in folder.glob("*.json")]
    assert [c["choice"] for c in summary["choices"]] == ["van.2"]
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=15)
    assert "1 session live (1 started)" in out and "0 sessions live (1 started)" in out


def test_stopping_the_server_closes_open_sessions_promptly_and_keeps_their_summaries(served, tmp_path):
    import asyncio
    import json

    from _webclient import BrowserSession

    port, process = served
    fetch(f"http://127.0.0.1:{port}/")

    async def student_still_playing() -> float:
        async with BrowserSession(f"http://127.0.0.1:{port}", width=100, height=30) as tab:
            await tab.wait_for("Sit this one out", timeout=60)
            mark = tab.mark()
            await tab.press("\r")
            await tab.wait_for("The van smells of cardboard", since=mark, timeout=30)
            await tab.settle()
            mark = tab.mark()
            await tab.press("1")
            await tab.wait_for("The street lamp comes on", since=mark, timeout=30)
            process.send_signal(signal.SIGINT)  # Ctrl+C while the tab is still open
            started = time.monotonic()
            while process.poll() is None and time.monotonic() - started < 15:
                await asyncio.sleep(0.05)
            return time.monotonic() - started

    assert asyncio.run(student_still_playing()) < 10
    assert process.returncode == 0
    (summary,) = [json.loads(p.read_text()) for p in (tmp_path / "classes" / "p3").glob("*.json")]
    assert [c["choice"] for c in summary["choices"]] == ["van.1"]
