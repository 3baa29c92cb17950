"""Shared pieces of the browser tests: Debian's Chromium through Playwright, never a downloaded
browser. Missing pieces are a clear skip locally and a failure in CI (where `CI` is set)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def missing(what: str) -> None:
    """Skip with the reason locally; fail in CI, where everything must be installed."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI installs it: see .ci/)")
    pytest.skip(what)


def chromium_path() -> str:
    path = os.environ.get("UNDERSTOOD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        missing("Debian's Chromium is not installed (apt-get install -y chromium): browser tests skipped")
    return path


def axe_source() -> str:
    if not AXE.exists():
        missing("axe-core is not installed (npm ci at the project root): accessibility checks skipped")
    return AXE.read_text(encoding="utf-8")


def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: $UNDERSTOOD_SCREENSHOTS when set (to look at them), else the test's tmp."""
    folder = Path(os.environ.get("UNDERSTOOD_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed (pip install -e '.[test]'): browser tests skipped")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def screen(tab) -> str:
    return tab.locator("#screen").get_attribute("data-screen")


def open_choices(tab):
    return tab.locator(".choice:not([aria-disabled=true])")


def play_to_end(tab, pick=lambda count: 0, limit=60) -> None:
    for _ in range(limit):
        if screen(tab) == "ending":
            return
        choices = open_choices(tab)
        choices.nth(pick(choices.count())).click()
    raise AssertionError("no ending reached")
