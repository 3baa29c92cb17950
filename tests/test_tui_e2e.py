"""End to end: the installed `understood` command in a real terminal (tmux), keys in, screen out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TMUX = shutil.which("tmux")
UNDERSTOOD = shutil.which("understood", path=str(Path(sys.executable).parent)) or shutil.which("understood")

pytestmark = pytest.mark.skipif(not (TMUX and UNDERSTOOD), reason="needs tmux and the installed command")


class Terminal:
    """One tmux server of our own (its own socket), one 80x24 window running a command."""

    def __init__(self, tmp_path: Path, command: list[str]):
        self.socket = f"understood-e2e-{os.getpid()}-{time.monotonic_ns()}"
        env = {"UNDERSTOOD_SAVES": str(tmp_path / "saves"), "UNDERSTOOD_CONFIG": str(tmp_path / "config"),
               "UNDERSTOOD_CACHE": str(tmp_path / "cache"), "TERM": "xterm-256color",
               "TEXTUAL_ANIMATIONS": "none"}
        shell = " ".join(f"{k}={v}" for k, v in env.items()) + " " + " ".join(command)
        self.tmux("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", "-c", str(ROOT), shell)

    def tmux(self, *args: str) -> str:
        return subprocess.run([TMUX, "-L", self.socket, "-f", "/dev/null", *args], capture_output=True,
                              text=True, timeout=10).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "e2e", key)
            time.sleep(0.15)

    def running(self) -> bool:
        return "e2e" in self.tmux("list-sessions", "-F", "#{session_name}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def open_(*command: str) -> Terminal:
        opened.append(Terminal(tmp_path, [UNDERSTOOD, *command]))
        return opened[-1]

    yield open_
    for term in opened:
        term.close()


def test_understood_opens_the_title_screen_and_quits(terminal):
    term = terminal()
    screen = term.wait_for("U N D E R S T O O D")
    assert "understood --plain" in screen
    term.press("q")
    deadline = time.monotonic() + 10
    while term.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.running()


def test_play_demo_in_a_real_terminal_choose_and_quit_with_the_place_saved(terminal, tmp_path):
    term = terminal("play", "demo")
    assert "loneliness" in term.wait_for("Before you begin")
    term.press("Enter")
    screen = term.wait_for("The van smells of cardboard")
    assert "Inner voice:" in screen and "Closeness" in screen
    term.press("1")
    term.wait_for('"Yeah," he says.')
    term.press("2")  # sit down next to him
    term.wait_for("The metal is cold")
    term.press("C-q")
    deadline = time.monotonic() + 10
    while term.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.running()
    saved = json.loads((tmp_path / "saves" / "autosave-demo.json").read_text(encoding="utf-8"))
    assert saved["scene"] == "sitting"
