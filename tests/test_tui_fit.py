"""The play screen fits the terminal (issue 13): notes in their own place, never over a choice;
choices right after the text; a cue when text is out of sight; the typewriter in order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.content import Content

from game.tui.screens import play
from game.tui.screens.play import MORE_CUE, PlayScreen
from game.tui.widgets.choice_item import ChoiceItem
from game.tui.widgets.feedback_line import FeedbackLine
from game.tui.widgets.inner_voice import InnerVoice
from game.tui.widgets.meter_panel import MeterPanel
from game.tui.widgets.scene_scroll import SceneScroll
from game.tui.widgets.scene_text import SceneText
from game.tui.widgets.typed_text import typed_part
from tests.tui_support import (ROOT, feedback, make_app, quiet_settings, screen_text, settle, start_demo,
                               story_dir, toasts)

SNAPSHOTS = Path(__file__).parent / "snapshots" / "tui"
SIZES = [(60, 20), (80, 24), (100, 30), (200, 50)]
SLOW = quiet_settings(reduced_motion=False, text_speed="slow")


def with_the_rock(tmp_path: Path) -> Path:
    folder = story_dir(tmp_path)
    shutil.copy(ROOT / "stories" / "the-rock.yaml", folder / "the-rock.yaml")
    return folder


async def start_the_rock(pilot) -> None:
    """From the title: the stories are listed by title, and The Rock follows The Last Box."""
    await pilot.press("down", "enter")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    assert pilot.app.screen.game.story.id == "the-rock"


def choice_rows(app) -> list[ChoiceItem]:
    return app.screen.choice_list.items


def assert_choices_in_view(app) -> None:
    """Every choice row is drawn inside the screen, above the footer."""
    height = app.size.height - 1
    for item in choice_rows(app):
        region = item.region
        assert region.height > 0 and region.y >= 0 and region.bottom <= height, (item.text, region)


# --- notes in their own place --------------------------------------------------------------------


async def test_remembered_note_sits_between_the_text_and_the_choices_not_over_them(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert toasts(app) == []
        assert feedback(app) == ["Remembered: Tom laughed. It sounded like it cost him something."]
        note = app.screen.query_one(FeedbackLine).region
        text = app.screen.query_one(SceneScroll).region
        choices = app.screen.choice_list.region
        assert text.bottom <= note.y and note.bottom <= choices.y
        assert not note.overlaps(choices)
        assert "Remembered: Tom laughed." in screen_text(app)
        await pilot.press("2")  # the next move clears it
        await settle(pilot)
        assert feedback(app) == []
        assert app.screen.query_one(FeedbackLine).display is False


async def test_the_keys_that_change_nothing_say_so_on_the_line_one_note_at_a_time(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")  # remembered
        await settle(pilot)
        await pilot.press("7", "7", "1")  # no such choice (twice), then the locked one
        await settle(pilot)
        assert toasts(app) == []
        assert feedback(app) == ["Remembered: Tom laughed. It sounded like it cost him something.",
                                 "Not yet: the note under choice 1 says why."]


async def test_undo_saved_and_skip_notes_are_on_the_line_too(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert feedback(app) == ["You take that back."]
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"kitchen", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert feedback(app) == ["You take that back.", "Saved as 'kitchen'."]
        assert toasts(app) == []


async def test_a_toast_raised_under_a_dialog_moves_to_the_line_when_the_dialog_closes(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("escape")  # the pause dialog
        await settle(pilot)
        app.notify("Your settings apply now but couldn't be saved.", severity="warning")
        await settle(pilot)
        assert toasts(app) == ["Your settings apply now but couldn't be saved."]
        await pilot.press("r")  # resume
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert toasts(app) == []
        assert feedback(app) == ["Your settings apply now but couldn't be saved."]


async def test_any_note_the_app_makes_on_the_play_screen_goes_to_the_line(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        app.notify("[b]Not markup[/b]: a note from elsewhere", title="Note")
        await settle(pilot)
        assert toasts(app) == []
        assert feedback(app) == ["Note: [b]Not markup[/b]: a note from elsewhere"]


# --- a layout that fits ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_choices_follow_short_text_with_no_dead_rows(tmp_path, size):
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await start_demo(pilot)
        text = app.screen.query_one(SceneScroll)
        assert text.max_scroll_y == 0 and not app.screen.more_below
        first = choice_rows(app)[0].region
        assert first.y == text.region.bottom + 1  # one quiet row (the cue's) between them
        assert_choices_in_view(app)


async def test_on_a_wide_terminal_the_meters_stand_beside_the_text_and_the_block_is_centred(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await start_demo(pilot)
        reading = app.screen.query_one("#reading").region
        meters = app.screen.query_one(MeterPanel).region
        assert meters.x == reading.right  # side by side
        left, right = reading.x, 200 - meters.right
        assert abs(left - right) <= 1  # centred
        assert reading.width == 74


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_meters_are_one_line_where_the_sidebar_would_crowd_the_text(tmp_path, size):
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await start_demo(pilot)
        assert app.screen.query_one(MeterPanel).line
        assert "Closeness 4/10  Armour 6/10" in screen_text(app).splitlines()[1]


async def test_long_text_scrolls_above_choices_that_stay_in_view_with_a_cue_that_goes_at_the_bottom(tmp_path):
    app = make_app(tmp_path, stories=with_the_rock(tmp_path))
    async with app.run_test(size=(60, 20)) as pilot:
        await start_the_rock(pilot)
        screen = app.screen
        scroll = screen.query_one(SceneScroll)
        assert scroll.max_scroll_y > 0
        assert screen.more_below and MORE_CUE in screen_text(app)
        assert "Inner voice" not in screen_text(app)  # hidden below, and the cue says so
        assert_choices_in_view(app)
        for _ in range(6):
            await pilot.press("pagedown")
            await settle(pilot)
        assert scroll.scroll_y == scroll.max_scroll_y
        assert not screen.more_below and MORE_CUE not in screen_text(app)
        assert "Inner voice" in screen_text(app)
        assert_choices_in_view(app)
        choices_at = choice_rows(app)[0].region.y
        await pilot.press("pageup")
        await settle(pilot)
        assert screen.more_below
        assert choice_rows(app)[0].region.y == choices_at  # the cue comes and goes in its own row


@pytest.mark.parametrize("size", SIZES)
async def test_the_inner_voice_is_never_out_of_sight_without_the_cue(tmp_path, size):
    app = make_app(tmp_path, stories=with_the_rock(tmp_path))
    async with app.run_test(size=size) as pilot:
        await start_the_rock(pilot)
        for key in ("", "1", "1", "2"):
            if key:
                await pilot.press(key)
                await settle(pilot)
            voice = app.screen.query_one(InnerVoice)
            scroll = app.screen.query_one(SceneScroll)
            if voice.thought:
                shown = scroll.region
                hidden = voice.region.bottom > shown.bottom or not voice.region
                assert not hidden or app.screen.more_below, app.screen.game.scene_id
            assert_choices_in_view(app)


async def test_resizing_refits_the_text_and_the_cue(tmp_path):
    app = make_app(tmp_path, stories=with_the_rock(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await start_the_rock(pilot)
        assert not app.screen.more_below
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert app.screen.more_below
        assert_choices_in_view(app)
        await pilot.resize_terminal(100, 40)
        await settle(pilot)
        assert not app.screen.more_below


async def test_choice_rows_are_reused_from_scene_to_scene(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        before = choice_rows(app)
        await pilot.press("2")  # two choices -> three
        await settle(pilot)
        after = choice_rows(app)
        assert after[:2] == before and len(after) == 3
        assert [i.number for i in after] == [1, 2, 3]
        assert after[1].text == "Sit down next to him on the tailgate."
        await pilot.press("2")  # -> two again: the third row is kept, hidden
        await settle(pilot)
        assert choice_rows(app) == before
        assert len(app.screen.choice_list.query_children(ChoiceItem)) == 3
        assert "Let's get this lot upstairs" not in screen_text(app)


# --- snapshots ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_snapshot_of_a_scene_with_a_note_and_a_locked_choice(tmp_path, snapshot, size):
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await start_demo(pilot)
        await pilot.press("2")
        await settle(pilot)
        snapshot.snapshot_dir = SNAPSHOTS
        snapshot.assert_match(screen_text(app), f"fit_tailgate_{size[0]}x{size[1]}.txt")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_snapshot_of_a_long_scene(tmp_path, snapshot, size):
    app = make_app(tmp_path, stories=with_the_rock(tmp_path))
    async with app.run_test(size=size) as pilot:
        await start_the_rock(pilot)
        snapshot.snapshot_dir = SNAPSHOTS
        snapshot.assert_match(screen_text(app), f"fit_the_rock_{size[0]}x{size[1]}.txt")


# --- the typewriter ----------------------------------------------------------------------------------


def test_typed_text_keeps_the_line_breaks_of_the_whole_text():
    """A word being typed never jumps to the next line: every typed prefix, drawn at the width,
    shows each line as a prefix of the same line of the whole text."""
    words = Content("The van smells of cardboard and Tom's old aftershave. Six years of his life fit "
                    "in fourteen boxes.\n\nTom sits on the tailgate, taping a box that is already taped.")
    width = 23
    whole = [line.plain for line in words.wrap(width)]
    for shown in range(1, len(words) + 1):
        lines = [line.plain for line in typed_part(words, shown, width).wrap(width)]
        assert len(lines) <= len(whole)
        for line, final in zip(lines, whole):
            assert final.startswith(line.rstrip()), (shown, line, final)


async def test_the_inner_voice_types_after_the_narration_with_nothing_standing_in_for_text(tmp_path):
    app = make_app(tmp_path, settings=SLOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        screen = app.screen
        text, voice = screen.query_one(SceneText), screen.query_one(InnerVoice)
        assert text.revealing and voice.waiting
        assert not voice.display  # not drawn at all while the narration types
        assert screen.choice_list.has_class("-waiting")
        seen_voice_while_typing = False
        for _ in range(400):
            await pilot.pause(0.02)
            shown = screen_text(app)
            assert "\u2800" not in shown  # no braille blanks (nor any filler) for untyped text
            if text.revealing:
                assert "Inner voice" not in shown
            elif voice.revealing:
                seen_voice_while_typing = True
                assert "Tom sits on the tailgate, taping a box that is already taped." in shown
            else:
                break
        assert seen_voice_while_typing
        await settle(pilot)
        assert "Inner voice: He hasn't said her name all day. Neither have you." in screen_text(app)
        assert not screen.choice_list.has_class("-waiting")


async def test_a_key_while_typing_finishes_it_and_only_a_later_key_chooses(tmp_path, monkeypatch):
    monkeypatch.setattr(play, "CHOICE_GRACE", 60)  # a slow machine must not turn "soon" into "later"
    app = make_app(tmp_path, settings=SLOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        screen = app.screen
        await pilot.press("2")  # finishes the typing (narration and inner voice); chooses nothing
        await pilot.pause()
        assert not screen.revealing and screen.game.scene_id == "van"
        assert "Inner voice: He hasn't said her name all day." in screen_text(app)
        await pilot.press("2")  # the same burst of keys: the choices have only just appeared
        await pilot.pause()
        assert screen.game.scene_id == "van"
        monkeypatch.setattr(play, "CHOICE_GRACE", 0)  # as if the grace had passed
        await pilot.press("2")
        await settle(pilot)
        assert screen.game.scene_id == "tailgate" and screen.revealing
        await pilot.press("down")  # any key finishes it; a choice has the focus when they appear
        await settle(pilot)
        assert not screen.revealing
        assert isinstance(screen.focused, ChoiceItem) and screen.focused.number == 2
        assert "›2  Sit down next to him" in screen_text(app)


async def test_undo_and_a_loaded_save_show_the_scene_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(play, "CHOICE_GRACE", 0)
    app = make_app(tmp_path, settings=SLOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")  # finishes the typing
        await pilot.pause()
        await pilot.press("1")  # takes the first choice
        await settle(pilot)
        assert app.screen.game.scene_id == "tailgate" and app.screen.revealing  # a new scene types
        await pilot.press("u")  # finishes the typing
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert app.screen.game.scene_id == "van"
        assert not app.screen.revealing  # undo shows the scene at once
        assert "Inner voice: He hasn't said her name all day." in screen_text(app)
        await app.screen.apply_story(app.screen.game.story, [])  # the story file was saved (--watch)
        await settle(pilot)
        assert not app.screen.revealing and feedback(app)[-1].startswith("Reloaded: ")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")  # the autosave
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and not app.screen.revealing


async def test_in_high_contrast_no_choice_is_dimmed_and_the_focused_number_shows_on_its_bar(tmp_path):
    from textual.geometry import Region

    app = make_app(tmp_path, settings=quiet_settings(high_contrast=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")  # the tailgate: choice 1 is locked, choice 2 has the focus
        await settle(pilot)
        for item in choice_rows(app):
            number, words = list(item.render_lines(Region(0, 0, item.size.width, 1))[0])[:2]
            if not item.available:  # as bright as its words (Textual draws "dim" as a darker colour)
                assert number.style.color == words.style.color
            if item.has_focus:
                assert number.style.color != number.style.bgcolor


async def test_a_toast_that_still_reaches_the_play_screen_waits_at_the_top_away_from_the_choices(tmp_path):
    from textual.app import App

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await start_demo(pilot)
        App.notify(app, "One that came another way (a worker thread, say)", timeout=30)  # past our routing
        await settle(pilot)
        toast = app.screen.query_one("Toast").region
        assert toast.y <= 3
        assert not toast.overlaps(app.screen.choice_list.region)
