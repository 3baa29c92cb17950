"""The format-2 checks on copies of today's four stories (tests/fixtures/stories-v1/, format 1):
their continuity slips, unkept promises, text that never shows and foreign syntax, kept as
expected output in tests/fixtures/stories-v1-findings/. A change to the checks that changes a
finding shows here; regenerate with UPDATE_FINDINGS=1 after reading the difference."""

from __future__ import annotations

import os

import pytest

from game.tools.checker import check_story
from tests.conftest import ROOT

STORIES = sorted((ROOT / "tests" / "fixtures" / "stories-v1").glob("*.yaml"))
EXPECTED = ROOT / "tests" / "fixtures" / "stories-v1-findings"
NEW_CHECKS = {"continuity", "promise-not-kept", "text-never-shows", "foreign-syntax", "no-skip-route"}


def findings(path) -> str:
    report = check_story(path)
    lines = []
    for d in report.diagnostics:
        if d.code in NEW_CHECKS:
            shown = d.format().replace(str(ROOT) + "/", "")
            lines.append(shown)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", STORIES, ids=[p.stem for p in STORIES])
def test_the_new_checks_find_what_they_found(path):
    got = findings(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    expected = EXPECTED / f"{path.stem}.txt"
    if os.environ.get("UPDATE_FINDINGS"):
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


def test_the_wardrobe_ending_and_the_unkept_promises_are_among_them():
    opening = (EXPECTED / "opening-up.txt").read_text()
    assert "end_quiet_house' calls back 'the man on the wardrobe" in opening
    total = sum((EXPECTED / f"{p.stem}.txt").read_text().count("promise not kept") for p in STORIES)
    assert total >= 30
