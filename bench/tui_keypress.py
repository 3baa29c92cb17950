"""Key press to next scene, in the app run headless under Pilot's test harness.

    python bench/tui_keypress.py [--presses 60]

Each press takes a choice that moves to another scene (the demo's tailgate <-> sitting loop). It
is timed from the key event reaching the app until the screen's compositor has drawn the new
scene. (Pilot's own `press()` sleeps in 20 ms steps while it waits for idleness, so timing it would
mostly measure those sleeps.) The baseline is a minimal Textual app whose key updates one Static,
timed the same way in the same run. The target is a median of 50 ms or less.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual.screen import Screen

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

DRAWN: list[tuple[float, bool]] = []  # each compositor refresh: when it finished, and if it showed the goal
GOAL = [lambda: False]  # what the press being timed should put on screen (set per press)
_refresh = Screen._compositor_refresh


def _timed_refresh(self) -> None:
    _refresh(self)
    DRAWN.append((time.perf_counter(), GOAL[0]()))


Screen._compositor_refresh = _timed_refresh


async def key_to_screen(app, key: str, shown) -> float:
    """Seconds from sending `key` until the end of the first screen refresh after which `shown()`
    is true: what the press should bring is in the widgets, and that refresh drew it."""
    GOAL[0] = shown
    DRAWN.clear()
    start = time.perf_counter()
    event = events.Key(key, key)
    event.set_sender(app)
    app._driver.send_message(event)
    while True:
        await asyncio.sleep(0)
        done = next((when for when, ok in DRAWN if ok), None)
        if done is not None:
            GOAL[0] = lambda: False
            return done - start
        if time.perf_counter() - start > 5:
            raise RuntimeError("the screen never showed the next scene")


def scene_on_screen(screen, scene_id: str) -> bool:
    """The play screen shows `scene_id`: the game is there, the text, the inner voice and every
    choice hold that scene's words, the choices are not hidden, and each one has been laid out
    on screen (the refresh this is checked after drew them)."""
    from game.tui.widgets.choice_item import ChoiceItem
    from game.tui.widgets.inner_voice import InnerVoice
    from game.tui.widgets.scene_text import SceneText

    game = getattr(screen, "game", None)
    if game is None or game.scene_id != scene_id:
        return False
    text = screen.query_one(SceneText)
    if text.revealing or text.text != "\n\n".join(" ".join(p.split()) for p in game.paragraphs()):
        return False
    if screen.query_one(InnerVoice).thought != game.thought:
        return False
    choices = screen.query_one("#choices")
    items = list(choices.query_children(ChoiceItem))
    wanted = [(o.number, " ".join(o.text.split()), o.available) for o in game.options()]
    if [(i.number, i.text, i.available) for i in items] != wanted or not choices.visible:
        return False
    if choices.has_class("-waiting"):
        return False
    area = screen.region
    return all(item.region and area.contains_region(item.region) for item in items)


async def run(app, presses: int, setup, key_for, changed_for) -> list[float]:
    async with app.run_test(size=(80, 24)) as pilot:
        await setup(pilot)
        timings = []
        for i in range(presses):
            timings.append(await key_to_screen(app, key_for(i), changed_for(app, i)))
            await pilot.pause()  # settle between presses, untimed
        return timings


async def main(presses: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="understood-bench-"))
    os.environ.update(UNDERSTOOD_SAVES=str(tmp / "saves"), UNDERSTOOD_CONFIG=str(tmp / "config"),
                      UNDERSTOOD_CACHE=str(tmp / "cache"))
    from minimal_app import Minimal

    from game.settings import Settings
    from game.tui.app import UnderstoodApp
    from game.tui.options import AppOptions

    async def to_tailgate(pilot):
        await pilot.press("enter")  # content notes: Begin
        await pilot.pause()
        await pilot.press("1")      # the van -> the tailgate
        await pilot.pause()

    def next_scene(app, i):
        want = "sitting" if i % 2 == 0 else "tailgate"
        return lambda: scene_on_screen(app.screen, want)

    def next_count(app, i):
        want = f"The baseline took {i + 1} keys."
        return lambda: str(app.query_one("#line").render()) == want

    async def nothing(pilot):
        await pilot.pause()

    game = UnderstoodApp(AppOptions(story="demo", settings=Settings(reduced_motion=True), calm_errors=False))
    game_times = await run(game, presses, to_tailgate, lambda i: "2" if i % 2 == 0 else "1", next_scene)
    base_times = await run(Minimal(), presses, nothing, lambda i: "1", next_count)
    g, b = statistics.median(game_times) * 1000, statistics.median(base_times) * 1000
    q = statistics.quantiles(game_times, n=10)[-1] * 1000
    print(f"presses: {presses} each, headless at 80x24, reduced motion (no glide), milliseconds")
    print(f"{'':32}{'baseline':>10}{'game':>10}{'ratio':>8}")
    print(f"{'median key to next scene drawn':32}{b:10.1f}{g:10.1f}{g / b:8.2f}x")
    print(f"{'90th percentile':32}{'':10}{q:10.1f}")
    print(f"target: median <= 50 ms: {'met' if g <= 50 else 'NOT met'} ({g:.1f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=60)
    asyncio.run(main(parser.parse_args().presses))
