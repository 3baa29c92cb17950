"""The title screen: stories with their details, Continue, Load, Settings, Support, Help, Quit."""

from __future__ import annotations

from pathlib import Path

from game.engine import Game, SaveStore
from game.story import load_story
from game.tui.screens.content_notes import ContentNotesScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen
from game.tui.screens.settings import SettingsScreen
from game.tui.screens.story_errors import StoryErrorsScreen
from game.tui.screens.support import SupportScreen
from game.tui.screens.title import TitleScreen
from tests.tui_support import DEMO, make_app, screen_text, settle, story_dir

SECOND = """\
format: 1
id: second
title: A Second Story
summary: Somewhere else entirely.
perspective: Ash, 41
content_notes: [grief]
minutes: 12
start: a
scenes:
  a:
    text: A room.
    choices:
      - text: Leave.
        goto: b
  b:
    ending: {title: Out, tone: hopeful}
    text: Outside.
"""

BROKEN = """\
format: 1
id: broken
title: Broken
summary: Not finished.
perspective: Nobody
start: nowhere
scenes:
  a:
    text: A room.
    choices:
      - text: Leave.
        goto: missing
"""


async def test_title_lists_each_story_with_summary_perspective_time_and_content_notes(tmp_path):
    app = make_app(tmp_path, stories=story_dir(tmp_path, ("second.yaml", SECOND)))
    async with app.run_test(size=(100, 30)) as pilot:
        text = screen_text(app)
        assert "The Last Box" in text and "A Second Story" in text
        assert "Helping your oldest friend move out" in text
        assert "You play Arun, 29" in text and "about 5 minutes" in text
        assert "Content notes: breakup, loneliness" in text
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "Somewhere else entirely." in text and "You play Ash, 41" in text
        assert "about 12 minutes" in text and "Content notes: grief" in text


async def test_title_points_screen_reader_users_to_the_plain_player(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)):
        assert "screen reader" in screen_text(app)
        assert "understood --plain" in screen_text(app)


async def test_a_broken_story_is_listed_and_opens_its_errors_not_a_traceback(tmp_path, monkeypatch):
    story_dir(tmp_path, ("broken.yaml", BROKEN))
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path, stories=Path("stories"))
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Broken" in screen_text(app) or "broken.yaml" in screen_text(app)
        await pilot.press("down")
        await pilot.pause()
        assert "cannot be played yet" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StoryErrorsScreen)
        text = screen_text(app)
        assert "stories/broken.yaml:6:8: error: 'start' names a missing scene 'nowhere'" in text
        assert "stories/broken.yaml:12:15: error: 'goto' names a missing scene 'missing'" in text
        assert "can't be played yet" in text
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)


async def test_continue_is_one_key_away_and_resumes_the_latest_autosave(tmp_path):
    game = Game(load_story(DEMO))
    game.choose(2)
    game.choose(2)
    SaveStore().autosave(game)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Continue The Last Box, at Side by side on the tailgate" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.scene_id == "sitting"
        assert [s.choice_id for s in app.screen.game.history] == ["van.2", "tailgate.2"]


async def test_without_an_autosave_there_is_no_continue(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Continue" not in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_load_from_the_title_opens_a_chosen_save(tmp_path):
    game = Game(load_story(DEMO))
    game.choose(1)
    SaveStore().save("before-the-flat", game)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        assert "before-the-flat" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.scene_id == "tailgate"


async def test_settings_support_and_help_open_from_the_title_and_close_with_escape(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for key, screen in (("s", SettingsScreen), ("h", SupportScreen), ("question_mark", HelpScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen)


async def test_support_lists_the_free_lines_and_when_they_were_checked(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        text = screen_text(app)
        for expected in ("988", "116 123", "CALM", "findahelpline.com", "local emergency number",
                         "last checked on 2026-11-22"):
            assert expected in text


async def test_quit_from_the_title(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
        assert app.return_code == 0


async def test_play_story_opens_straight_into_its_content_notes(tmp_path):
    app = make_app(tmp_path, story="demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ContentNotesScreen)
        assert app.screen.story.id == "demo"
