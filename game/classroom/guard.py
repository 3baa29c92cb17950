"""What every classroom web server checks before it does anything: reusable aiohttp middleware.

The threat model (docs/facilitator-guide.md, "Who can reach the server"): the server listens on
loopback by default, or on a classroom network with `--host`. Three things must not work:

- **A web page in the teacher's browser talking to the server** (cross-site requests and
  cross-site websockets): every request carrying an `Origin` must come from a page this server
  served (its host is one of the allowed names). Requests with no `Origin` are not from a web
  page's script, and pass.
- **DNS rebinding** (a hostile name that resolves to 127.0.0.1): the `Host` header must be one
  of the allowed names: loopback names, the address the server is bound to, this computer's
  network address when bound to every interface, and names given with `--allow-host`.
- **Exhausting the machine**: request bodies and websocket messages are size-limited, and live
  sessions are capped (`SessionCap`), with a clear page when the class is full.

Anything that controls or reads the class as a whole (the facilitator's page, messages, ending
sessions) also needs the facilitator's token (`Policy.token`), printed in the server's terminal.

    policy = Policy.for_server(host, port, allow_hosts=args.allow_host)
    app = web.Application(middlewares=[guard_middleware(policy)], client_max_size=policy.max_body)
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import secrets
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Iterable
from urllib.parse import urlsplit

from aiohttp import web

from game.safe_json import MAX_JSON_DEPTH, BadJSON, loads_bounded
from game.safe_text import clean_line

log = logging.getLogger("understood.guard")

MAX_BODY_BYTES = 64 * 1024  # a request body (docs/web-protocol.md)
MAX_WS_MESSAGE_BYTES = 64 * 1024  # one websocket message (a terminal session's keys and resizes)
MAX_URL_BYTES = 4096
SESSION_MEMORY_BYTES = 64 * 1024 * 1024  # what one terminal session may take, with headroom (measured ~28 MB)
SESSIONS_PER_CORE = 20
MIN_SESSIONS, MAX_SESSIONS = 4, 200
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "localhost.localdomain"})
EVERY_INTERFACE = frozenset({"", "0.0.0.0", "::"})
TOKEN_PARAMETER = "token"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# --- names the server answers to -------------------------------------------------------------------


def bare_host(value: str) -> str:
    """A Host header or URL authority without its port or brackets, lowercased: '[::1]:8000' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else ""
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def is_loopback(host: str) -> bool:
    host = bare_host(host)
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def machine_addresses() -> set[str]:
    """This computer's own names and addresses, best effort (nothing is sent)."""
    names: set[str] = set()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            names.add(probe.getsockname()[0])
    except OSError:
        pass
    try:
        hostname = socket.gethostname()
        names.update({hostname.lower(), socket.getfqdn().lower()})
    except OSError:
        pass
    return {n for n in names if n}


def allowed_hosts(bound: str, allow: Iterable[str] = ()) -> frozenset[str]:
    """The names a Host or Origin may carry for a server bound to `bound`."""
    names = set(LOOPBACK_NAMES)
    bound_name = bare_host(bound)
    if bound_name in EVERY_INTERFACE:
        names |= machine_addresses()
    else:
        names.add(bound_name)
    names |= {bare_host(a) for a in allow if a and a.strip()}
    return frozenset(names)


# --- the session cap -------------------------------------------------------------------------------


def default_session_cap() -> int:
    """Sessions this machine can hold: by cores and by the memory free now, within 4..200."""
    cores = os.cpu_count() or 1
    cap = cores * SESSIONS_PER_CORE
    available = _available_memory()
    if available:
        cap = min(cap, available // SESSION_MEMORY_BYTES)
    return max(MIN_SESSIONS, min(MAX_SESSIONS, cap))


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


class SessionCap:
    """At most `limit` live sessions. `take()` gives a ticket or None when full; `release(ticket)`
    gives it back and is safe to call twice (a session that dies uncleanly is released once)."""

    def __init__(self, limit: int | None = None):
        self.limit = limit if limit is not None else default_session_cap()
        self._live: set[int] = set()
        self._next = 0
        self.refused = 0

    @property
    def live(self) -> int:
        return len(self._live)

    @property
    def full(self) -> bool:
        return len(self._live) >= self.limit

    def take(self) -> int | None:
        if self.full:
            self.refused += 1
            return None
        self._next += 1
        self._live.add(self._next)
        return self._next

    def release(self, ticket: int | None) -> bool:
        """True when the ticket was live (and is now given back)."""
        if ticket is None or ticket not in self._live:
            return False
        self._live.discard(ticket)
        return True


# --- the policy and the middleware -----------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """What a server accepts. `protected` are path prefixes that need the facilitator's token."""

    hosts: frozenset[str]
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    protected: tuple[str, ...] = ()
    max_body: int = MAX_BODY_BYTES

    @classmethod
    def for_server(cls, host: str, port: int | None = None, *, allow_hosts: Iterable[str] = (),
                   protected: Iterable[str] = (), token: str | None = None,
                   max_body: int = MAX_BODY_BYTES) -> "Policy":
        kwargs: dict[str, Any] = {"token": token} if token else {}
        return cls(allowed_hosts(host, allow_hosts), protected=tuple(protected), max_body=max_body, **kwargs)

    def host_ok(self, host: str | None) -> bool:
        return bool(host) and bare_host(host) in self.hosts

    def origin_ok(self, origin: str | None) -> bool:
        """No Origin (not a web page's script), or a page served under one of our names."""
        if origin is None:
            return True
        try:
            parts = urlsplit(origin.strip())
        except ValueError:
            return False
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.hostname.lower() in self.hosts

    def token_ok(self, request: web.Request) -> bool:
        given = request.query.get(TOKEN_PARAMETER) or _bearer(request.headers.get("Authorization", ""))
        return bool(given) and hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode())

    def needs_token(self, path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.protected)


def _bearer(header: str) -> str:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def refusal(status: int, message: str) -> web.Response:
    """A short, plain page (or JSON for API paths) saying why, with nothing from the request in it."""
    return web.Response(status=status, text=f"{message}\n", content_type="text/plain", charset="utf-8",
                        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


def json_refusal(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers={"Cache-Control": "no-store"})


def guard_middleware(policy: Policy):
    """Host, Origin, URL and body-size checks for every request, and the token for protected paths."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        api = request.path.startswith("/api/")
        refuse = json_refusal if api else refusal
        if len(request.raw_path) > MAX_URL_BYTES:
            return refuse(414, "That address is too long.")
        if not policy.host_ok(request.headers.get("Host")):
            note(request, "unknown Host")
            return refuse(421, "This server does not answer to that name. Open the address printed in "
                               "the facilitator's terminal.")
        if not policy.origin_ok(request.headers.get("Origin")):
            note(request, "foreign Origin")
            return refuse(403, "Only pages from this server may talk to it.")
        length = request.content_length
        if length is not None and length > policy.max_body:
            return refuse(413, "That request is too large.")
        if policy.needs_token(request.path) and not policy.token_ok(request):
            note(request, "missing or wrong token")
            return refuse(403, "This page is for the facilitator: open the address with the token printed "
                               "in the server's terminal.")
        return await handler(request)

    return guard


NOTE_EVERY_SECONDS = 10.0
_noted: dict[str, tuple[float, int]] = {}  # reason -> (when last logged, refusals not logged since)


def note(request: web.Request, why: str) -> None:
    """One log line for a refused request: what and why, cleaned (headers are untrusted)."""
    warn_now_and_then(why, f"refused {request.method} {clean_line(request.path)[:80]}: {why}")


def warn_now_and_then(key: str, message: str, logger: logging.Logger = log) -> None:
    """Log `message`, but a flood of the same kind (a page opening hundreds of sockets) is one
    line per `key` every ten seconds, with a count of the ones not shown."""
    now = time.monotonic()
    last, quiet = _noted.get(key, (float("-inf"), 0))
    if now - last < NOTE_EVERY_SECONDS:
        _noted[key] = (last, quiet + 1)
        return
    _noted[key] = (now, 0)
    more = f" (and {quiet} more like it)" if quiet else ""
    logger.warning("%s%s", message, more)


# --- bounded JSON (game/safe_json.py) -------------------------------------------------------------


async def read_json(request: web.Request, *, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """A request's JSON body, read no further than `max_bytes`; BadJSON when it will not do."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise BadJSON(f"it is over {max_bytes:,} bytes")
    body = await request.content.read(max_bytes + 1)
    return loads_bounded(body, max_bytes=max_bytes)


__all__ = [
    "BadJSON", "MAX_BODY_BYTES", "MAX_WS_MESSAGE_BYTES", "Policy", "SessionCap", "allowed_hosts", "bare_host",
    "default_session_cap", "guard_middleware", "is_loopback", "json_refusal", "loads_bounded", "read_json",
    "refusal", "warn_now_and_then",
]
