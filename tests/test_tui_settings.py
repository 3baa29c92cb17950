"""Settings: theme, text speed, reduced motion, high contrast; saved and restored."""

from __future__ import annotations

import json

from textual.widgets import Select

from game.settings import Settings, load_settings, save_settings, settings_path
from game.tui.screens.settings import SettingsScreen
from game.tui.widgets.setting_toggle import SettingToggle
from tests.tui_support import make_app, notices, quiet_settings, screen_text, settle


def settings_file_app(tmp_path):
    """An app that reads and writes the real (isolated) settings file."""
    return make_app(tmp_path, settings_file=settings_path())


async def test_settings_persist_across_runs(tmp_path):
    app = settings_file_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#theme", Select).value = "nord"
        screen.query_one("#text-speed", Select).value = "slow"
        await pilot.pause()
        await pilot.click("#reduced-motion")
        await pilot.pause()
        assert app.theme == "nord"
        assert app.animation_level == "none"
    saved = json.loads(settings_path().read_text(encoding="utf-8"))
    assert saved == {"theme": "nord", "text_speed": "slow", "reduced_motion": True, "high_contrast": False}

    again = settings_file_app(tmp_path)
    async with again.run_test(size=(80, 24)):
        assert again.settings == Settings(theme="nord", text_speed="slow", reduced_motion=True)
        assert again.theme == "nord"
        assert again.animation_level == "none"


async def test_a_theme_picked_from_the_command_palette_is_remembered(tmp_path):
    app = settings_file_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "gruvbox"
        await pilot.pause()
    assert load_settings()[0].theme == "gruvbox"


async def test_high_contrast_switches_to_black_and_white_and_back(tmp_path):
    app = settings_file_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#high-contrast")
        await pilot.pause()
        assert app.theme == "understood-high-contrast"
        assert app.has_class("-high-contrast")
        assert app.screen.query_one("#theme", Select).disabled
        assert app.screen.query_one("#high-contrast", SettingToggle).BUTTON_INNER == "X"
        await pilot.click("#high-contrast")
        await pilot.pause()
        assert app.theme == "understood"
        assert not app.has_class("-high-contrast")
    assert load_settings()[0] == Settings()


async def test_our_calm_theme_is_offered_first_then_the_built_in_themes(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)):
        names = app.theme_names
        assert names[0] == "understood"
        assert {"textual-dark", "textual-light", "nord", "gruvbox"} <= set(names)
        assert "understood-high-contrast" not in names


async def test_a_corrupt_settings_file_means_defaults_and_a_calm_notice(tmp_path):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not json", encoding="utf-8")
    app = settings_file_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.settings == Settings()
        assert any("settings file was damaged" in n for n in notices(app))
        assert "U N D E R S T O O D" in screen_text(app)


async def test_an_unknown_theme_in_the_file_falls_back_to_ours(tmp_path):
    save_settings(Settings(theme="no-such-theme"))
    app = settings_file_app(tmp_path)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "understood"


async def test_the_players_theme_styles_the_first_screen_once_and_later_changes_still_restyle(
        tmp_path, monkeypatch):
    from textual.color import Color
    from textual.css.stylesheet import Stylesheet
    from textual.theme import BUILTIN_THEMES

    reparses = []
    reparse = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: reparses.append(1) or reparse(self))
    app = make_app(tmp_path, settings=quiet_settings(theme="dracula"), story="demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.styles.background == Color.parse(BUILTIN_THEMES["dracula"].background)
        assert reparses == []  # styled in dracula from the start, not restyled after
        app.change_settings(app.settings.updated(theme="nord"))
        await settle(pilot)
        assert reparses
        assert app.screen.styles.background == Color.parse(BUILTIN_THEMES["nord"].background)
