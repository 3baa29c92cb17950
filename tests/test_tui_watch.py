"""`understood play STORY --watch`: reload on save, keep the player's place, show errors in the app."""

from __future__ import annotations

import os
from pathlib import Path

from game.tui.screens.content_notes import ContentNotesScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.story_errors import StoryErrorsScreen
from game.tui.widgets.story_problems import StoryProblems
from tests.tui_support import DEMO, make_app, notices, screen_text, settle, story_dir


def write(path, text: str) -> None:
    """Save the file as an editor would, with a modification time the watcher cannot miss."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


async def wait_for(pilot, condition, tries: int = 40) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
        await settle(pilot)
    assert condition()


async def begin_watched(pilot) -> None:
    await pilot.pause()
    assert isinstance(pilot.app.screen, ContentNotesScreen)
    await pilot.press("enter")
    await settle(pilot)


async def test_saving_the_story_reloads_it_and_keeps_the_players_place(tmp_path, monkeypatch):
    folder = story_dir(tmp_path)
    monkeypatch.chdir(tmp_path)
    path = Path("stories/demo.yaml")
    app = make_app(tmp_path, stories=folder, story=str(path), watch=True, watch_interval=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await begin_watched(pilot)
        await pilot.press("1", "2")
        await settle(pilot)
        assert app.screen.game.scene_id == "sitting"
        write(path, DEMO.read_text(encoding="utf-8").replace(
            "The metal is cold through your jeans.", "The metal is freezing through your jeans."))
        await wait_for(pilot, lambda: "freezing" in screen_text(app))
        game = app.screen.game
        assert game.scene_id == "sitting"
        assert [s.choice_id for s in game.history] == ["van.1", "tailgate.2"]
        assert any("reloaded" in n.lower() or "story has changed" in n for n in notices(app))


async def test_a_broken_save_of_the_story_shows_errors_in_the_app_and_play_goes_on(tmp_path, monkeypatch):
    folder = story_dir(tmp_path)
    monkeypatch.chdir(tmp_path)
    path = Path("stories/demo.yaml")
    app = make_app(tmp_path, stories=folder, story=str(path), watch=True, watch_interval=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await begin_watched(pilot)
        await pilot.press("1")
        await settle(pilot)
        write(path, DEMO.read_text(encoding="utf-8").replace("goto: tailgate", "goto: tailgat", 1))
        problems = app.screen.query_one("#watch-problems", StoryProblems)
        await wait_for(pilot, lambda: not problems.has_class("-hidden"))
        assert "stories/demo.yaml:30:15: error: 'goto' names a missing scene 'tailgat'" in screen_text(app)
        assert isinstance(app.screen, PlayScreen) and app.is_running
        assert app.screen.game.scene_id == "tailgate"  # the old story still plays
        write(path, DEMO.read_text(encoding="utf-8"))
        await wait_for(pilot, lambda: problems.has_class("-hidden"))
        assert app.screen.game.scene_id == "tailgate"


async def test_a_story_broken_from_the_start_opens_once_it_is_fixed(tmp_path, monkeypatch):
    folder = story_dir(tmp_path)
    monkeypatch.chdir(tmp_path)
    path = Path("stories/demo.yaml")
    write(path, DEMO.read_text(encoding="utf-8").replace("start: van", "start: vann"))
    app = make_app(tmp_path, stories=folder, story=str(path), watch=True, watch_interval=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StoryErrorsScreen)
        assert "the game will open it as soon as it loads" in screen_text(app)
        write(path, DEMO.read_text(encoding="utf-8"))
        await wait_for(pilot, lambda: isinstance(app.screen, ContentNotesScreen))
