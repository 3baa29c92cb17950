"""A school on one server: run by hand, `python bench/serve_web.py [--students 300] [--pace 1]`.

Starts `understood serve --story demo --classroom bench` on loopback and lets 300 simulated
students in at once. Each does what the web player does: fetches the page, joins, reads the content
notes, then makes the story's choices one by one, pausing 3 to 12 seconds before each (times
`--pace`), posting its progress after every move and its summary at the ending; one in ten plays
again and sends a second summary, which must replace its first. Clocks stop when the last byte of
an answer has arrived (when a browser could show it).

Then the same machine runs `serve --terminal` (the Textual game, one process per browser) with 10
sessions, and the per-student memory of both is printed with their ratio: the baseline, measured
in the same run.

Targets (issue 11): every page in under 2 s, no summary lost or clobbered, server RSS under 150 MB.
Use `--pace 0.1` for a short try; the full run takes about a minute and a half.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from _classroom import demo_story, play_randomly  # noqa: E402
from _pageclient import StudentPage  # noqa: E402
from game.classroom.session import ClassroomSession  # noqa: E402
from game.story.names import place_name_of  # noqa: E402


def rss_kib(pid: int, *, tree: bool = False) -> int:
    """Resident memory of a process (and with `tree`, all its descendants), in KiB."""
    total, todo, seen = 0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            if tree:
                with open(f"/proc/{current}/task/{current}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except (OSError, StopIteration):
            continue
    return total


def start_server(args: list[str], work: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UNDERSTOOD_CONFIG": str(work / "config"),
           "UNDERSTOOD_CACHE": str(work / "cache")}
    return subprocess.Popen([sys.executable, "-m", "game", "serve", "--port", str(port), "--classroom", "bench",
                             "--classes", str(work / "classes"), "--story", "demo", *args],
                            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(port: int, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def quantiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return (f"median {statistics.median(values) * 1000:.0f} ms, 95th {p95 * 1000:.0f} ms, "
            f"max {values[-1] * 1000:.0f} ms")


# --- the web server: 300 students ---------------------------------------------------------------------


async def timed(coroutine, bucket: list[float]):
    start = time.perf_counter()
    result = await coroutine
    bucket.append(time.perf_counter() - start)
    return result


async def student(base: str, number: int, pace: float, seed: int, times: dict, sent: dict) -> None:
    rng = random.Random(seed * 1000 + number)
    story = demo_story()
    async with aiohttp.ClientSession() as http:  # a browser of its own: its own connections
        page = StudentPage(http, base)
        page.read_page(await timed(page.fetch_page(), times["page"]))
        await timed(page.join(), times["join"])
        await timed(page.progress("notes", "", 0), times["progress"])
        await asyncio.sleep(rng.uniform(1, 4) * pace)  # reading the content notes
        plays = 2 if rng.random() < 0.1 else 1
        for _ in range(plays):
            game = play_randomly(story, rng)
            moves = 0
            for step in game.history:
                await asyncio.sleep(rng.uniform(3, 12) * pace)
                moves += 1
                place = place_name_of(story, step.scene)
                await timed(page.progress("playing", place, moves), times["progress"])
            summary = ClassroomSession("bench", "/nonexistent").summary(game)
            status, answer = await timed(page.send_summary(summary), times["summary"])
            assert status == 200, answer
            sent[page.session] = summary
            await timed(page.progress("ended", place_name_of(story, game.scene_id), moves), times["progress"])


async def school(base: str, students: int, pace: float, seed: int, pid: int) -> dict:
    times = {"page": [], "join": [], "progress": [], "summary": []}
    sent: dict[str, dict] = {}
    peak = [rss_kib(pid)]

    async def sample() -> None:
        while True:
            peak.append(rss_kib(pid))
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    results = await asyncio.gather(*(student(base, n, pace, seed, times, sent) for n in range(students)),
                                   return_exceptions=True)
    elapsed = time.perf_counter() - started
    sampler.cancel()
    failures = [r for r in results if isinstance(r, BaseException)]
    return {"times": times, "sent": sent, "peak": max(peak), "elapsed": elapsed, "failures": failures}


def check_summaries(folder: Path, sent: dict[str, dict]) -> tuple[int, int, int]:
    """(files written, lost, clobbered): each session's file must hold the last summary it sent."""
    written = {p.name.split("-", 1)[0]: json.loads(p.read_text()) for p in folder.glob("*-demo.json")}
    lost = sum(1 for session in sent if session not in written)
    clobbered = sum(1 for session, summary in sent.items() if session in written and (
        [c.get("choice") for c in written[session]["choices"]] != [c.get("choice") for c in summary["choices"]]
        or written[session]["ending"] != summary["ending"]))
    return len(written), lost, clobbered


# --- the terminal server: 10 sessions -----------------------------------------------------------------


async def terminal_sessions(base: str, pid: int, sessions: int) -> dict:
    from _webclient import BrowserSession

    idle = rss_kib(pid, tree=True)
    hold = asyncio.Event()
    ready: list[float] = []

    async def tab() -> None:
        async with BrowserSession(base, width=100, height=32) as browser:
            await browser.wait_for("Sit this one out", timeout=300)
            ready.append(1)
            await hold.wait()

    tasks = [asyncio.create_task(tab()) for _ in range(sessions)]
    while len(ready) < sessions:
        await asyncio.sleep(0.1)
        for task in tasks:
            if task.done() and task.exception():
                raise task.exception()
    await asyncio.sleep(1)
    busy = rss_kib(pid, tree=True)
    hold.set()
    await asyncio.gather(*tasks)
    return {"idle": idle, "busy": busy, "per": (busy - idle) / sessions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--pace", type=float, default=1.0,
                        help="scale the 3-12 s a student takes per choice (0.1 for a short try)")
    parser.add_argument("--terminal-sessions", type=int, default=10)
    parser.add_argument("--port", type=int, default=18250)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="understood-serve-web-bench-"))
    server = start_server([], work, args.port)
    try:
        wait_for(args.port)
        time.sleep(0.5)
        idle = rss_kib(server.pid)
        web = asyncio.run(school(f"http://127.0.0.1:{args.port}", args.students, args.pace, args.seed, server.pid))
        after = rss_kib(server.pid)
    finally:
        stop(server)
    written, lost, clobbered = check_summaries(work / "classes" / "bench", web["sent"])
    shutil.rmtree(work / "classes", ignore_errors=True)

    terminal = None
    if args.terminal_sessions:
        server = start_server(["--terminal"], work, args.port + 1)
        try:
            wait_for(args.port + 1)
            time.sleep(0.5)
            terminal = asyncio.run(terminal_sessions(f"http://127.0.0.1:{args.port + 1}", server.pid,
                                                     args.terminal_sessions))
        finally:
            stop(server)
    shutil.rmtree(work, ignore_errors=True)

    times, n = web["times"], args.students
    per_student = (web["peak"] - idle) / n
    print(f"cpus: {os.cpu_count()}   students: {n}   pace: {args.pace:g} x 3-12 s a choice   "
          f"run: {web['elapsed']:.0f} s   failures: {len(web['failures'])}")
    for failure in web["failures"][:3]:
        print(f"  failure: {failure!r}")
    slowest = max(times["page"])
    print(f"page (all {n} opened at once): {quantiles(times['page'])}   "
          f"{'OK' if slowest < 2 else 'OVER'} (target: every page under 2 s)")
    print(f"join: {quantiles(times['join'])}")
    print(f"progress ({len(times['progress'])} posts): {quantiles(times['progress'])}")
    print(f"summary ({len(times['summary'])} posts, {sum(1 for _ in web['sent'])} sessions): "
          f"{quantiles(times['summary'])}")
    print(f"summaries: {written} files for {len(web['sent'])} sessions, lost {lost}, clobbered {clobbered}   "
          f"{'OK' if not lost and not clobbered and written == len(web['sent']) else 'WRONG'}")
    print(f"server RSS: idle {idle / 1024:.0f} MiB, peak {web['peak'] / 1024:.0f} MiB, after {after / 1024:.0f} MiB   "
          f"{'OK' if web['peak'] < 150 * 1024 else 'OVER'} (target: under 150 MB)")
    whole = web["peak"] / n
    print(f"memory per student, web player:      {per_student:.0f} KiB added ((peak - idle) / {n}); "
          f"{whole:.0f} KiB counting the whole server (peak / {n})")
    if terminal:
        print(f"memory per student, serve --terminal: {terminal['per'] / 1024:.1f} MiB added   "
              f"({args.terminal_sessions} sessions: {terminal['busy'] / 1024:.0f} MiB with the server, idle "
              f"{terminal['idle'] / 1024:.0f} MiB)")
        added = terminal["per"] / per_student if per_student > 0 else float("inf")
        print(f"ratio (terminal / web, per student): {added:.0f}x by memory added, "
              f"{terminal['per'] / whole:.0f}x against the whole web server")


if __name__ == "__main__":
    main()
