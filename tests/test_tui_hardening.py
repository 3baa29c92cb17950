"""The Textual player's hardening: the command palette's page keys before layout, and the final
output guard under every Textual screen."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip

from game.safe_text import UNSAFE
from game.tui import textual_fixes
from tests.tui_support import make_app, settle


def send_at_once(app, *keys: str) -> None:
    """Keys queued together, as a fast typist or a terminal's paste delivers them (Pilot's
    press() waits for idle between keys, which hides the race)."""
    for key in keys:
        event = events.Key(key, None)
        event.set_sender(app)
        app._driver.send_message(event)


@pytest.mark.parametrize("story", [None, "demo"], ids=["title", "play"])
async def test_ctrl_p_then_page_down_up_end_home_at_once_keeps_the_game_running(tmp_path, story):
    app = make_app(tmp_path, story=story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        send_at_once(app, "ctrl+p", "pagedown", "up", "end", "home", "pageup")
        await settle(pilot)
        await settle(pilot)
        assert app._exception is None and app.return_code is None
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ != "CommandPalette"


def test_the_final_guard_removes_control_characters_from_any_text_drawn():
    textual_fixes.install()
    console = Console(color_system="truecolor", force_terminal=True, width=40)
    hostile = "a\x1b]52;c;ZWNobw==\x07b\x1b[2Jc\u202ed\x9b"
    drawn = Strip([Segment(hostile, Style(bold=True))]).render(console)
    body = drawn.replace("\x1b[1m", "").replace("\x1b[0m", "")
    assert UNSAFE.search(body) is None
    assert body == "a]52;c;ZWNobw==b[2Jcd"
    assert Strip([Segment("plain text")]).render(console) == "plain text"
