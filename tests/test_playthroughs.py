"""Every recorded playthrough in stories/tests/ replays cleanly (the same files `understood test` runs)."""

from __future__ import annotations

import pytest

from conftest import STORIES
from game.tools.playthrough import all_playthroughs, run_file

PLAYTHROUGHS = all_playthroughs(STORIES)


def test_the_demo_has_recorded_playthroughs():
    assert any(p.parent.name == "demo" for p in PLAYTHROUGHS)


@pytest.mark.parametrize("path", PLAYTHROUGHS, ids=[f"{p.parent.name}/{p.stem}" for p in PLAYTHROUGHS])
def test_recorded_playthrough(path):
    result = run_file(path)
    assert result.passed, "\n".join(f.format() for f in result.failures)
    assert result.steps > 0
