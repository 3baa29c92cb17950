"""Markdown exports of the journal and the end-of-story summary."""

from __future__ import annotations

from game.engine import Game
from game.export import journal_markdown, sparkline, summary_markdown, write_markdown
from game.story import load_story


def finished(demo_path) -> Game:
    game = Game(load_story(demo_path))
    for number in (2, 2, 2, 3):
        game.choose(number)
    return game


def test_sparkline_scales_between_the_meters_bounds():
    assert sparkline([0, 5, 10], 0, 10) == "▁▅█"
    assert sparkline([20, -3], 0, 10) == "█▁"


def test_summary_has_the_ending_choices_meters_unsaid_debrief_and_support(demo_path):
    text = summary_markdown(finished(demo_path))
    assert text.startswith("# The Last Box\n")
    assert "## Ending: See You Saturday" in text and "Tone: lonely." in text
    assert '4. "See you Saturday, yeah?" Keys. Door.' in text
    assert "- Closeness: 4 → 5 `▄▄▅▅▅`" in text
    assert "Nerve" not in text
    assert "## What you couldn't say" in text and "(The new flat)" in text
    assert "1. How did it feel to sit on the tailgate" in text
    assert "116 123" in text  # this ending asks for support


def test_journal_markdown_reads_as_the_story_so_far(demo_path):
    text = journal_markdown(finished(demo_path))
    assert "## 1. The van" in text and "## 5. See You Saturday" in text
    assert "> *Inner voice: He hasn't said her name all day. Neither have you.*" in text
    assert "**You chose:** Sit down next to him on the tailgate." in text
    assert text.rstrip().endswith("*The end.*")


def test_exports_never_overwrite_each_other(tmp_path, demo_path):
    game = finished(demo_path)
    first = write_markdown(summary_markdown(game), tmp_path, "demo", "summary")
    second = write_markdown(summary_markdown(game), tmp_path, "demo", "summary")
    assert first != second and first.exists() and second.exists()
    assert first.name.startswith("demo-summary-") and first.suffix == ".md"
