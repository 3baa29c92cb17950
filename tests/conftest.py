"""Shared fixtures: every test runs with its own saves, cache, config and classes folders."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT / "stories"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Keep tests away from the user's saves, cache and settings."""
    monkeypatch.setenv("UNDERSTOOD_SAVES", str(tmp_path / "saves"))
    monkeypatch.setenv("UNDERSTOOD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("UNDERSTOOD_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    return tmp_path


@pytest.fixture
def demo_path() -> Path:
    return STORIES / "demo.yaml"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests (the Textual player's Pilot tests) each on a fresh event loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True
