"""`understood serve`: the game in web browsers, one session per browser, through textual-serve.

Each browser that opens the page gets its own `understood` process (the TUI) with its own
throwaway saves and settings folders, so students never see each other's places and a theme one
student picks does not follow the next. What we add to textual-serve:
a count of live sessions, a page that fetches nothing from outside (no web fonts), addresses built
from the address the browser used (so `--host 0.0.0.0` works from other machines), and plain words
about who can reach the server.

And the lock-down (game/classroom/guard.py; the threat model is in docs/facilitator-guide.md):
Host and Origin checks on every request, a session cap with a clear page when the class is full,
terminal sizes kept within bounds, bounded websocket messages (a bad one is one log line), a
session released exactly once however it ends (its process stopped, or killed when it will not
stop), and the facilitator's token for the one page that reads the class (`/class`).
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
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

import textual_serve
from game.classroom.guard import (
    MAX_WS_MESSAGE_BYTES,
    BadJSON,
    Policy,
    SessionCap,
    guard_middleware,
    loads_bounded,
    refusal,
    warn_now_and_then,
)
from game.classroom.reach import is_every_interface, is_loopback, network_address, reach_line, url_for
from game.safe_text import clean_line

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
FONT_SIZE = 16
PROJECTOR_FONT_SIZE = 28  # the browser's terminal font, in pixels, with --projector
STATIC = Path(textual_serve.__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent.parent / "data"
PAGE = "serve_index.html"
HOST_HEADER = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?\Z|\[[0-9A-Fa-f:.]+\](:\d{1,5})?\Z")
MIN_WIDTH, MAX_WIDTH = 20, 400  # a browser terminal's size in cells, whatever the page asks for
MIN_HEIGHT, MAX_HEIGHT = 8, 200
MIN_FONT, MAX_FONT = 8, 72
STOP_SECONDS = 10  # a session's process gets this long to quit (and write its summary) before it is killed
STATUS_PATH = "/class"
MAX_BAD_MESSAGES = 100  # a session sending more than this many bad messages is closed
FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The class is full</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:18px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;
background:#1B1F27;color:#E6E1D8}}</style></head>
<body><h1>The class is full right now</h1>
<p>All {limit} places are in use. Wait a minute and reload this page, or ask your facilitator.</p>
</body></html>
"""

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
    allow_hosts: tuple[str, ...] = ()  # more names the server answers to (--allow-host)
    max_sessions: int | None = None  # the session cap (None: sized to this machine)


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

    # Private textual-serve API, unavoidable: AppService builds the app process's environment here
    # and takes no environment argument of its own (textual-serve 1.1); each class session needs
    # its own saves and settings folders.
    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return {**super()._build_environment(width, height), **self.extra_environment}


def facilitator_settings() -> Path | None:
    """The settings file sessions start from (the facilitator's own), if there is one."""
    try:
        from game.settings import settings_path
    except ImportError:  # the TUI's settings are not there yet
        return None
    return settings_path()


def bounded(value: str | None, default: int, low: int, high: int) -> int:
    """A number from a URL or a message, kept within [low, high]; nonsense gives the default."""
    number = to_int(str(value)[:8], default) if value is not None else default
    return default if number <= 0 else max(low, min(high, number))


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
        self.cap = SessionCap(options.max_sessions)
        self.policy = Policy.for_server(host, port, allow_hosts=options.allow_hosts, protected=[STATUS_PATH])
        self.started = 0
        self.bad_messages = 0
        self._sessions_root = Path(tempfile.mkdtemp(prefix="understood-serve-"))
        self._sockets: set[web.WebSocketResponse] = set()
        self._settings = facilitator_settings()

    # --- what the facilitator sees ----------------------------------------------------------

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")

    @property
    def live(self) -> int:
        return self.cap.live

    async def on_startup(self, app: web.Application) -> None:
        for line in startup_lines(self.host, self.port, self.options):
            self.say(line)
        self.say(f"At most {self.cap.limit} sessions at once (--max-sessions). The class's live count, for you "
                 f"only: {url_for(self.host if not is_every_interface(self.host) else '127.0.0.1', self.port)}"
                 f"{STATUS_PATH}?token={self.policy.token}")

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
        app = web.Application(middlewares=[guard_middleware(self.policy)], client_max_size=self.policy.max_body)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.get(STATUS_PATH, self.handle_status, name="status"),
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

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.cap.full:
            return self.full_page()
        return await self.render_index(request)

    def full_page(self) -> web.Response:
        return web.Response(status=503, text=FULL_PAGE.format(limit=self.cap.limit), content_type="text/html",
                            headers={"Retry-After": "30", "Cache-Control": "no-store"})

    async def handle_status(self, request: web.Request) -> web.Response:
        """The class's live count, for the facilitator (the guard checks the token)."""
        return web.json_response({"live": self.cap.live, "started": self.started, "limit": self.cap.limit,
                                  "refused": self.cap.refused, "bad_messages": self.bad_messages},
                                 headers={"Cache-Control": "no-store"})

    @aiohttp_jinja2.template(PAGE)
    async def render_index(self, request: web.Request) -> dict[str, Any]:
        base = self.base_url(request)
        router = request.app.router
        return {
            "font_size": bounded(request.query.get("fontsize"), self.font_size, MIN_FONT, MAX_FONT),
            "app_websocket_url": "ws:" + base.split(":", 1)[1] + str(router["websocket"].url_for()),
            "config": {"static": {"url": base + str(router["static"].url_for(filename="/")).rstrip("/") + "/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """One browser, one `understood` process, with its own saves and settings.

        The session's place under the cap is taken before anything starts and given back exactly
        once in `finally`, before anything there can wait or fail, so a session that dies any way
        (the tab closed, the process crashed, the server stopping) leaves no count or folder behind.
        """
        ticket = self.cap.take()
        if ticket is None:
            warn_now_and_then("full", f"refused a session: the class is full ({self.cap.live} of {self.cap.limit})", log)
            return self.full_page()
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_WS_MESSAGE_BYTES)
        width = bounded(request.query.get("width"), 80, MIN_WIDTH, MAX_WIDTH)
        height = bounded(request.query.get("height"), 24, MIN_HEIGHT, MAX_HEIGHT)
        folder: Path | None = None
        app_service: SessionService | None = None
        self._sockets.add(websocket)
        try:
            await websocket.prepare(request)
            folder = Path(tempfile.mkdtemp(dir=self._sessions_root))
            app_service = SessionService(self.command, environment=session_environment(folder, self._settings),
                                         write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                         close=websocket.close, download_manager=self.download_manager,
                                         debug=self.debug)
            await app_service.start(width, height)
            self.started += 1
            self.announce()
            await self._until_either_ends(websocket, app_service)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # one broken session must not stop the class: one line, no traceback
            log.warning("a session ended with an error: %s", clean_line(f"{type(error).__name__}: {error}")[:200])
        finally:
            self._sockets.discard(websocket)
            released = self.cap.release(ticket)
            if app_service is not None:
                await self._stop(app_service)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            if not websocket.closed:
                try:
                    await websocket.close()
                except Exception:
                    pass
            if released and app_service is not None:
                self.announce()
        return websocket

    async def _until_either_ends(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """Relay the browser's messages until the browser goes or the session's process ends (a
        crashed process must not hold its place until the tab is closed)."""
        messages = asyncio.ensure_future(self._process_messages(websocket, app_service))
        process = getattr(app_service, "_task", None)  # textual-serve's task reading the process
        try:
            await asyncio.wait([messages] + ([process] if process is not None else []),
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not messages.done():
                messages.cancel()
                await asyncio.gather(messages, return_exceptions=True)
        if messages.done() and not messages.cancelled() and messages.exception() is not None:
            raise messages.exception()

    async def _stop(self, app_service: AppService) -> None:
        """Ask the session's process to quit (it writes its summary), and kill it if it will not."""
        process = getattr(app_service, "_process", None)  # textual-serve keeps it private
        try:
            await asyncio.wait_for(asyncio.shield(app_service.stop()), STOP_SECONDS)
        except (asyncio.TimeoutError, asyncio.CancelledError, Exception):
            if process is not None and process.returncode is None:
                log.warning("a session's process did not quit within %s seconds; stopped it", STOP_SECONDS)
                try:
                    process.kill()
                    await asyncio.wait_for(process.wait(), STOP_SECONDS)
                except (ProcessLookupError, asyncio.TimeoutError):
                    pass
        task = getattr(app_service, "_task", None)
        if task is not None and not task.done():  # it reads the process's output to its end
            await asyncio.wait([task], timeout=STOP_SECONDS)
        if process is not None and process.returncode is not None:
            transport = getattr(process, "_transport", None)
            if transport is not None:
                transport.close()  # its pipes, now: a transport left to the garbage collector warns

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """The browser's messages, checked: keys, resizes (bounded), ping, focus and blur. Anything
        else is one log line and is ignored; a session sending little else is closed."""
        bad = 0
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                if message.type == WSMsgType.ERROR:
                    return
                continue
            try:
                envelope = loads_bounded(message.data, max_bytes=MAX_WS_MESSAGE_BYTES, max_depth=4)
                if not (isinstance(envelope, list) and envelope and isinstance(envelope[0], str)):
                    raise BadJSON("not a message")
                await self._dispatch(websocket, app_service, envelope)
            except (BadJSON, KeyError, TypeError, ValueError) as exc:
                self.bad_messages += 1
                bad += 1
                if bad <= 3:
                    log.warning("ignored a bad message from a browser: %s", clean_line(str(exc))[:120])
                if bad > MAX_BAD_MESSAGES:
                    log.warning("closed a session that sent more than %d bad messages", MAX_BAD_MESSAGES)
                    return

    async def _dispatch(self, websocket: web.WebSocketResponse, app_service: AppService, envelope: list) -> None:
        kind = envelope[0]
        data = envelope[1] if len(envelope) > 1 else None
        if kind == "stdin":
            if not isinstance(data, str):
                raise TypeError("keys that are not text")
            await app_service.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize":
            if not isinstance(data, dict):
                raise TypeError("a resize without a size")
            await app_service.set_terminal_size(bounded(data.get("width"), 80, MIN_WIDTH, MAX_WIDTH),
                                                bounded(data.get("height"), 24, MIN_HEIGHT, MAX_HEIGHT))
        elif kind == "ping":
            await websocket.send_json(["pong", clean_line(str(data))[:64]])
        elif kind == "blur":
            await app_service.blur()
        elif kind == "focus":
            await app_service.focus()
        else:
            raise ValueError(f"unknown message {kind[:20]!r}")
