"""Robustness: small and changing terminals, broken stories, unexpected errors."""

from __future__ import annotations

from game.engine import SaveStore
from game.tui.screens.calm_error import CalmErrorScreen
from game.tui.screens.story_errors import StoryErrorsScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.choice_item import ChoiceItem
from tests.tui_support import make_app, notices, screen_text, settle, start_demo, story_dir

SIZES = [(100, 30), (80, 24), (60, 20), (40, 12), (20, 6), (1, 1), (120, 50), (60, 20)]


async def test_it_plays_at_60_by_20(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await start_demo(pilot)
        text = screen_text(app)
        assert "The van smells of cardboard" in text
        assert '1  "You doing all right, mate?"' in text
        assert "Closeness 4/10" in text
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.game.scene_id == "tailgate"


async def test_resizing_never_crashes_on_any_screen(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        async def shake():
            for width, height in SIZES:
                await pilot.resize_terminal(width, height)
                await pilot.pause()
            screen_text(app)

        await shake()                                   # title
        await pilot.press("enter")
        await pilot.pause()
        await shake()                                   # content notes
        await pilot.press("enter")
        await settle(pilot)
        await shake()                                   # play
        for key in ("escape", "j", "s", "?"):           # pause, journal, save, help
            await pilot.press(key)
            await pilot.pause()
            await shake()
            await pilot.press("escape")
            await pilot.pause()
        for key in ("2", "2", "2", "3"):
            await pilot.press(key)
            await settle(pilot)
        await shake()                                   # ending
        assert app.is_running


async def test_a_tiny_terminal_still_takes_keys(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(24, 8)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert app.screen.game.scene_id == "tailgate"


async def test_play_story_with_errors_shows_them_in_the_app(tmp_path):
    folder = story_dir(tmp_path, ("broken.yaml", "format: 1\nid: broken\ntitle: [unclosed\n"))
    app = make_app(tmp_path, stories=folder, story=str(folder / "broken.yaml"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StoryErrorsScreen)
        assert any(":3:8: error: this '[' is never closed with ']'" in e.format() for e in app.screen.errors)
        assert "This story can't be played yet" in screen_text(app)


async def test_play_story_that_is_not_there_shows_the_title_and_says_so(tmp_path):
    app = make_app(tmp_path, story="no-such-story")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert any("no story called 'no-such-story'" in n for n in notices(app))


async def test_an_error_in_a_screen_is_shown_calmly_with_the_autosave_intact(tmp_path, monkeypatch):
    app = make_app(tmp_path, calm_errors=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")
        await settle(pilot)

        async def broken_scene(*args, **kwargs):
            raise RuntimeError("the scene fell over")

        monkeypatch.setattr(app.screen, "show_scene", broken_scene)
        await pilot.click(app.screen.query(ChoiceItem)[1])  # a click is handled by the screen itself
        await settle(pilot)
        assert isinstance(app.screen, CalmErrorScreen)
        text = screen_text(app)
        assert "Something went wrong on our side" in text
        assert "Your place is saved (autosave-demo)." in text
        assert "RuntimeError: the scene fell over" in text
        assert SaveStore().load("autosave-demo").scene == "sitting"
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.game.scene_id == "sitting"
    assert "the scene fell over" in (tmp_path / "config" / "last-error.txt").read_text(encoding="utf-8")


async def test_an_error_in_the_app_itself_closes_calmly_with_the_autosave_intact(tmp_path, monkeypatch):
    app = make_app(tmp_path, calm_errors=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")
        await settle(pilot)

        def broken_journal():
            raise RuntimeError("the journal fell over")

        monkeypatch.setattr(app.screen, "action_journal", broken_journal)
        await app._press_keys(["j"])  # key bindings run in the app's own loop, which now stops
    assert app.return_code == 1
    farewell = app.farewell
    assert "Something went wrong on our side" in farewell
    assert "Your place is saved (autosave-demo)" in farewell
    assert "Traceback" not in farewell
    assert SaveStore().load("autosave-demo").scene == "tailgate"


def test_the_errors_summary_agrees_with_its_count():
    from types import SimpleNamespace
    from game.story.errors import StoryError
    one = StoryError("x.yaml", 1, 1, "a problem")
    summary = lambda errors: StoryErrorsScreen._summary(SimpleNamespace(path="x.yaml", errors=errors)).plain
    assert summary([one]) == "x.yaml has 1 problem that stops it from loading."
    assert summary([one, one]) == "x.yaml has 2 problems that stop it from loading."
