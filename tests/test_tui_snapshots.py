"""Text snapshots of the main screens: fixed size, explicit theme, no animation, no clock.

Update them after an intended change with:  pytest tests/test_tui_snapshots.py --snapshot-update
and read the diff before committing.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.tui_support import make_app, screen_text, settle, start_demo

SNAPSHOTS = Path(__file__).parent / "snapshots" / "tui"


async def snap(snapshot, app, name: str) -> None:
    snapshot.snapshot_dir = SNAPSHOTS
    snapshot.assert_match(screen_text(app), name)


async def test_title_screen(tmp_path, snapshot):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await snap(snapshot, app, "title_80x24.txt")


async def test_play_screen_with_a_locked_choice_and_the_inner_voice(tmp_path, snapshot):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        await snap(snapshot, app, "play_locked_80x24.txt")


async def test_play_screen_on_a_narrow_terminal(tmp_path, snapshot):
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        await snap(snapshot, app, "play_locked_60x20.txt")


async def test_pause_screen(tmp_path, snapshot):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await snap(snapshot, app, "pause_80x24.txt")


async def test_ending_screen(tmp_path, snapshot):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 60)) as pilot:
        await start_demo(pilot)
        for key in ("2", "2", "2", "3"):
            await pilot.press(key)
            await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        await snap(snapshot, app, "ending_80x60.txt")


async def test_help_on_a_narrow_terminal_keeps_its_indents(tmp_path, snapshot):
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await start_demo(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        await snap(snapshot, app, "help_60x20.txt")
        app.screen.query_one(".dialog-scroll").scroll_end(animate=False)
        await settle(pilot)
        await snap(snapshot, app, "help_end_60x20.txt")


async def test_saving_over_a_save_asks_first(tmp_path, snapshot):
    from game.engine import Game, SaveStore
    from game.story import load_story
    from tests.tui_support import DEMO

    game = Game(load_story(DEMO))
    SaveStore().save("kept", game)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        text = screen_text(app)
        snapshot.snapshot_dir = SNAPSHOTS
        # the old save's time of day varies: the question and its buttons do not
        snapshot.assert_match(re.sub(r"\(\d+ \w+, \d\d:\d\d\)", "(DATE, TIME)", text), "confirm_save_over_80x24.txt")
