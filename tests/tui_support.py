"""Helpers for the Textual player's tests: an app factory with isolated, quiet settings, a
plain-text export of the screen, and the notifications shown so far."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from rich.console import Console

from game.settings import Settings
from game.tui.app import UnderstoodApp
from game.tui.options import AppOptions

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "stories" / "demo.yaml"


def quiet_settings(**changes) -> Settings:
    """An explicit theme, no typing effect and no animation: the same screen every run."""
    return Settings(theme="understood", text_speed="instant", reduced_motion=True).updated(**changes)


def story_dir(tmp_path: Path, *extra: tuple[str, str]) -> Path:
    """A stories folder holding the demo, plus any (file name, YAML text) given."""
    folder = tmp_path / "stories"
    folder.mkdir(exist_ok=True)
    shutil.copy(DEMO, folder / "demo.yaml")
    for name, text in extra:
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def make_app(tmp_path: Path, *, settings: Settings | None = None, stories: Path | None = None,
             **options) -> UnderstoodApp:
    """The app over its own stories folder, with fixed settings and errors raised (not calmed)."""
    folder = stories or story_dir(tmp_path)
    options.setdefault("calm_errors", False)
    if "settings_file" not in options:
        options["settings"] = settings or quiet_settings()
    return UnderstoodApp(AppOptions(story_dirs=[str(folder)], only_these_dirs=True, **options))


def screen_text(app: UnderstoodApp) -> str:
    """The screen as plain text, exactly as a terminal of the app's size would show it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


def toasts(app: UnderstoodApp) -> list[str]:
    """The toasts showing now (Textual's notifications), oldest first."""
    return [n.message for n in app._notifications]


def feedback(app: UnderstoodApp) -> list[str]:
    """The notes on the play screen's feedback line now, as they read ("Title: message")."""
    from game.tui.screens.play import PlayScreen

    screen = app.screen
    return screen.feedback.lines if isinstance(screen, PlayScreen) else []


def notices(app: UnderstoodApp) -> list[str]:
    """Every note shown to the player: the toasts showing now, then the message of every note the
    play screens in the stack have put on their feedback line (between the scene and its choices)."""
    from game.tui.screens.play import PlayScreen

    said = [m for screen in app.screen_stack if isinstance(screen, PlayScreen) for m in screen.said]
    return toasts(app) + said


async def settle(pilot) -> None:
    """Let messages, workers and the next refresh all finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def start_demo(pilot) -> None:
    """From the title: pick the demo, read its content notes, begin."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
