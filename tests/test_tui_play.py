"""The play screen: choosing, locked choices, undo, meters, the inner voice, the typewriter."""

from __future__ import annotations

from textual import constants

from game.tui.screens.content_notes import ContentNotesScreen
from game.tui.screens import play
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.choice_item import ChoiceItem
from game.tui.widgets.inner_voice import InnerVoice
from game.tui.widgets.meter_bar import MeterBar
from game.tui.widgets.meter_panel import MeterPanel
from game.tui.widgets.scene_text import SceneText
from tests.tui_support import DEMO, feedback, make_app, notices, quiet_settings, screen_text, settle, start_demo, story_dir


async def test_a_new_story_shows_content_notes_before_the_first_scene(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContentNotesScreen)
        text = screen_text(app)
        assert "breakup" in text and "loneliness" in text
        assert "Begin" in text and "Choose another story" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert "The van smells of cardboard" in screen_text(app)


async def test_choose_another_story_goes_back_to_the_title(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)


async def test_number_key_takes_a_choice_and_moves_to_the_next_scene(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")
        await settle(pilot)
        game = app.screen.game
        assert game.scene_id == "tailgate"
        assert game.history[-1].choice_id == "van.1"
        assert '"Yeah," he says.' in screen_text(app)


async def test_arrows_and_enter_take_the_highlighted_choice(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.game.history[-1].choice_id == "van.2"


async def test_clicking_a_choice_takes_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        second = app.screen.query(ChoiceItem)[1]
        await pilot.click(second)
        await settle(pilot)
        assert app.screen.game.history[-1].choice_id == "van.2"


async def test_locked_choice_shows_reason_and_cannot_be_taken(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")  # the joke: nerve stays low, so asking twice is locked
        await settle(pilot)
        game = app.screen.game
        before = (game.scene_id, game.meters, len(game.history))
        locked = app.screen.query(ChoiceItem)[0]
        assert not locked.available
        assert "locked: You've already let it go once." in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert (game.scene_id, game.meters, len(game.history)) == before
        # The reason is under the choice already: the note points to it rather than repeat it.
        assert feedback(app)[-1] == "Not yet: the note under choice 1 says why."
        assert screen_text(app).count("already let it go once") == 1
        assert locked.has_class("-asked")
        assert app.screen.focused is locked  # the reason is in front of the player
        await pilot.press("enter")  # Enter on it explains too, and changes nothing
        await settle(pilot)
        assert (game.scene_id, game.meters, len(game.history)) == before


async def test_a_number_with_no_choice_says_so_gently(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("7")
        await settle(pilot)
        assert app.screen.game.scene_id == "van"
        assert "There are only 2 choices here." in notices(app)


async def test_undo_steps_back_as_far_as_the_player_wants(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        for key in ("1", "2", "1"):
            await pilot.press(key)
            await settle(pilot)
        game = app.screen.game
        assert len(game.history) == 3
        await pilot.press("u")
        await settle(pilot)
        assert len(game.history) == 2 and game.scene_id == "sitting"
        await pilot.press("ctrl+z", "u")
        await settle(pilot)
        assert len(game.history) == 0 and game.scene_id == "van"
        assert "The van smells of cardboard" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert "There is nothing to undo yet." in notices(app)


async def test_inner_voice_is_marked_in_words_not_only_style(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        assert app.screen.query_one(InnerVoice).thought == "He hasn't said her name all day. Neither have you."
        assert "Inner voice: He hasn't said her name all day." in screen_text(app)


async def test_meters_show_visible_ones_only_and_move_when_they_change(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_demo(pilot)
        panel = app.screen.query_one(MeterPanel)
        assert panel.values() == {"closeness": 4, "armor": 6}  # nerve is hidden: never shown
        assert "Nerve" not in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert panel.values() == {"closeness": 5, "armor": 6}
        bar = panel.query_one(MeterBar)
        assert bar.delta == 1
        assert "▲1" in screen_text(app) and "5/10" in screen_text(app)


async def test_meter_bars_glide_when_they_change_unless_reduced_motion(tmp_path, monkeypatch):
    glides = []
    monkeypatch.setattr(MeterBar, "animate", lambda self, attribute, value, **kw: glides.append((self.name, value)))
    for reduced, expected in ((False, [("closeness", 5.0)]), (True, [])):
        glides.clear()
        app = make_app(tmp_path, settings=quiet_settings(reduced_motion=reduced))
        async with app.run_test(size=(100, 30)) as pilot:
            await start_demo(pilot)
            await pilot.press("1")
            await settle(pilot)
            assert glides == expected
            assert app.animation_level == ("none" if reduced else constants.TEXTUAL_ANIMATIONS)


async def test_a_gliding_bar_passes_through_the_values_between(tmp_path):
    app = make_app(tmp_path, settings=quiet_settings(reduced_motion=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await start_demo(pilot)
        app.animation_level = "full"
        bar = app.screen.query_one(MeterBar)
        bar.set_value(8, animate=True)
        assert bar.value == 8 and bar.level == 4
        await pilot.wait_for_animation()
        assert bar.level == 8


async def test_meters_collapse_to_one_line_on_narrow_terminals(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_demo(pilot)
        panel = app.screen.query_one(MeterPanel)
        assert not panel.line
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert panel.line
        assert "Closeness 4/10  Armour 6/10" in screen_text(app)


async def test_remembered_line_shows_under_the_scene_and_is_kept_for_the_ending(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")
        await settle(pilot)
        line = "Tom laughed. It sounded like it cost him something."
        assert feedback(app) == [f"Remembered: {line}"]
        assert app.screen.game.remembered == (line,)


async def test_scene_text_is_never_read_as_markup(tmp_path):
    story = (DEMO.read_text(encoding="utf-8")
             .replace("taping a box that is", "taping a [bold red]box[/] that is [link=x]")
             .replace("He hasn't said her name all day.", "He [i]hasn't[/i] said her name all day."))
    folder = story_dir(tmp_path)
    (folder / "demo.yaml").write_text(story, encoding="utf-8")
    app = make_app(tmp_path, stories=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_demo(pilot)
        text = screen_text(app)
        assert "taping a [bold red]box[/] that is [link=x]" in text
        assert "He [i]hasn't[/i] said" in text


async def test_typewriter_reveals_text_and_any_key_completes_it_without_choosing(tmp_path, monkeypatch):
    monkeypatch.setattr(play, "CHOICE_GRACE", 60)  # a slow machine must not turn "soon" into "later"
    app = make_app(tmp_path, settings=quiet_settings(reduced_motion=False, text_speed="slow"))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        scene = app.screen.query_one(SceneText)
        assert scene.revealing
        await pilot.press("1")  # completes the text; does not choose
        await pilot.pause()
        assert not scene.revealing
        assert app.screen.game.scene_id == "van"
        assert "Tom sits on the tailgate, taping a box" in screen_text(app)
        await pilot.press("1")  # too soon: the same burst of keys, before the choices were seen
        await pilot.pause()
        assert app.screen.game.scene_id == "van"
        monkeypatch.setattr(play, "CHOICE_GRACE", 0)  # as if the grace had passed
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.game.scene_id == "tailgate"


async def test_reduced_motion_turns_the_typewriter_off(tmp_path):
    app = make_app(tmp_path, settings=quiet_settings(reduced_motion=True, text_speed="slow"))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        assert not app.screen.query_one(SceneText).revealing


async def test_terminal_cursor_sits_on_the_focused_choice_for_braille_displays(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("down")
        await settle(pilot)
        focused = app.screen.focused
        assert isinstance(focused, ChoiceItem) and focused.number == 2
        assert app.cursor_position == focused.content_region.offset


async def test_command_palette_offers_the_main_actions(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Undo", "Journal", "Save", "Load", "Pause", "Skip this scene", "Settings",
                "Support lines", "Help", "Title"} <= titles



async def test_a_long_scene_scrolls_above_the_choices_with_page_keys(tmp_path):
    long_text = " ".join(["The van smells of cardboard and Tom's old aftershave."] * 40)
    folder = story_dir(tmp_path)
    story = DEMO.read_text(encoding="utf-8").replace(
        "Tom sits on the tailgate, taping a box that is already taped.", long_text)
    (folder / "demo.yaml").write_text(story, encoding="utf-8")
    app = make_app(tmp_path, stories=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        scroll = app.screen.query_one("#scene-scroll")
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0
        assert '1  "You doing all right, mate?"' in screen_text(app)  # the choices stay in view
        await pilot.press("pagedown")
        await settle(pilot)
        assert scroll.scroll_y > 0
        assert app.screen.game.scene_id == "van"


async def test_the_footer_has_its_keys_from_the_first_frame_and_is_rebuilt_only_when_they_change(
        tmp_path, monkeypatch):
    from game.tui.widgets.key_footer import KeyFooter

    rebuilds = []
    recompose = KeyFooter.recompose
    monkeypatch.setattr(KeyFooter, "recompose", lambda self: rebuilds.append(self.screen) or recompose(self))
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("down", "up", "1")  # focus moves over the choices; a new scene
        await settle(pilot)
        assert "esc Pause" in screen_text(app).splitlines()[-1]
        play = app.screen
        assert play not in rebuilds  # (the title's footer does change, once a story has focus)
        # A key that becomes unavailable is shown so: that rebuilds the footer.
        monkeypatch.setattr(PlayScreen, "check_action", lambda self, action, parameters: action != "undo")
        app.screen.refresh_bindings()
        await settle(pilot)
        assert rebuilds.count(play) == 1
