"""The class server: one aiohttp application for the student page, its small JSON API, and the
facilitator's pages. Routes and their bodies are fixed in docs/web-protocol.md.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import secrets
import sys
from pathlib import Path
from typing import Iterable, TextIO

from aiohttp import web

from game.classroom.guard import Policy, guard_middleware
from game.classroom.reach import is_loopback, join_url, own_url, reach_line
from game.classroom.report import report_from
from game.classroom.server import pages
from game.classroom.server.checks import (
    MAX_BODY, BadBody, checked_message, checked_progress, checked_summary, clean_line, parse_json)
from game.classroom.server.qr import qr_text
from game.classroom.server.state import MAX_STUDENTS, ClassFull, ClassState
from game.classroom.server.store import SummaryStore
from game.classroom.server.student import student_page
from game.classroom.session import SummaryError
from game.classroom.suppress import DEFAULT_THRESHOLD
from game.story.model import Story

log = logging.getLogger("understood.serve")
STUDENT_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
FACILITATOR_PATHS = ("/teacher", "/api/class", "/api/message")  # the token opens these (game.classroom.guard)
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                  "Cache-Control": "no-store"}


def json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=COMMON_HEADERS)


@web.middleware
async def api_errors(request: web.Request, handler):
    """Every API answer is JSON, errors included; a broken request never shows a traceback."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if not request.path.startswith("/api/") or exc.status < 400:
            raise
        message = "the request is too large" if exc.status == 413 else (exc.reason or "bad request").lower()
        return json_error(exc.status, message)
    except BadBody as exc:
        return json_error(400, str(exc))


class ClassServer:
    """One story, one class: every student's browser and the facilitator's, in one process."""

    def __init__(self, story: Story, *, classroom: str | None, classes: Path | None = None,
                 host: str = "127.0.0.1", port: int = 8000, projector: bool = False,
                 threshold: int = DEFAULT_THRESHOLD, find_story=None, out: TextIO | None = None,
                 limit: int = MAX_STUDENTS, allow_hosts: Iterable[str] = ()):
        self.story = story
        self.host, self.port = host, port
        self.projector = projector
        self.threshold = threshold
        self.find_story = find_story or (lambda story_id: story if story_id == story.id else None)
        self.out = out or sys.stdout
        self.state = ClassState(story.id, limit=limit)
        self.store = SummaryStore(classroom, classes)
        self.allow_hosts = tuple(allow_hosts)
        self.policy = Policy.for_server(host, port, allow_hosts=self.allow_hosts, protected=FACILITATOR_PATHS,
                                        max_body=MAX_BODY)
        self.token = self.policy.token
        page = student_page(story, classroom=classroom).encode("utf-8")
        self._page, self._page_gz = page, gzip.compress(page, 6)
        self._runner: web.AppRunner | None = None

    # --- addresses ----------------------------------------------------------------------------

    @property
    def join_url(self) -> str:
        return join_url(self.host, self.port)

    @property
    def teacher_url(self) -> str:
        return f"{own_url(self.host, self.port)}/teacher?token={self.token}"

    def startup_lines(self) -> list[str]:
        title = clean_line(self.story.title, 120)
        lines = [f"Understood: '{title}' is being served. Students open:", "", f"    {self.join_url}", ""]
        if not self.join_url.startswith("http://<"):
            lines += ["    " + row for row in qr_text(self.join_url).splitlines()] + [""]
        lines.append(reach_line(self.host, self.port, what="the story"))
        lines.append(f"Your page (live progress, messages, the debrief), for you alone: {self.teacher_url}")
        folder = self.store.folder
        if folder is not None:
            lines.append(f"Class '{self.store.classroom}': anonymous summaries go to {folder.resolve()}/")
            lines.append(f"Afterwards: understood report {folder}/")
        else:
            lines.append("No class folder (--classroom NAME): the debrief works until you stop the server, "
                         "and nothing is written.")
        lines.append("Press Ctrl+C to stop.")
        return lines

    # --- the application -----------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[guard_middleware(self.policy), api_errors])
        app.add_routes([
            web.get("/", self.handle_page),
            web.post("/api/join", self.handle_join),
            web.post("/api/progress", self.handle_progress),
            web.post("/api/summary", self.handle_summary),
            web.get("/teacher", self.handle_teacher),
            web.get("/teacher/debrief", self.handle_debrief),
            web.get("/api/class", self.handle_class),
            web.post("/api/message", self.handle_message),
        ])
        return app

    async def start(self) -> web.AppRunner:
        """Listen (port 0 picks a free one, then `self.port` says which)."""
        runner = web.AppRunner(self.app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, backlog=512)
        await site.start()
        server = getattr(site, "_server", None)
        if self.port == 0 and server is not None and server.sockets:
            self.port = server.sockets[0].getsockname()[1]
        self._runner = runner
        return runner

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def serve(self) -> None:
        """Serve until Ctrl+C (OSError if the address cannot be used)."""
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        await self.start()
        for line in self.startup_lines():
            print(line, file=self.out, flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()

    # --- students ------------------------------------------------------------------------------

    async def handle_page(self, request: web.Request) -> web.Response:
        headers = {**COMMON_HEADERS, "Content-Security-Policy": STUDENT_CSP, "Cache-Control": "no-cache",
                   "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            return web.Response(body=self._page_gz, content_type="text/html", charset="utf-8",
                                headers={**headers, "Content-Encoding": "gzip"})
        return web.Response(body=self._page, content_type="text/html", charset="utf-8", headers=headers)

    async def body(self, request: web.Request) -> dict:
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(reason="send JSON (Content-Type: application/json)")
        return parse_json(await request.read())

    def student_of(self, data: dict):
        student = self.state.student(data.get("session"), data.get("key"))
        if student is None:
            raise web.HTTPForbidden(reason="unknown session or wrong key; join again")
        return student

    async def handle_join(self, request: web.Request) -> web.Response:
        await self.body(request)
        try:
            student = self.state.join()
        except ClassFull as exc:
            return json_error(503, str(exc))
        return web.json_response({"session": student.session, "key": student.key, "story": self.story.id},
                                 headers=COMMON_HEADERS)

    async def handle_progress(self, request: web.Request) -> web.Response:
        data = await self.body(request)
        student = self.student_of(data)
        self.state.progress(student, *checked_progress(data))
        return web.json_response({"ok": True, "message": self.state.message, "closed": self.state.closed},
                                 headers=COMMON_HEADERS)

    async def handle_summary(self, request: web.Request) -> web.Response:
        data = await self.body(request)
        student = self.student_of(data)
        summary = checked_summary(data.get("summary"), self.story, student.joined)
        try:
            await self.store.keep(student.session, summary)
        except SummaryError as exc:
            log.error("%s", exc)
            return json_error(500, "the summary could not be written; tell your facilitator")
        student.summary = summary
        student.stage = "sat_out" if summary["opted_out"] else "ended" if summary["completed"] else student.stage
        return web.json_response({"ok": True}, headers=COMMON_HEADERS)

    # --- the facilitator -----------------------------------------------------------------------

    def facilitator(self, request: web.Request) -> bool:
        """The guard has checked the token already; asked again so that no route relies on its order."""
        return self.policy.token_ok(request)

    def refuse_page(self) -> web.Response:
        return web.Response(text=pages.refused_page(), status=403, content_type="text/html",
                            headers={**COMMON_HEADERS, "Content-Security-Policy": pages.csp(None)})

    def live(self) -> dict:
        summaries = self.state.summaries()
        report = report_from("live", summaries, self.find_story, threshold=self.threshold)
        return pages.live_view(self.state, report.stories[0] if report.stories else None, self.threshold)

    async def handle_class(self, request: web.Request) -> web.Response:
        if not self.facilitator(request):
            return json_error(403, "this is for the facilitator")
        return web.json_response(self.live(), headers=COMMON_HEADERS)

    async def handle_message(self, request: web.Request) -> web.Response:
        if not self.facilitator(request):
            return json_error(403, "this is for the facilitator")
        text, end = checked_message(await self.body(request))
        if text:
            self.state.say(text)
        if end:
            self.state.end()
        return web.json_response({"ok": True}, headers=COMMON_HEADERS)

    async def handle_teacher(self, request: web.Request) -> web.Response:
        if not self.facilitator(request):
            return self.refuse_page()
        nonce = secrets.token_urlsafe(12)
        html = pages.facilitator_page(self.story, self.live(), join=self.join_url, token=self.token, nonce=nonce,
                                      projector=self.projector, loopback=is_loopback(self.host))
        return web.Response(text=html, content_type="text/html",
                            headers={**COMMON_HEADERS, "Content-Security-Policy": pages.csp(nonce)})

    async def handle_debrief(self, request: web.Request) -> web.Response:
        if not self.facilitator(request):
            return self.refuse_page()
        report = await asyncio.to_thread(self.class_report)
        story = next((s for s in report.stories if s.story_id == self.story.id), None)
        nonce = secrets.token_urlsafe(12)
        html = pages.debrief_page(self.story, story, token=self.token, nonce=nonce, threshold=self.threshold)
        return web.Response(text=html, content_type="text/html",
                            headers={**COMMON_HEADERS, "Content-Security-Policy": pages.csp(nonce)})

    def class_report(self):
        """The whole class folder's report (students who played in a terminal count too), else this
        run's summaries."""
        from game.classroom.report import build_report

        folder = self.store.folder
        if folder is not None and folder.is_dir():
            return build_report(folder, self.find_story, threshold=self.threshold)
        return report_from(self.store.classroom or "this session", self.state.summaries(), self.find_story,
                           threshold=self.threshold)
