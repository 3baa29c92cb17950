"""Reaching an ending, the ending screen, its actions, and the journal."""

from __future__ import annotations

from pathlib import Path

from game.engine import SaveStore
from game.tui.screens.ending import EndingScreen
from game.tui.screens.journal import JournalScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from tests.tui_support import make_app, notices, screen_text, settle, start_demo

# van: joke -> tailgate: sit -> sitting: "Come on. Boxes." -> the_flat: "See you Saturday" (lonely)
TO_THE_DOOR = ("2", "2", "2", "3")


async def play(pilot, keys) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def test_reaching_an_ending_shows_its_title_tone_text_and_what_was_remembered(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 60)) as pilot:
        await start_demo(pilot)
        await play(pilot, TO_THE_DOOR)
        assert isinstance(app.screen, EndingScreen)
        text = screen_text(app)
        assert "See You Saturday" in text
        assert "An ending that feels lonely." in text
        assert "On the stairs you stop" in text
        assert "What was remembered" in text and "Tom laughed. It sounded like it cost him" in text


async def test_ending_charts_each_visible_meter_across_the_playthrough(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 60)) as pilot:
        await start_demo(pilot)
        await play(pilot, TO_THE_DOOR)
        text = screen_text(app)
        assert "How things moved" in text
        assert "Closeness  ▄▄▅▅▅  4 → 5 (of 10)" in text
        assert "Armour     ▅▆▆▆▇  6 → 8 (of 10)" in text
        assert "Nerve" not in text


async def test_ending_lists_what_you_couldnt_say_and_where(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 60)) as pilot:
        await start_demo(pilot)
        await play(pilot, TO_THE_DOOR)
        text = screen_text(app)
        assert "What you couldn't say" in text
        assert '"Mate. Fine like actually fine?"  (The tailgate)' in text
        assert "Hug him. A real one, not the back-slap kind.  (The new flat)" in text


async def test_ending_shows_the_debrief_questions(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 60)) as pilot:
        await start_demo(pilot)
        await play(pilot, TO_THE_DOOR)
        text = screen_text(app)
        assert "Questions to sit with" in text
        assert "1. How did it feel to sit on the tailgate and not know what to say?" in text
        assert "4. If you were Arun tomorrow, what would you say to Tom?" in text


async def test_the_ending_is_autosaved_and_not_offered_as_continue(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_demo(pilot)
        await play(pilot, TO_THE_DOOR)
        assert SaveStore().load("autosave-demo").ended
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert "Continue" not in screen_text(app)


async def test_play_again_starts_the_story_over(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_demo(pilot)
        await play(pilot, TO_THE_DOOR)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.game.scene_id == "van" and not app.screen.game.history


async def test_play_from_the_last_choice_that_changed_the_ending(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_demo(pilot)
        await play(pilot, TO_THE_DOOR)
        app.screen.query_one("#ending-scroll").scroll_end(animate=False)
        await settle(pilot)
        assert "the choice that changed the ending" in screen_text(app)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        game = app.screen.game
        assert game.scene_id == "the_flat" and len(game.history) == 3
        notice = next(n for n in notices(app) if "You're back before the choice" in n)
        assert "the story can end another way" in notice
        assert "Chips on the Floor" not in notice  # an ending the player has not reached: never named
        await pilot.press("2")  # the takeaway, this time
        await settle(pilot)
        assert app.screen.game.ending.title == "Chips on the Floor"


async def test_export_summary_writes_markdown_and_says_where(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_demo(pilot)
        await play(pilot, TO_THE_DOOR)
        await pilot.press("e")
        await settle(pilot)
        written = [n for n in notices(app) if n.startswith("Written to ")]
        assert written
        path = Path(written[-1].removeprefix("Written to "))
        assert path.parent == SaveStore().directory
        markdown = path.read_text(encoding="utf-8")
        assert markdown.startswith("# The Last Box")
        assert "## Ending: See You Saturday" in markdown
        assert "## What you couldn't say" in markdown


async def test_journal_lists_scenes_and_choices_and_exports_to_markdown(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_demo(pilot)
        await play(pilot, ("2", "2"))
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        text = screen_text(app)
        assert "1. The van" in text and '→ You chose: "Fourteen boxes. Travelling light, at least."' in text
        assert "2. The tailgate" in text and "→ You chose: Sit down next to him on the tailgate." in text
        assert "3. Side by side on the tailgate" in text and "You are here." in text
        await pilot.press("e")
        await settle(pilot)
        path = Path(next(n for n in notices(app) if n.startswith("Written to ")).removeprefix("Written to "))
        markdown = path.read_text(encoding="utf-8")
        assert "## 1. The van" in markdown and "**You chose:** Sit down next to him on the tailgate." in markdown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_journal_opens_from_the_ending_too(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_demo(pilot)
        await play(pilot, TO_THE_DOOR)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        assert "The end." in screen_text(app)
