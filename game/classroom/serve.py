"""`understood serve`: the game in web browsers, one session per browser, through textual-serve.

Each browser that opens the page gets its own `understood` process (the TUI) with its own
throwaway saves and settings folders, so students never see each other's places and a theme one
student picks does not follow the next. What we add to textual-serve:
a count of live sessions, a page that fetches nothing from outside (no web fonts), addresses built
from the address the browser used (so `--host 0.0.0.0` works from other machines), and plain words
about who can reach the server.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shlex
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

import textual_serve
from game.classroom.reach import is_every_interface, is_loopback, network_address, reach_line, url_for  # noqa: F401

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
FONT_SIZE = 16
PROJECTOR_FONT_SIZE = 28  # the browser's terminal font, in pixels, with --projector
STATIC = Path(textual_serve.__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent.parent / "data"
PAGE = "serve_index.html"
HOST_HEADER = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?\Z|\[[0-9A-Fa-f:.]+\](:\d{1,5})?\Z")

log = logging.getLogger("understood.serve")


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """What every browser session runs with."""

    classroom: str | None = None
    classes: Path | None = None  # absolute; sessions may start in another directory
    story: str | None = None
    stories: tuple[Path, ...] = ()
    projector: bool = False
    python: str = field(default_factory=lambda: sys.executable)


def session_command(options: SessionOptions) -> list[str]:
    """The command line one browser session runs: the `understood` TUI, in classroom mode if asked.

    It runs `python -m game` with this interpreter, so a server started from a virtual
    environment serves that environment's game.
    """
    command = [options.python, "-m", "game"]
    if options.story:
        command += ["play", options.story]
    if options.classroom:
        command += ["--classroom", options.classroom]
        if options.classes is not None:
            command += ["--classes", str(options.classes)]
    for folder in options.stories:
        command += ["--stories", str(folder)]
    if options.projector:
        command.append("--projector")
    return command


def session_environment(folder: Path, settings: Path | None = None) -> dict[str, str]:
    """Environment overrides for one session: its own saves and settings under `folder`, the
    settings starting as a copy of the facilitator's (so a class can be set up once)."""
    config = folder / "config"
    config.mkdir(parents=True, exist_ok=True)
    if settings is not None and settings.is_file():
        shutil.copyfile(settings, config / settings.name)
    return {"UNDERSTOOD_SAVES": str(folder / "saves"), "UNDERSTOOD_CONFIG": str(config)}


class SessionService(AppService):
    """textual-serve's app process, with a few environment variables of its own."""

    def __init__(self, command: str, *, environment: dict[str, str], **kwargs):
        super().__init__(command, **kwargs)
        self.extra_environment = environment

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return {**super()._build_environment(width, height), **self.extra_environment}


def facilitator_settings() -> Path | None:
    """The settings file sessions start from (the facilitator's own), if there is one."""
    try:
        from game.settings import settings_path
    except ImportError:  # the TUI's settings are not there yet
        return None
    return settings_path()


def startup_lines(host: str, port: int, options: SessionOptions) -> list[str]:
    open_at = url_for(host, port)
    if is_every_interface(host):
        lan = network_address()
        open_at = url_for(lan, port) if lan else f"http://<this computer's address>:{port}"
    lines = [f"Understood is being served. Open {open_at} in a browser; each browser tab gets its own session.",
             reach_line(host, port)]
    if options.classroom:
        folder = (options.classes or Path("classes").resolve()) / options.classroom
        lines.append(f"Class '{options.classroom}': anonymous summaries go to {folder}/")
        lines.append(f"Afterwards: understood report {folder}/")
    if options.story:
        lines.append(f"Everyone plays '{options.story}'.")
    lines.append("Press Ctrl+C to stop.")
    return lines


class ClassServer(Server):
    """textual-serve's server, with session counting and a page that fetches nothing from outside."""

    def __init__(self, options: SessionOptions, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                 title: str = "Understood", out: TextIO | None = None):
        super().__init__(shlex.join(session_command(options)), host=host, port=port, title=title,
                         statics_path=STATIC, templates_path=TEMPLATES)
        self.options = options
        self.out = out or sys.stdout
        self.live = 0
        self.started = 0
        self._sessions_root = Path(tempfile.mkdtemp(prefix="understood-serve-"))
        self._sockets: set[web.WebSocketResponse] = set()
        self._settings = facilitator_settings()

    # --- what the facilitator sees ----------------------------------------------------------

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        for line in startup_lines(self.host, self.port, self.options):
            self.say(line)

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: close every browser's connection, so each session quits (writing its summary)
        at once rather than when the connections time out."""
        if self._sockets:
            self.say(f"Stopping: closing {self.live} session{'s' * (self.live != 1)}...")
        await asyncio.gather(*(socket.close(code=WSCloseCode.GOING_AWAY, message=b"The server stopped.")
                               for socket in list(self._sockets)), return_exceptions=True)

    async def on_cleanup(self, app: web.Application) -> None:
        shutil.rmtree(self._sessions_root, ignore_errors=True)

    def announce(self) -> None:
        noun = "session" if self.live == 1 else "sessions"
        self.say(f"[{datetime.now():%H:%M}] {self.live} {noun} live ({self.started} started)")

    # --- the web side -----------------------------------------------------------------------

    @property
    def font_size(self) -> int:
        return PROJECTOR_FONT_SIZE if self.options.projector else FONT_SIZE

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        app.on_cleanup.append(self.on_cleanup)
        return app

    def base_url(self, request: web.Request) -> str:
        """The address as the browser used it, so links work from any machine that can reach us."""
        host = request.headers.get("Host", "")
        return f"http://{host}" if HOST_HEADER.match(host) else self.public_url

    @aiohttp_jinja2.template(PAGE)
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        base = self.base_url(request)
        router = request.app.router
        return {
            "font_size": to_int(request.query.get("fontsize", ""), self.font_size),
            "app_websocket_url": "ws:" + base.split(":", 1)[1] + str(router["websocket"].url_for()),
            "config": {"static": {"url": base + str(router["static"].url_for(filename="/")).rstrip("/") + "/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser, one `understood` process, with its own saves and settings."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        folder = Path(tempfile.mkdtemp(dir=self._sessions_root))
        app_service: AppService | None = None
        counted = False
        self._sockets.add(websocket)
        try:
            await websocket.prepare(request)
            app_service = SessionService(self.command, environment=session_environment(folder, self._settings),
                                         write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                         close=websocket.close, download_manager=self.download_manager,
                                         debug=self.debug)
            await app_service.start(width, height)
            self.live += 1
            self.started += 1
            counted = True
            self.announce()
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one broken session must not stop the class
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()
            self._sockets.discard(websocket)
            if counted:
                self.live -= 1
                self.announce()
            shutil.rmtree(folder, ignore_errors=True)
        return websocket
