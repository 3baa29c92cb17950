"""Saving, loading, autosave and continuing, from the play screen."""

from __future__ import annotations

from dataclasses import replace

from game.engine import Game, SaveStore
from game.story import load_story
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen
from game.tui.screens.title import TitleScreen
from tests.tui_support import DEMO, make_app, notices, screen_text, settle, start_demo


async def test_autosave_runs_after_every_choice(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")
        await settle(pilot)
        save = SaveStore().load("autosave-demo")
        assert save.moves == ({"choice": "van.2"},) and save.scene == "tailgate"
        await pilot.press("3")
        await settle(pilot)
        assert SaveStore().load("autosave-demo").scene == "the_flat"


async def test_save_to_a_named_slot_shows_story_scene_time_and_a_line(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        await pilot.press(*"kitchen-talk", "enter")  # the suggested name is selected: typing replaces it
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert "Saved as 'kitchen-talk'." in notices(app)
        slot = "kitchen-talk"
        assert SaveStore().load(slot).scene == "tailgate"
        await pilot.press("s")
        await pilot.pause()
        text = screen_text(app)
        assert slot in text and "The Last Box" in text and "tailgate" in text
        assert '"Yeah," he says.' in text  # the slot's line of text


async def test_a_slot_name_the_saves_folder_cannot_use_is_refused_calmly(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_demo(pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#slot-name").value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        assert "Give the save a name first." in notices(app)


async def test_load_a_slot_from_the_play_screen_puts_the_player_back_there(tmp_path):
    game = Game(load_story(DEMO))
    for number in (1, 2):
        game.choose(number)
    SaveStore().save("on-the-tailgate", game)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_demo(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert "on-the-tailgate" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.scene_id == "sitting"
        assert len(app.screen.game.history) == 2


async def test_a_damaged_save_is_listed_with_its_problem_and_cannot_be_loaded(tmp_path):
    store = SaveStore()
    store.directory.mkdir(parents=True, exist_ok=True)
    (store.directory / "torn.json").write_text('{"kind": "understood-save", "form', encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        assert "torn" in text and "Can't be loaded" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)  # nothing to load; nothing lost


async def test_leaving_for_the_title_autosaves_and_continue_returns_there(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("2", "2")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.game.scene_id == "sitting"


async def test_quitting_mid_story_autosaves(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert SaveStore().load("autosave-demo").scene == "tailgate"


async def test_a_save_from_an_older_version_of_the_story_says_what_changed(tmp_path):
    game = Game(load_story(DEMO))
    game.choose(1)
    game.choose(2)
    store = SaveStore()
    data = store.make("old", game)
    moves = data.moves + ({"choice": "sitting.9"},)  # a move the story no longer has
    store.write(replace(data, moves=moves, story_hash="older"))
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.game.scene_id == "sitting"
        assert any("story has changed" in n for n in notices(app))
