"""Classroom mode in the Textual game: notes first with a no-reason way out, summaries at the
ending and on quitting, an optional reflection shared only when ticked, and the projector."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Checkbox, TextArea

from game.classroom.app import ClassroomApp
from game.classroom.screens.ending import ClassroomEndingScreen
from game.classroom.screens.notes import ClassroomNotesScreen
from game.classroom.screens.reflection import ReflectionScreen
from game.classroom.screens.sat_out import SatOutScreen
from game.classroom.session import ClassroomSession
from game.tui.app import CONTRAST_THEME
from game.tui.options import AppOptions
from game.tui.screens.play import PlayScreen
from tests.tui_support import quiet_settings, screen_text, settle, story_dir

TO_THE_DOOR = ["1", "3", "3"]  # van.1, tailgate.3, the_flat.3: See You Saturday


def class_app(tmp_path: Path, *, story: str | None = "demo", classroom: str | None = "p3", **options) -> ClassroomApp:
    options.setdefault("settings", quiet_settings())
    app_options = AppOptions(story_dirs=[str(story_dir(tmp_path))], only_these_dirs=True, story=story,
                             classroom=classroom, classes=str(tmp_path / "classes"), calm_errors=False, **options)
    session = ClassroomSession(classroom, tmp_path / "classes") if classroom else None
    return ClassroomApp(app_options, session)


def summaries(tmp_path: Path, name: str = "p3") -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((tmp_path / "classes" / name).glob("*.json"))]


async def press_all(pilot, keys) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def test_the_content_notes_come_first_with_a_way_to_sit_out(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ClassroomNotesScreen)
        text = screen_text(app)
        assert "breakup" in text and "Sit this one out" in text and "don't have to say why" in text


async def test_sitting_out_asks_nothing_and_shows_the_debrief_questions(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=(90, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#sit-out")
        await settle(pilot)
        assert isinstance(app.screen, SatOutScreen)
        text = screen_text(app)
        assert "Nobody will ask why" in text and "What did Tom need" in text
    (data,) = summaries(tmp_path)
    assert data["opted_out"] is True and data["choices"] == []


async def test_the_ending_writes_the_summary(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        await press_all(pilot, ["enter", *TO_THE_DOOR])
        assert isinstance(app.screen, ClassroomEndingScreen)
        (data,) = summaries(tmp_path)
        assert data["completed"] and data["ending"]["title"] == "See You Saturday"
        assert [c["choice"] for c in data["choices"]] == ["van.1", "tailgate.3", "the_flat.3"]


async def test_quitting_mid_story_writes_the_choices_so_far(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        await press_all(pilot, ["enter", "1"])
        await pilot.press("ctrl+q")
        await pilot.pause()
    (data,) = summaries(tmp_path)
    assert [c["choice"] for c in data["choices"]] == ["van.1"] and not data["completed"]


async def test_a_session_closing_without_quit_still_writes_its_summary(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        await press_all(pilot, ["enter", "2"])
    app.finish()  # what run_classroom_app does after the app stops, however it stopped
    (data,) = summaries(tmp_path)
    assert [c["choice"] for c in data["choices"]] == ["van.2"]


async def test_pause_and_skip_are_there_in_every_scene(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        await press_all(pilot, ["enter", "1", "escape", "x"])  # pause, then skip the tailgate
        assert app.screen.game.history[-1].kind == "skip"


async def test_a_reflection_is_kept_out_of_the_summary_unless_shared(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        await press_all(pilot, ["enter", *TO_THE_DOOR, "w"])
        assert isinstance(app.screen, ReflectionScreen)
        app.screen.query_one("#answer-0", TextArea).text = "It was like my brother"
        await pilot.click("#done")
        await settle(pilot)
        assert summaries(tmp_path)[0]["reflection"] is None
        assert "It was like my brother" not in (tmp_path / "classes" / "p3").joinpath(
            next((tmp_path / "classes" / "p3").iterdir()).name).read_text()

        await pilot.press("w")
        await settle(pilot)
        assert app.screen.query_one("#answer-0", TextArea).text == "It was like my brother"  # kept locally
        app.screen.query_one("#reflection-share", Checkbox).value = True
        await pilot.click("#done")
        await settle(pilot)
        assert summaries(tmp_path)[0]["reflection"][0] == "It was like my brother"

        await pilot.press("w")
        await settle(pilot)
        app.screen.query_one("#reflection-share", Checkbox).value = False
        await pilot.click("#done")
        await settle(pilot)
        assert summaries(tmp_path)[0]["reflection"] is None  # un-ticking takes the words back out


async def test_replaying_after_the_ending_keeps_the_first_play_for_the_class(tmp_path):
    app = class_app(tmp_path)
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        await press_all(pilot, ["enter", *TO_THE_DOOR, "a", "2"])
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    (data,) = summaries(tmp_path)
    assert data["ending"]["title"] == "See You Saturday" and data["choices"][0]["choice"] == "van.1"


async def test_class_mode_keeps_no_saves_on_the_machine(tmp_path):
    app = class_app(tmp_path, saves_dir=str(tmp_path / "saves"))
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        await press_all(pilot, ["enter", "1", "3"])
        scratch = app.saves.directory
    app.finish()
    assert not (tmp_path / "saves").exists() or not any((tmp_path / "saves").iterdir())
    assert not Path(scratch).exists()


async def test_the_projector_is_high_contrast_without_changing_the_players_settings(tmp_path):
    settings_file = tmp_path / "settings.json"
    app = class_app(tmp_path, classroom=None, projector=True, settings=None, settings_file=settings_file)
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        assert app.theme == CONTRAST_THEME.name and app.has_class("-projector")
        assert not app.settings.high_contrast
    assert not settings_file.exists() or '"high_contrast": true' not in settings_file.read_text()


def test_the_command_line_opens_the_game_in_class_mode(tmp_path, monkeypatch):
    import game.classroom.app as classroom_app
    import game.commands.play as play_command
    from game.cli import main

    seen = []
    monkeypatch.setattr(play_command, "_interactive", lambda: True)
    monkeypatch.setattr(classroom_app, "run_classroom_app", lambda options: seen.append(options) or 0)
    assert main(["play", "demo", "--classroom", "p3", "--classes", str(tmp_path)]) == 0
    assert main(["--classroom", "p4", "--projector"]) == 0
    assert main(["play", "demo", "--projector"]) == 0
    assert [(o.classroom, o.story, o.projector) for o in seen] == [("p3", "demo", False), ("p4", None, True),
                                                                    (None, "demo", True)]
    assert seen[0].classes == str(tmp_path)


def test_a_served_session_counts_as_interactive(monkeypatch):
    import game.commands.play as play_command

    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert play_command._interactive()


async def test_a_reflection_can_be_kept_as_markdown_by_the_student(tmp_path, monkeypatch):
    delivered = []
    app = class_app(tmp_path)
    monkeypatch.setattr(app, "deliver_text", lambda file, **kw: delivered.append((file.read(), kw)))
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        await press_all(pilot, ["enter", *TO_THE_DOOR, "w"])
        app.screen.query_one("#answer-1", TextArea).text = "Someone to stay"
        await pilot.press("ctrl+s")
        await settle(pilot)
    (text, options), = delivered
    assert "## What did Tom need, and what did Arun do with that?\n\nSomeone to stay" in text
    assert options["save_filename"].startswith("reflection-demo-") and options["save_filename"].endswith(".md")
    assert summaries(tmp_path)[0]["reflection"] is None  # keeping a copy is not sharing
