"""Pause ("Take a breath"): resume, skip this scene (an X-Card), support lines, the title."""

from __future__ import annotations

from game.engine import SaveStore
from game.tui.screens.ending import EndingScreen
from game.tui.screens.pause import PauseScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.support import SupportScreen
from game.tui.screens.title import TitleScreen
from tests.tui_support import DEMO, make_app, notices, screen_text, settle, start_demo

VAN_SKIP = "    skip_to: tailgate\n"  # the demo's first scene's skip route


async def test_escape_and_p_pause_and_resume_changes_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        for key in ("escape", "p"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, PauseScreen)
            assert "Take a breath." in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen)
            assert app.screen.game.scene_id == "van" and not app.screen.game.history


async def test_skip_moves_to_the_safe_scene_and_never_costs_a_meter(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")
        await settle(pilot)
        game = app.screen.game
        before = game.meters
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        assert game.scene_id == "the_flat"  # tailgate's skip_to
        assert game.meters == before
        assert game.history[-1].kind == "skip"
        assert "You skip this scene. Nothing is lost." in notices(app)


async def test_skip_with_nowhere_safe_to_go_ends_the_chapter_gently(tmp_path):
    folder = tmp_path / "stories"
    folder.mkdir()
    demo = DEMO.read_text(encoding="utf-8")
    assert demo.count(VAN_SKIP) == 1
    (folder / "demo.yaml").write_text(demo.replace(VAN_SKIP, ""), encoding="utf-8")
    app = make_app(tmp_path, stories=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)  # this copy's van has no skip route
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "enter")  # the list works too
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        text = screen_text(app)
        assert "You stepped away" in text
        assert "press h" in text  # support is offered prominently


async def test_support_lines_open_from_pause(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, SupportScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_return_to_title_from_pause_autosaves_first(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert SaveStore().load("autosave-demo").scene == "tailgate"
