"""A browser-like client for `understood serve`: opens the websocket the page opens, reads the
terminal output, and types keys. Used by the serve tests and bench/serve_class.py."""

from __future__ import annotations

import asyncio
import json
import re
import time

import aiohttp

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def plain(output: str) -> str:
    """Terminal output with the escape sequences taken out: the words, roughly as drawn."""
    return ANSI.sub("", output)


class BrowserSession:
    """One browser tab: a websocket to /ws, the text drawn so far, and keys to send."""

    def __init__(self, base_url: str, width: int = 100, height: int = 30):
        self.url = f"{base_url.replace('http', 'ws', 1)}/ws?width={width}&height={height}"
        self.width, self.height = width, height
        self.output = ""
        self._text: list[str] = []  # the drawn words, one piece per message (escapes removed once)
        self._length = 0
        self.closed = False
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Event()
        self.last_output = time.perf_counter()

    async def __aenter__(self) -> "BrowserSession":
        self._http = aiohttp.ClientSession()
        self._ws = await self._http.ws_connect(self.url, heartbeat=30, max_msg_size=0)
        await self._ws.send_str(json.dumps(["resize", {"width": self.width, "height": self.height}]))
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.wait([self._reader], timeout=10)
        if self._http is not None:
            await self._http.close()

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                chunk = message.data.decode("utf-8", "replace")
                self.output += chunk
                piece = plain(chunk)
                self._text.append(piece)
                self._length += len(piece)
            elif message.type == aiohttp.WSMsgType.TEXT:
                pass  # meta messages (open_url, downloads)
            else:
                break
            self.last_output = time.perf_counter()
            self._changed.set()
        self.closed = True
        self._changed.set()

    @property
    def text(self) -> str:
        if len(self._text) > 1:
            self._text[:] = ["".join(self._text)]
        return self._text[0] if self._text else ""

    def mark(self) -> int:
        """A place in the drawn text; `wait_for(..., since=mark)` looks only at what came after it."""
        return self._length

    async def wait_for(self, words: str, *, since: int = 0, timeout: float = 30) -> float:
        """Wait until `words` are drawn (after `since`); returns the seconds it took."""
        start = time.perf_counter()
        deadline = start + timeout
        while words not in self.text[since:]:
            if self.closed:
                raise AssertionError(f"the session closed before showing {words!r}")
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise AssertionError(f"{words!r} was not drawn within {timeout}s; last output: "
                                     f"{self.text[-600:]!r}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 1))
            except asyncio.TimeoutError:
                pass
        return time.perf_counter() - start

    async def settle(self, quiet: float = 0.15, timeout: float = 30) -> None:
        """Wait until nothing has been drawn for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() - self.last_output < quiet and time.perf_counter() < deadline:
            await asyncio.sleep(quiet / 3)

    async def press(self, keys: str) -> None:
        """Type keys as the page would send them ("\\r" is Enter, "\\x1b" is Esc)."""
        assert self._ws is not None
        await self._ws.send_str(json.dumps(["stdin", keys]))
