"""Start-up of the game against a minimal Textual app, both run the same way in a pseudo-terminal.

    python bench/tui_startup.py [--runs 7] [--against REV]

For each program it measures, from process start:
  - ready: the first scene's text is on the screen (the baseline: its one Static);
  - key:   then one key press is answered on screen (the next scene; the baseline's new text);
and the resident memory (VmRSS) once ready and after a few moves. It prints medians and the
ratio of the game to the baseline. The target (issue 12) is a ratio of 1.3 or less.

With --against REV, the game at git revision REV (checked out into a temporary worktree) runs too,
alternating with this tree's, so a change of a few milliseconds can be told from the machine's
noise: it prints REV's figures beside this tree's, against the same baseline runs.
"""

from __future__ import annotations

import argparse
import atexit
import compileall
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")


class Pty:
    """A program running in an 80x24 pseudo-terminal; its output read back as plain text."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path = ROOT):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                                     env={**os.environ, **env, "TERM": "xterm-256color"}, close_fds=True)
        os.close(slave)
        self.master = master
        self.raw = b""
        self.mark = 0

    def text(self) -> str:
        """What was written since the last key press, as plain text."""
        return ANSI.sub(b"", self.raw[self.mark:]).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 20.0) -> float:
        """Seconds from process start until `needle` has been written to the terminal."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.005)
            if ready:
                try:
                    self.raw += os.read(self.master, 65536)
                except OSError:
                    break
                if needle in self.text():
                    return time.perf_counter() - self.start
        raise RuntimeError(f"{needle!r} never appeared; output ended with: {self.text()[-300:]!r}")

    def press(self, key: str) -> None:
        self.mark = len(self.raw)
        os.write(self.master, key.encode())

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        os.close(self.master)


def measure(argv, env, ready_text, key, answer_text, more_keys=(), cwd=ROOT):
    term = Pty(argv, env, cwd)
    try:
        ready = term.wait_for(ready_text)
        rss_ready = term.rss_kib()
        term.press(key)
        answered = term.wait_for(answer_text)
        for k, text in more_keys:
            term.press(k)
            term.wait_for(text)
        return ready, answered, rss_ready, term.rss_kib()
    finally:
        term.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", metavar="REV", help="also time the game at this git revision")
    options = parser.parse_args()
    runs = options.runs

    # The game's modules compiled to bytecode first, as installing the game does (pip compiles a
    # wheel's modules; an editable install writes __pycache__ on its first run). Without this, a
    # shell with PYTHONDONTWRITEBYTECODE=1 makes every run recompile ~60 modules from source
    # (~45 ms), which no player pays and the baseline (one small script) barely does.
    compileall.compile_dir(ROOT / "game", quiet=1)
    other = checkout(options.against) if options.against else None

    from game.engine import Game, SaveStore
    from game.story import load_story

    tmp = Path(tempfile.mkdtemp(prefix="understood-bench-"))
    env = {"UNDERSTOOD_SAVES": str(tmp / "saves"), "UNDERSTOOD_CONFIG": str(tmp / "config"),
           "UNDERSTOOD_CACHE": str(tmp / "cache"), "TEXTUAL_ANIMATIONS": "none"}
    SaveStore(tmp / "saves").save("bench-start", Game(load_story(ROOT / "stories" / "demo.yaml")))
    # Warm the compiled-story cache once, as a player's second start would find it.
    os.environ.update(env)
    load_story(ROOT / "stories" / "demo.yaml")

    game_argv = [sys.executable, "-m", "game", "play", "demo", "--load", "bench-start"]
    base_argv = [sys.executable, str(ROOT / "bench" / "minimal_app.py")]
    moves = [("2", "The metal is cold"), ("1", "The street lamp comes on"), ("2", "The metal is cold")]
    results = {"game": [], "baseline": [], "notes": [], "other": []}
    for _ in range(runs):  # interleaved, so both see the same machine
        results["baseline"].append(measure(base_argv, env, "The baseline is ready.", "1",
                                           "The baseline took 1 keys."))
        results["game"].append(measure(game_argv, env, "The van smells of cardboard", "1",
                                       '"Yeah," he says.', moves))
        if other is not None:  # `python -m game` run in its tree imports that tree's game
            results["other"].append(measure(game_argv, env, "The van smells of cardboard", "1",
                                            '"Yeah," he says.', moves, cwd=other))
        results["notes"].append(measure([sys.executable, "-m", "game", "play", "demo"], env,
                                        "Before you begin", "\r", "The van smells of cardboard"))

    def med(name, i):
        return statistics.median(r[i] for r in results[name])

    print(f"runs: {runs} each, 80x24 pseudo-terminal, medians")
    print(f"{'':34}{'baseline':>10}{'game':>10}{'ratio':>8}")
    for label, i in (("to first scene on screen (s)", 0), ("...and one key answered (s)", 1)):
        b, g = med("baseline", i), med("game", i)
        print(f"{label:34}{b:10.3f}{g:10.3f}{g / b:8.2f}x")
        if other is not None:
            o = med("other", i)
            print(f"{'   ' + options.against + ' (same runs)':34}{b:10.3f}{o:10.3f}{o / b:8.2f}x")
    print(f"{'content notes screen (s)':34}{'':10}{med('notes', 0):10.3f}")
    for label, i in (("resident memory when ready (MiB)", 2), ("...after a few moves (MiB)", 3)):
        print(f"{label:34}{med('baseline', i) / 1024:10.1f}{med('game', i) / 1024:10.1f}"
              f"{med('game', i) / med('baseline', i):8.2f}x")
    ratio = med("game", 1) / med("baseline", 1)
    print(f"target: start-up ratio <= 1.3x: {'met' if ratio <= 1.3 else 'NOT met'} ({ratio:.2f}x)")
    return 0


def checkout(rev: str) -> Path:
    """`rev` checked out (detached) into a temporary worktree, its modules compiled; the worktree
    is removed when the bench ends, however it ends."""
    where = Path(tempfile.mkdtemp(prefix="understood-bench-rev-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(where), rev], cwd=ROOT, check=True)
    atexit.register(subprocess.run, ["git", "worktree", "remove", "--force", str(where)], cwd=ROOT, check=False)
    compileall.compile_dir(where / "game", quiet=1)
    return where


if __name__ == "__main__":
    raise SystemExit(main())
