"""The served page in a real browser: run by hand, `python bench/serve_browser.py [--out FILE.png]`.

Starts `understood serve` on loopback and opens it in headless Chromium (driven over its DevTools
protocol), which takes a screenshot after a few seconds of real time, when the game has drawn its
title screen. Chromium comes from the system packages: if it is
missing and this runs as root, it is installed with apt-get (`chromium`); otherwise the script
says how to install it. Prints the screenshot's path; look at it to see the title screen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    for name in BROWSERS:
        if shutil.which(name):
            return shutil.which(name)
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing chromium from the system packages (apt-get)...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=False, env=env,
                       stdout=subprocess.DEVNULL)
        return shutil.which("chromium")
    return None


async def screenshot(chromium: str, url: str, out: Path, wait: float, port: int = 9333) -> None:
    """Open `url` in headless Chromium, let it run for `wait` real seconds, save a PNG (via CDP)."""
    import base64
    import json

    import aiohttp

    browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                "--window-size=1200,800", f"--remote-debugging-port={port}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/json") as response:
                        pages = [t for t in await response.json() if t.get("type") == "page"]
                    if pages:
                        break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise SystemExit("Chromium did not start")
            async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as cdp:
                async def call(number: int, method: str, **params) -> dict:
                    await cdp.send_str(json.dumps({"id": number, "method": method, "params": params}))
                    async for message in cdp:
                        data = json.loads(message.data)
                        if data.get("id") == number:
                            return data.get("result", {})
                    return {}

                await call(1, "Page.navigate", url=url)
                await asyncio.sleep(wait)
                shot = await call(2, "Page.captureScreenshot", format="png")
        out.write_bytes(base64.b64decode(shot["data"]))
    finally:
        browser.terminate()
        browser.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--out", default="serve-title.png")
    parser.add_argument("--wait", type=float, default=5.0, help="seconds the page may run before the shot")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("Chromium was not found. Install it (e.g. `sudo apt-get install chromium`) and run again.",
              file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="understood-browser-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UNDERSTOOD_CONFIG": str(work / "config")}
    server = subprocess.Popen([sys.executable, "-m", "game", "serve", "--terminal", "--port", str(args.port)], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = Path(args.out).resolve()
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        asyncio.run(screenshot(chromium, f"http://127.0.0.1:{args.port}/", out, args.wait))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
