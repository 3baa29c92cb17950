"""Many sessions writing to one class folder at once: every summary lands whole, none is lost."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _classroom import demo_story, play
from game.classroom.session import ClassroomSession, summary_problem

ROOT = Path(__file__).resolve().parent.parent


def assert_whole_class(folder: Path, expected: int) -> None:
    files = sorted(folder.iterdir())
    assert not [f.name for f in files if f.name.startswith(".tmp-")], "a temporary file was left behind"
    assert len(files) == expected
    for file in files:
        assert summary_problem(json.loads(file.read_text())) is None, file.name


def test_thirty_threads_writing_again_and_again_never_lose_or_tear_a_summary(tmp_path):
    story = demo_story()
    start = threading.Barrier(30)

    def student(_):
        session = ClassroomSession("p3", tmp_path)
        game = play(story, [])
        start.wait()
        for pick in (1, 2, 2):
            game.choose(pick)
            session.write(game)
        return session.session_id

    with ThreadPoolExecutor(max_workers=30) as pool:
        ids = list(pool.map(student, range(30)))
    assert len(set(ids)) == 30
    assert_whole_class(tmp_path / "p3", 30)


WORKER = """
import sys, time
from pathlib import Path
from game.classroom.session import ClassroomSession
from game.engine import Game
from game.story import load_story

base, go, sessions = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
story = load_story(sys.argv[4])
games = [(ClassroomSession("p3", base), Game(story)) for _ in range(sessions)]
while not go.exists():
    time.sleep(0.005)
for pick in (1, 3, 3):
    for session, game in games:
        if not game.is_over:
            game.choose(pick)
        session.write(game)
"""


def test_sessions_in_separate_processes_write_side_by_side(tmp_path):
    go = tmp_path / "go"
    processes = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path), str(go), "5", str(ROOT / "stories/demo.yaml")],
                         cwd=ROOT)
        for _ in range(8)
    ]
    go.write_text("")  # every worker starts writing at about the same moment
    assert all(p.wait(timeout=60) == 0 for p in processes)
    assert_whole_class(tmp_path / "p3", 40)
