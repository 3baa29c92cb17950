"""The exported web player in a real browser (Debian's Chromium, driven by Playwright).

Played with the network off, by keyboard alone, checked by axe-core, reloaded mid-story,
photographed from a 360-px phone to a 1920-px projector, and played in classroom mode to a
summary file that `understood report` reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.engine import Game
from game.story.load import load_story
from game.web.page import build_page
from tests._browser import axe_source, browser, open_choices, play_to_end, screen, screenshot_dir  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def opening_up():
    return load_story(ROOT / "stories" / "opening-up.yaml")


@pytest.fixture
def exported(tmp_path_factory, opening_up):
    def write(classroom: str | None = None) -> Path:
        path = tmp_path_factory.mktemp("export") / "opening-up.html"
        path.write_text(build_page(opening_up, classroom=classroom), encoding="utf-8")
        return path
    return write


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, offline=True, reduced_motion="reduce",
                                  accept_downloads=True)
    tab = context.new_page()
    tab.errors = []
    tab.requests = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


def python_ending(story, tab) -> str:
    """The ending the Python engine reaches with the moves the page made."""
    moves = tab.evaluate("UnderstoodPlayer.game().record()")
    game = Game(story)
    for move in moves:
        game.skip() if "skip" in move else game.choose(move["choice"])
    assert game.is_over
    return game.ending.title


def test_plays_to_an_ending_with_the_network_off(page, exported, opening_up):
    path = exported()
    page.goto(path.as_uri())
    page.click("#begin")
    play_to_end(page, pick=lambda count: count - 1)
    title = page.locator(".ending-title").inner_text()
    assert title == python_ending(opening_up, page)
    assert page.locator("text=What was remembered").count() or page.locator("text=How things moved").count()
    assert page.locator(".chart").count() == len(opening_up.visible_meters)
    assert page.locator(".debrief li").count() == len(opening_up.debrief)
    assert [url for url in page.requests if not url.startswith(("file:", "data:", "blob:"))] == []
    assert page.errors == []


def test_keyboard_only_play(page, exported, opening_up):
    page.goto(exported().as_uri())
    for _ in range(10):  # Tab from the top of the page to the Begin button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "begin":
            break
    assert page.evaluate("document.activeElement.id") == "begin"
    page.keyboard.press("Enter")
    assert screen(page) == "play"
    assert page.evaluate("document.activeElement.id") == "passage"  # focus lands on the new text
    first = page.locator("#passage p").first.inner_text()
    page.keyboard.press("1")
    assert page.locator("#passage p").first.inner_text() != first
    page.keyboard.press("u")  # undo
    assert page.locator("#passage p").first.inner_text() == first
    page.wait_for_function("() => document.getElementById('announce').textContent.includes('take that back')")
    page.keyboard.press("p")  # pause, then Escape back with focus where it was
    assert page.locator("#dialog-pause").evaluate("d => d.open")
    page.keyboard.press("Escape")
    assert not page.locator("#dialog-pause").evaluate("d => d.open")
    assert page.evaluate("document.activeElement.id") == "passage"  # back where it was
    page.keyboard.press("j")  # the journal opens at its heading, to read from the top
    assert page.evaluate("document.activeElement.id") == "journal-title"
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Tab reaches the choices; Enter takes one
    while page.evaluate("document.activeElement.className") != "choice":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "passage"
    for _ in range(60):
        if screen(page) == "ending":
            break
        number = open_choices(page).first.get_attribute("data-number")
        page.keyboard.press(number)
    assert screen(page) == "ending"
    assert page.evaluate("document.activeElement.id") == "screen-heading"
    assert page.errors == []


def test_a_locked_choice_is_a_disabled_button_that_says_why(page, exported):
    page.goto(exported().as_uri())
    page.click("#begin")
    for _ in range(20):
        if page.locator(".choice[aria-disabled=true]").count():
            break
        open_choices(page).first.click()
    locked = page.locator(".choice[aria-disabled=true]").first
    reason_id = locked.get_attribute("aria-describedby")
    reason = page.locator(f"#{reason_id}").inner_text()
    assert reason
    before = page.evaluate("UnderstoodPlayer.game().history.length")
    page.keyboard.press(locked.get_attribute("data-number"))
    assert page.evaluate("UnderstoodPlayer.game().history.length") == before  # nothing happened
    page.wait_for_function("r => document.getElementById('announce').textContent.includes(r)", arg=reason)


def test_skip_says_what_it_does_and_a_reload_loses_nothing(page, exported):
    page.goto(exported().as_uri())
    page.click("#begin")
    open_choices(page).first.click()
    open_choices(page).first.click()
    page.click("#tool-skip")
    said = page.locator("#skip-what").inner_text()
    assert "never counts against you" in said or "stepped away" in said
    page.click("#skip-confirm")
    page.wait_for_timeout(100)  # the dialog's close event comes after the move
    assert page.evaluate("document.activeElement.id") in ("passage", "screen-heading")
    moves = page.evaluate("UnderstoodPlayer.game().record()")
    text = page.locator("#screen").inner_text()
    page.reload()
    assert page.evaluate("UnderstoodPlayer.game().record()") == moves
    assert page.locator("#screen").inner_text() == text
    assert page.errors == []


def test_story_text_reaches_the_page_as_text(page, tmp_path, opening_up):
    from dataclasses import replace

    hostile = '<img src=x onerror="window.pwned=1"><b>bold</b>'
    story = replace(opening_up, title=hostile, summary=hostile, perspective=hostile)
    path = tmp_path / "hostile.html"
    path.write_text(build_page(story), encoding="utf-8")
    page.goto(path.as_uri())
    assert page.locator("#screen-heading").inner_text() == hostile
    assert page.locator("#screen img, #screen b").count() == 0
    assert page.evaluate("window.pwned === undefined")


def run_axe(page, source: str, label: str) -> None:
    page.evaluate(source)
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
                          "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})))")
    assert found == [], f"{label}: {json.dumps(found, indent=1)}"


def test_axe_finds_nothing_on_any_screen(page, exported):
    source = axe_source()
    page.goto(exported("9B").as_uri())
    run_axe(page, source, "start")
    page.click("#begin")
    for _ in range(6):
        if page.locator(".choice[aria-disabled=true]").count():
            break
        open_choices(page).first.click()
    run_axe(page, source, "play")
    page.keyboard.press("p")
    run_axe(page, source, "pause")
    page.click("#pause-settings")
    page.check("input[name=theme][value=contrast]")
    page.click("#dialog-settings button[type=submit]")
    assert page.evaluate("document.documentElement.dataset.theme") == "contrast"
    run_axe(page, source, "play, high contrast")
    play_to_end(page)
    run_axe(page, source, "ending, high contrast")
    page.evaluate("localStorage.setItem('understood:settings', '{}')")
    page.reload()
    run_axe(page, source, "ending, calm")


@pytest.mark.parametrize("width", [360, 1366, 1920])
def test_screenshots_fit_from_phone_to_projector(browser, exported, tmp_path, width):
    context = browser.new_context(viewport={"width": width, "height": 1080 if width > 1000 else 780}, offline=True,
                                  reduced_motion="reduce")
    try:
        tab = context.new_page()
        tab.goto(exported("9B").as_uri())
        folder = screenshot_dir(tmp_path)
        tab.screenshot(path=str(folder / f"start-{width}.png"), full_page=True)
        tab.click("#begin")
        for _ in range(3):
            open_choices(tab).first.click()
        tab.screenshot(path=str(folder / f"play-{width}.png"), full_page=True)
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
        play_to_end(tab)
        tab.screenshot(path=str(folder / f"ending-{width}.png"), full_page=True)
        assert tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        size = tab.locator(".choice").first.bounding_box() if tab.locator(".choice").count() else None
        assert size is None or size["height"] >= 44
    finally:
        context.close()


def test_classroom_summaries_are_files_the_report_reads(browser, exported, tmp_path, opening_up):
    from game.classroom.report import build_report
    from game.classroom.session import summary_problem

    path = exported("9B")
    folder = tmp_path / "9B"
    folder.mkdir()
    for sit_out in (False, True):
        context = browser.new_context(offline=True, accept_downloads=True, reduced_motion="reduce")
        try:
            tab = context.new_page()
            tab.goto(path.as_uri())
            if sit_out:
                tab.click("#sit-out")
            else:
                tab.click("#begin")
                play_to_end(tab)
                tab.fill("#answer-0", "Heavy. Like holding my breath.")
                tab.check("#share-answers")
            with tab.expect_download() as download:
                tab.click("#save-summary")
            name = download.value.suggested_filename
            download.value.save_as(folder / name)
        finally:
            context.close()
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        assert summary_problem(data) is None
        assert name == f"{data['session']}-opening-up.json"
        assert data["opted_out"] is sit_out and data["story_hash"] == opening_up.content_hash
        if not sit_out:
            assert data["completed"] and data["ending"]["title"]
            assert data["reflection"][0] == "Heavy. Like holding my breath."
            assert len(data["meters"]["trust"]) == len(data["choices"]) + 1
    report = build_report(folder, find_story=lambda story_id: opening_up if story_id == "opening-up" else None)
    assert report.skipped == ()
    assert [s.summaries for s in report.stories] == [2]


def test_a_format_2_story_plays_with_its_inline_text(page, tmp_path):
    story = load_story(ROOT / "tests" / "fixtures" / "v2" / "kitchen.yaml")
    path = tmp_path / "kitchen.html"
    path.write_text(build_page(story), encoding="utf-8")
    page.goto(path.as_uri())
    page.click("#begin")
    assert page.locator("#scene-heading").inner_text() == "The kitchen"  # the scene's title, shown
    first = page.locator("#passage p").first.inner_text()
    assert first == "The kitchen smells of toast."
    assert "((" not in page.locator("#screen").inner_text()
    page.locator(".choice", has_text="Tell her.").click()
    assert page.locator("#passage p").first.inner_text() == "The kitchen again."
    assert "Remembered: You told her, with trust at 4." in page.locator("#outcome").inner_text()
    page.keyboard.press("s")
    assert "never counts against you" in page.locator("#skip-what").inner_text()
    page.click("#skip-confirm")
    assert page.errors == []


def test_corrupt_progress_in_storage_loses_nothing_else(page, exported):
    page.goto(exported().as_uri())
    for junk in ["{not json", '{"v": 1, "stage": "playing", "moves": [{"choice": "no.such"}, 7], "answers": 3}',
                 '{"v": 1, "stage": "ended", "moves": "x", "session": "<b>"}', "null", "[]"]:
        page.evaluate("junk => localStorage.setItem('understood:opening-up', junk)", junk)
        page.reload()
        assert screen(page) in ("start", "play"), junk
        if screen(page) == "start":
            page.click("#begin")
        open_choices(page).first.click()
        assert page.evaluate("UnderstoodPlayer.game().history.length") == 1
    assert page.errors == []


def test_missing_browser_pieces_skip_locally_and_fail_in_ci(monkeypatch, tmp_path):
    import tests._browser as pieces

    monkeypatch.setenv("UNDERSTOOD_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(pieces, "AXE", tmp_path / "no-axe.js")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed"):
        pieces.chromium_path()
    with pytest.raises(pytest.skip.Exception, match="axe-core is not installed"):
        pieces.axe_source()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Chromium"):
        pieces.chromium_path()


def test_the_system_asking_for_more_contrast_gets_it(browser, exported):
    context = browser.new_context(offline=True, reduced_motion="reduce", forced_colors="none")
    try:
        tab = context.new_page()
        tab.emulate_media(contrast="more")
        tab.goto(exported().as_uri())
        assert tab.evaluate("document.documentElement.dataset.theme") == "contrast"
        tab.emulate_media(contrast="no-preference")
        tab.reload()
        assert tab.evaluate("document.documentElement.dataset.theme") == "calm"
    finally:
        context.close()
