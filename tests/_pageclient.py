"""A student's page, as an HTTP client: what the web player does against `understood serve`
(docs/web-protocol.md). Used by the class server tests and bench/serve_web.py."""

from __future__ import annotations

import gzip
import json
import re

import aiohttp

SERVER_JSON = re.compile(r'<script type="application/json" id="understood-server">(.*?)</script>', re.S)


class StudentPage:
    """One browser tab: fetches the page, joins once, reports progress and sends its summary."""

    def __init__(self, http: aiohttp.ClientSession, base: str):
        self.http, self.base = http, base.rstrip("/")
        self.session: str | None = None
        self.key: str | None = None
        self.story: str | None = None
        self.api = "/api"
        self.messages: list[str] = []
        self.closed = False

    async def fetch_page(self) -> tuple[bytes, str]:
        """The page's bytes as they arrive, and their encoding. A benchmark's clock stops here: the
        browser unpacks and reads the page on the student's own device."""
        async with self.http.get(self.base + "/", headers={"Accept-Encoding": "gzip"},
                                 auto_decompress=False) as answer:
            assert answer.status == 200, answer.status
            return await answer.read(), answer.headers.get("Content-Encoding", "")

    def read_page(self, fetched: tuple[bytes, str]) -> str:
        body, encoding = fetched
        page = (gzip.decompress(body) if encoding == "gzip" else body).decode("utf-8")
        found = SERVER_JSON.search(page)
        if found:  # the real player says where the API is
            self.api = json.loads(found.group(1))["api"]
        return page

    async def open(self) -> str:
        return self.read_page(await self.fetch_page())


    async def post(self, path: str, body: dict) -> tuple[int, dict]:
        async with self.http.post(self.base + self.api + path, json=body) as answer:
            return answer.status, await answer.json()

    async def join(self) -> dict:
        status, data = await self.post("/join", {})
        assert status == 200, data
        self.session, self.key, self.story = data["session"], data["key"], data["story"]
        return data

    async def progress(self, stage: str, place: str = "", moves: int = 0) -> dict:
        status, data = await self.post("/progress", {"session": self.session, "key": self.key, "stage": stage,
                                                     "place": place, "moves": moves})
        assert status == 200, data
        if data["message"] and (not self.messages or self.messages[-1] != data["message"]):
            self.messages.append(data["message"])
        self.closed = data["closed"]
        return data

    async def send_summary(self, summary: dict) -> tuple[int, dict]:
        return await self.post("/summary", {"session": self.session, "key": self.key, "summary": summary})
