"""The lock-down probe, run by hand: `python bench/probe_serve.py [--connections 200] [--cap 10]`.

Starts `understood serve --terminal --classroom probe --story demo --max-sessions CAP` on loopback, then
opens CONNECTIONS websockets from a script, all at once: first every one with a foreign Origin
(as a web page open in the teacher's browser would), then every one with none (a script). Each
connection that gets a session waits for the first screen, then goes away without playing.

Prints, for each round: how many were refused and why, the most sessions live at once, the peak
resident memory of the server and its sessions against the server alone (measured in the same
run), and how many summaries reached the class folder (the target: none, as nobody played).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from serve_class import rss_kib, wait_for_server  # noqa: E402


async def connect(base: str, origin: str | None, hold: float, outcome: dict) -> None:
    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession() as http:
        try:
            async with http.ws_connect(f"{base.replace('http', 'ws', 1)}/ws?width=80&height=24",
                                       headers=headers, max_msg_size=0) as ws:
                outcome["opened"] += 1
                await ws.send_str(json.dumps(["resize", {"width": 80, "height": 24}]))
                end = time.perf_counter() + hold
                while time.perf_counter() < end:
                    try:
                        await ws.receive(timeout=max(0.05, end - time.perf_counter()))
                    except asyncio.TimeoutError:
                        break
        except aiohttp.WSServerHandshakeError as exc:
            outcome[f"refused {exc.status}"] = outcome.get(f"refused {exc.status}", 0) + 1
        except aiohttp.ClientError as exc:
            outcome[type(exc).__name__] = outcome.get(type(exc).__name__, 0) + 1


async def status(base: str, token: str) -> dict:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/class?token={token}") as answer:
            return await answer.json()


async def round_of(base: str, token: str, pid: int, connections: int, origin: str | None, hold: float) -> dict:
    outcome = {"opened": 0}
    peak = {"live": 0, "rss": 0}

    async def watch():
        while True:
            peak["rss"] = max(peak["rss"], rss_kib(pid))
            peak["live"] = max(peak["live"], (await status(base, token))["live"])
            await asyncio.sleep(0.2)

    watcher = asyncio.create_task(watch())
    started = time.perf_counter()
    await asyncio.gather(*(connect(base, origin, hold, outcome) for _ in range(connections)))
    for _ in range(100):  # every session released
        if (await status(base, token))["live"] == 0:
            break
        await asyncio.sleep(0.2)
    watcher.cancel()
    outcome.update(seconds=round(time.perf_counter() - started, 1), peak_live=peak["live"],
                   peak_rss_mib=round(peak["rss"] / 1024), after=await status(base, token))
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--cap", type=int, default=10)
    parser.add_argument("--port", type=int, default=18321)
    parser.add_argument("--hold", type=float, default=8.0, help="seconds each session stays open")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="understood-probe-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UNDERSTOOD_CONFIG": str(work / "config")}
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--terminal", "--port", str(args.port), "--classroom", "probe", "--story", "demo",
         "--max-sessions", str(args.cap)],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    console: list[str] = []
    reader = threading.Thread(target=lambda: console.extend(iter(server.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        wait_for_server(args.port)
        token = ""
        while not token:
            token = next((line.rsplit("token=", 1)[1].strip() for line in list(console) if "token=" in line), "")
            time.sleep(0.1)
        base = f"http://127.0.0.1:{args.port}"
        alone = rss_kib(server.pid)
        print(f"server alone: {alone / 1024:.0f} MiB; cap {args.cap}; {args.connections} connections a round")
        for name, origin in (("foreign Origin", "http://evil.example"), ("no Origin", None)):
            result = asyncio.run(round_of(base, token, server.pid, args.connections, origin, args.hold))
            summaries = len(list((work / "classes" / "probe").glob("*.json")))
            print(f"{name}: {json.dumps(result)}; summaries in the class folder: {summaries}")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        reader.join(timeout=5)
        out = "".join(console)
        print(f"server console: {len(console)} lines, {out.count('Traceback')} tracebacks")
        for line in console:
            if "refused" in line or "error" in line.lower():
                print("   ", line.rstrip())
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
