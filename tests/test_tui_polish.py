"""The screens' small promises (issue 13): meters that explain themselves, keys that fit, readable
highlights, an honest high contrast, hanging indents, and no save lost without asking."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.color import Color

from game.engine import Game, SaveStore
from game.story import load_story
from game.tui.app import CONTRAST_THEME
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.pause import PauseScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen
from game.tui.widgets.meter_bar import MeterBar
from game.tui.widgets.meter_panel import MeterPanel
from tests.tui_support import DEMO, make_app, quiet_settings, screen_text, settle, start_demo

ROOT = Path(__file__).resolve().parent.parent


def luminance(color: Color) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    """The WCAG 2 contrast ratio of two opaque colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rendered_segments(app):
    """Every segment on screen, with its final style, as a terminal would receive it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return list(console._record_buffer)


def footer_text(app) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


# --- meters -----------------------------------------------------------------------------------


class OneBar(App):
    def __init__(self, low: int, high: int):
        super().__init__()
        self.bar = MeterBar("m", "Meter", low, high, low)

    def compose(self):
        yield self.bar


@pytest.mark.parametrize("low,high", [(0, 10), (0, 6), (2, 7), (0, 100)])
async def test_a_meter_bar_is_the_same_width_at_every_value(low, high):
    app = OneBar(low, high)
    async with app.run_test(size=(26, 4)) as pilot:
        widths = set()
        for value in range(low, high + 1):
            app.bar.set_value(value, animate=False)
            await pilot.pause()
            bar_line = str(app.bar.render()).split("\n")[1]
            assert bar_line.endswith(f"{value}/{high}")
            widths.add(len(bar_line))
            filled = bar_line.split(" ")[0]
            widths.add(("bar", len(filled)))
        assert len(widths) == 2, widths  # one total width, and one bar length, for every value


async def test_a_rise_and_a_fall_are_shown_in_one_neutral_colour(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        bar = app.screen.query_one(MeterBar)
        up = bar.get_visual_style("meter-bar--up", partial=True).foreground
        down = bar.get_visual_style("meter-bar--down", partial=True).foreground
        variables = app.get_css_variables()
        assert up == down
        for judging in ("success", "error", "warning"):
            assert up != Color.parse(variables[judging])


async def test_each_meter_bar_explains_itself_in_a_tooltip(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        tips = {bar.name: str(bar.tooltip) for bar in app.screen.query_one(MeterPanel).query(MeterBar)}
        assert tips == {"closeness": "Closeness: How near Tom lets you come, and you him.",
                        "armor": "Armour: How much Arun keeps behind a joke. The higher it is, the less gets said."}


async def test_help_says_what_the_meters_mean_and_what_the_bars_are(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_demo(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(screen_text(app).split())
        assert "What the meters mean" in text
        assert "not a score" in text and "no scores" not in text
        assert "Closeness How near Tom lets you come, and you him." in text
        assert "nerve" not in text.lower()  # a hidden meter stays hidden


async def test_help_from_the_title_has_no_meters_section(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "How to play" in screen_text(app) and "What the meters mean" not in screen_text(app)


async def test_the_endings_chart_says_what_each_meter_means(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 60)) as pilot:
        await start_demo(pilot)
        for key in "2223":
            await pilot.press(key)
            await settle(pilot)
        lines = screen_text(app).splitlines()
        row = next(i for i, line in enumerate(lines) if line.strip().startswith("Armour "))
        column = lines[row].index("▅")
        assert lines[row + 1][column:].startswith("How much Arun keeps behind a joke.")
        assert lines[row + 2][:column].strip() == "" and lines[row + 2][column:].startswith("gets said.")


# --- footers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 70])
async def test_a_narrow_footer_keeps_help_and_the_way_out(tmp_path, width):
    app = make_app(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        assert "? Help" in footer_text(app) and len(footer_text(app)) <= width  # the title
        await start_demo(pilot)
        footer = footer_text(app)
        assert "? Help" in footer and "esc Pause" in footer and "1-9 Choose" in footer
        assert not re.search(r"\w$", footer.rstrip()) or footer.rstrip().endswith(("Help", "Save", "Load", "Journal"))
        await pilot.resize_terminal(100, 24)
        await settle(pilot)
        assert "l Load" in footer_text(app) and "palette" in footer_text(app)  # room again: all of it


@pytest.mark.parametrize("width", [60, 70])
async def test_a_narrow_ending_footer_keeps_support_and_the_way_back(tmp_path, width):
    app = make_app(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await start_demo(pilot)
        for key in "2223":
            await pilot.press(key)
            await settle(pilot)
        footer = footer_text(app)
        assert "h Support" in footer and "t Title" in footer and len(footer) <= width


async def test_the_footer_under_a_dialog_shows_the_dialogs_keys(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PauseScreen)
        footer = footer_text(app)
        assert "esc Resume" in footer and "x Skip scene" in footer and "Choose" not in footer


# --- pause highlight --------------------------------------------------------------------------


@pytest.mark.parametrize("high_contrast", [False, True])
async def test_the_highlighted_pause_row_key_letter_is_readable(tmp_path, high_contrast):
    app = make_app(tmp_path, settings=quiet_settings(high_contrast=high_contrast))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("escape")
        await settle(pilot)
        for step in range(4):  # every row in turn
            segments = [s for s in rendered_segments(app) if s.style and s.style.bgcolor]
            highlighted = app.screen.query_one("#pause-options").highlighted_option
            key = {"resume": "r", "skip": "x", "support": "h", "title": "t"}[highlighted.id]
            label = next(i for i, s in enumerate(segments) if s.text.strip() in (
                "Resume", "Skip this scene", "Support lines", "Back to the title") and
                         s.text.strip().startswith({"r": "Re", "x": "Sk", "h": "Su", "t": "Ba"}[key]))
            letter = next(s for s in reversed(segments[:label]) if s.text.strip() == key)
            fg = Color.from_rich_color(letter.style.color)
            bg = Color.from_rich_color(letter.style.bgcolor)
            assert contrast(fg, bg) >= 4.5, (key, fg.hex, bg.hex)
            await pilot.press("down")
            await settle(pilot)


# --- high contrast ----------------------------------------------------------------------------

TEXT_VARIABLES = ["foreground", "text", "text-muted", "text-disabled", "text-primary", "text-secondary",
                  "text-accent", "text-warning", "text-error", "text-success", "primary", "secondary", "accent",
                  "success", "warning", "error", "border", "footer-foreground", "footer-key-foreground",
                  "footer-description-foreground", "button-foreground", "scrollbar", "foreground-muted"]
BACKGROUND_VARIABLES = ["background", "surface", "panel", "footer-background", "scrollbar-background",
                        "primary-background", "boost", "primary-muted", "accent-muted"]
CURSOR_PAIRS = [("block-cursor-foreground", "block-cursor-background"),
                ("block-cursor-blurred-foreground", "block-cursor-blurred-background"),
                ("input-cursor-foreground", "input-cursor-background"),
                ("input-selection-foreground", "input-selection-background"),
                ("button-color-foreground", "primary")]


def contrast_variables(tmp_path) -> dict[str, Color]:
    app = make_app(tmp_path, settings=quiet_settings(high_contrast=True))
    variables = app.get_css_variables()
    assert app.theme == CONTRAST_THEME.name
    return {name: Color.parse(value) for name, value in variables.items() if value.startswith("#")}


def test_high_contrast_is_black_and_white_with_every_pair_at_least_7_to_1(tmp_path):
    colours = contrast_variables(tmp_path)
    for name, colour in colours.items():
        assert colour.a == 1 and colour.hex[:7] in ("#FFFFFF", "#000000"), (name, colour.hex)
    for text in TEXT_VARIABLES:
        for background in BACKGROUND_VARIABLES:
            assert contrast(colours[text], colours[background]) >= 7, (text, background)
    for text, background in CURSOR_PAIRS:
        assert contrast(colours[text], colours[background]) >= 7, (text, background)


async def test_high_contrast_screens_show_nothing_grey_tinted_or_dim(tmp_path):
    app = make_app(tmp_path, settings=quiet_settings(high_contrast=True))
    seen: dict[str, set] = {}

    def look(name: str) -> None:
        for segment in rendered_segments(app):
            style = segment.style
            if style is None:
                continue
            for colour in (style.color, style.bgcolor):
                if colour is not None and tuple(colour.get_truecolor()) not in ((0, 0, 0), (255, 255, 255)):
                    seen.setdefault(name, set()).add((segment.text[:12], colour.get_truecolor().hex))
            if style.dim and segment.text.strip():
                seen.setdefault(name, set()).add((segment.text[:12], "dim"))

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        look("title")
        await pilot.press("enter")
        await settle(pilot)
        look("content notes")
        await pilot.press("enter")
        await settle(pilot)
        look("play")
        for key, name in (("escape", "pause"), ("question_mark", "help"), ("s", "save"), ("j", "journal")):
            await pilot.press(key)
            await settle(pilot)
            look(name)
            await pilot.press("escape")
            await settle(pilot)
        for key in "2223":
            await pilot.press(key)
            await settle(pilot)
        app.clear_notifications()
        await settle(pilot)
        look("ending")
    assert seen == {}


# --- saves ------------------------------------------------------------------------------------


async def test_one_enter_on_a_save_does_not_write_over_it(tmp_path):
    SaveStore().save("kept", Game(load_story(DEMO)))
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("tab", "enter")  # pick the save below
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Save over 'kept'?" in screen_text(app) and "y Yes" in footer_text(app)
        assert SaveStore().load("kept").scene == "van"
        await pilot.press("enter")  # the focus starts on "Keep it"
        await settle(pilot)
        assert isinstance(app.screen, SavesScreen) and SaveStore().load("kept").scene == "van"
        await pilot.press("enter")  # the name box now holds "kept": asks again
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and SaveStore().load("kept").scene == "tailgate"


async def test_the_saves_list_names_an_autosave_for_people(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        text = screen_text(app)
        assert "Autosave — The Last Box" in text and "autosave-demo" not in text
        assert "The tailgate" in text


# --- settings ---------------------------------------------------------------------------------


async def test_a_settings_menu_opens_several_rows_tall(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.click("#theme")
        await settle(pilot)
        from textual.widgets._select import SelectOverlay

        overlay = app.screen.query_one("#theme").query_one(SelectOverlay)
        assert overlay.display and overlay.size.height >= 5
        assert sum(name in screen_text(app) for name in ("textual-dark", "nord", "gruvbox", "dracula")) >= 3


# --- hanging indents --------------------------------------------------------------------------


async def test_wrapped_help_lines_keep_their_indent(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 30)) as pilot:
        await start_demo(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        first = next(i for i, line in enumerate(lines) if "1-9" in line and "take a choice" in line)
        column = lines[first].index("take a choice")
        assert lines[first + 1][column - 1] == " " and lines[first + 1][column] != " "  # "or the mouse)" under it
        assert lines[first + 1][:column].strip("│ ") == ""


async def test_wrapped_content_notes_keep_their_indent(tmp_path):
    text = DEMO.read_text(encoding="utf-8")
    notes = "content_notes: [breakup, loneliness]\n"
    assert notes in text
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "demo.yaml").write_text(text.replace(notes, "content_notes: [a very long note about something "
                                                          "that happens in this story and runs on, short]\n"),
                                      encoding="utf-8")
    app = make_app(tmp_path, stories=folder)
    async with app.run_test(size=(50, 30)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        first = next(i for i, line in enumerate(lines) if "a very long note" in line)
        column = lines[first].index("a very long note")
        assert lines[first + 1][:column].strip() == "" and lines[first + 1][column] != " "
        assert lines[first + 2].strip() == "·  short" or lines[first + 3].strip() == "·  short"


# --- copy -------------------------------------------------------------------------------------

US_SPELLINGS = re.compile(r"\b(armor|color|colors|behavior|favorite|center|gray|realize|honor|neighbor)\b", re.I)


def test_meter_labels_and_titles_shown_in_the_game_are_british():
    for path in sorted((ROOT / "stories").glob("*.yaml")):
        story = load_story(path)
        shown = [story.title, story.summary, *(m.label for m in story.meters.values()),
                 *(m.description for m in story.meters.values())]
        for text in shown:
            assert not US_SPELLINGS.search(text), (path.name, text)


async def test_help_scrolls_to_its_last_line_on_a_small_terminal(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_demo(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        app.screen.query_one(".dialog-scroll").scroll_end(animate=False)
        await settle(pilot)
        assert "understood play STORY --plain." in screen_text(app)


def test_every_scene_with_a_locked_choice_is_named_for_people_not_by_its_id():
    """The ending's "What you couldn't say" names the place of each locked choice met."""
    from game.story.names import place_name

    for path in sorted((ROOT / "stories").glob("*.yaml")):
        story = load_story(path)
        for scene_id, scene in story.scenes.items():
            if any(choice.locked for choice in scene.choices):
                name = place_name(scene)
                assert name != scene_id and "_" not in name, (path.name, scene_id, name)


async def test_the_journal_keeps_a_wrapped_choice_under_its_first_word(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(50, 40)) as pilot:
        await start_demo(pilot)
        await pilot.press("2")  # the joke, which Tom remembers
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        chose = next(i for i, line in enumerate(lines) if "→ You chose:" in line)
        column = lines[chose].index("You chose:")
        assert lines[chose + 1][column - 1] == " " and lines[chose + 1][column] != " "
        assert "1. The van" in screen_text(app)
