"""The served page in a real browser: run by hand, `python bench/serve_browser.py [--out FILE.png]`.

Starts `understood serve` on loopback and opens it in headless Chromium, which takes a screenshot
once the game has drawn its title screen. Chromium comes from the system packages: if it is
missing and this runs as root, it is installed with apt-get (`chromium`); otherwise the script
says how to install it. Prints the screenshot's path; look at it to see the title screen.
"""

from __future__ import annotations

import argparse
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--out", default="serve-title.png")
    parser.add_argument("--wait", type=int, default=8000, help="milliseconds the page may run before the shot")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("Chromium was not found. Install it (e.g. `sudo apt-get install chromium`) and run again.",
              file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="understood-browser-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "UNDERSTOOD_CONFIG": str(work / "config")}
    server = subprocess.Popen([sys.executable, "-m", "game", "serve", "--port", str(args.port)], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = Path(args.out).resolve()
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--window-size=1200,800", f"--virtual-time-budget={args.wait}", f"--screenshot={out}",
             f"http://127.0.0.1:{args.port}/"],
            capture_output=True, text=True, timeout=120)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    if not out.exists():
        print(f"No screenshot was taken:\n{result.stderr[-2000:]}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
