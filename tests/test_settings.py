"""Settings: a small JSON file; damage means defaults and a calm notice, never a crash."""

from __future__ import annotations

import json

from game.settings import Settings, config_dir, load_settings, save_settings, settings_path


def test_settings_live_under_understood_config(isolated_dirs):
    assert settings_path() == isolated_dirs / "config" / "settings.json"


def test_without_understood_config_they_live_under_xdg_config(isolated_dirs, monkeypatch):
    monkeypatch.delenv("UNDERSTOOD_CONFIG")
    assert config_dir() == isolated_dirs / "xdg-config" / "understood"


def test_saved_settings_load_back():
    wanted = Settings(theme="nord", text_speed="fast", reduced_motion=True, high_contrast=True)
    save_settings(wanted)
    assert load_settings() == (wanted, None)


def test_no_file_means_defaults_quietly():
    assert load_settings() == (Settings(), None)


def test_a_damaged_file_means_defaults_and_a_calm_notice():
    settings_path().parent.mkdir(parents=True)
    settings_path().write_bytes(b"\xff\xfe not json")
    settings, notice = load_settings()
    assert settings == Settings()
    assert "damaged" in notice and "defaults" in notice


def test_bad_values_are_replaced_one_by_one_and_named():
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text(json.dumps({"theme": "nord", "text_speed": "warp", "reduced_motion": "yes"}))
    settings, notice = load_settings()
    assert settings == Settings(theme="nord")
    assert "text_speed" in notice and "reduced_motion" in notice


def test_reduced_motion_turns_the_typewriter_off():
    assert Settings(text_speed="slow").chars_per_second > 0
    assert Settings(text_speed="slow", reduced_motion=True).chars_per_second == 0
