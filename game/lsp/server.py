"""`understood lsp`: the pygls wiring. Everything it knows comes from the small modules beside it.

Diagnostics are `understood check`'s own, in two steps on a worker thread, so typing never waits:
first the loader's errors (quick), then, when the story loads, the analysis of every reachable
state (which can take seconds on a long story; it runs on a thread of its own). A change waits
`debounce` seconds of quiet before a check starts, and a check whose text has changed since is
never published.

Positions: the modules beside this one count code points; clients count UTF-16 units unless they
say otherwise. Every position passes through pygls's position codec on its way in and out.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from functools import partial

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from game import __version__
from game.lsp import complete as completing
from game.lsp.diagnostics import Finding, check
from game.lsp.hover import hover as hover_text, plain
from game.lsp.project import Location, Project, is_story, read_file, story_of
from game.lsp.symbols import Index, Place, index
from game.lsp.worker import Worker
from game.safe_text import clean_line
from game.tools.explore import DEFAULT_MAX_STATES

log = logging.getLogger(__name__)
DEBOUNCE = 0.3  # seconds of quiet after a change before checking
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}
KIND = {
    "scene": types.CompletionItemKind.Module, "meter": types.CompletionItemKind.Variable,
    "flag": types.CompletionItemKind.Constant, "key": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.Value, "keyword": types.CompletionItemKind.Keyword,
}


@dataclass
class Options:
    debounce: float = DEBOUNCE
    explore: bool = True  # run the analysis of reachable states (as `understood check` does)
    max_states: int = DEFAULT_MAX_STATES

    def update(self, given: object) -> None:
        """Options from the client's `initializationOptions`: debounceMs, explore, maxStates."""
        if not isinstance(given, dict):
            return
        if isinstance(given.get("debounceMs"), (int, float)) and 0 <= given["debounceMs"] <= 10_000:
            self.debounce = given["debounceMs"] / 1000
        if isinstance(given.get("explore"), bool):
            self.explore = given["explore"]
        if isinstance(given.get("maxStates"), int) and given["maxStates"] >= 1:
            self.max_states = given["maxStates"]


def lines(text: str) -> list[str]:
    """A text's lines as the YAML parser counts them (the positions of the modules beside this)."""
    return text.split("\n")


class StoryServer(LanguageServer):
    def __init__(self, options: Options):
        super().__init__("understood", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.options = options
        self.quick = Worker("understood-load")
        self.slow = Worker("understood-explore")
        self.pending: dict[str, asyncio.Task] = {}
        self.indices: dict[str, tuple[int | None, Index]] = {}  # uri -> (version, last good index)
        self.published: dict[str, set[str]] = {}  # story path -> the uris its last check published to
        self.last: dict[str, list[Finding]] = {}  # story path -> what its last check published

    # --- files ----------------------------------------------------------------------------

    def open_text(self, path: str) -> str | None:
        uri = from_fs_path(path)
        if uri in self.workspace.text_documents:
            return self.workspace.get_text_document(uri).source
        return None

    def read(self, path: str) -> str | None:
        """A file's text: the editor's, if it is open, else the disk's."""
        text = self.open_text(path)
        return text if text is not None else read_file(path)

    def lines_of(self, path: str) -> list[str]:
        return lines(self.read(path) or "")

    def index_of(self, uri: str) -> Index | None:
        """The index of an open document (the last one built from valid YAML)."""
        document = self.workspace.get_text_document(uri)
        cached = self.indices.get(uri)
        if cached is not None and cached[0] == document.version:
            return cached[1]
        found = index(document.source, to_fs_path(uri) or uri)
        if found is None:
            return cached[1] if cached else None
        self.indices[uri] = (document.version, found)
        return found

    def project(self, uri: str) -> Project:
        path = to_fs_path(uri) or uri
        return Project.of(path, self.workspace.get_text_document(uri).source, self.read, self.index_of(uri))

    # --- positions ------------------------------------------------------------------------

    def to_client(self, lines: list[str], line: int, start: int, end: int) -> types.Range:
        codec = self.workspace.position_codec
        return codec.range_to_client_units(
            lines, ServerTextRange(ServerTextPosition(line, start), ServerTextPosition(line, end)))

    def place_range(self, path: str, place: Place, lines: list[str] | None = None) -> types.Range:
        return self.to_client(lines if lines is not None else self.lines_of(path), place.line, place.start, place.end)

    def location(self, found: Location) -> types.Location:
        return types.Location(from_fs_path(found.path), self.place_range(found.path, found.place))

    def cursor(self, uri: str, position: types.Position) -> tuple[str, int, int]:
        server = self.workspace.get_text_document(uri).position_from_client_units(position)
        return to_fs_path(uri) or uri, server.line, server.character

    # --- diagnostics ----------------------------------------------------------------------

    def schedule(self, uri: str, delay: float) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self.check_later(uri, delay))

    async def check_later(self, uri: str, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            await self.check(uri)
        except asyncio.CancelledError:
            pass
        except Exception:  # a failed check must not take the server down
            log.exception("checking %s failed", uri)

    async def check(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        version, text = document.version, document.source
        path = to_fs_path(uri) or uri
        found = self.index_of(uri)
        if not is_story(path, found):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
            return
        main = story_of(path, found, self.read)
        main_text = text if main == path else self.open_text(main)

        def current() -> bool:
            return uri in self.workspace.text_documents and self.workspace.get_text_document(uri).version == version

        quick = await self.quick.run(partial(check, main, main_text, analysis=False, read=self.read))
        if not current():
            return
        if any(quick.values()) or not self.options.explore:
            self.publish(main, quick, uri, version, text)
            return
        if any(d.severity == "error" for d in self.last.get(main, ())):
            self.publish(main, quick, uri, version, text)  # the loader's errors are fixed: clear them now
        full = await self.slow.run(partial(check, main, main_text, max_states=self.options.max_states, read=self.read))
        if current():
            self.publish(main, full, uri, version, text)

    def publish(self, main: str, found: dict[str, list[Finding]], uri: str, version: int | None, text: str) -> None:
        path = to_fs_path(uri) or uri
        found = {path: [], **found}
        self.last[main] = [f for findings in found.values() for f in findings]
        uris = set()
        for file, findings in found.items():
            file_lines = lines(text) if file == path else self.lines_of(file)
            target = uri if file == path else from_fs_path(file)  # an unsaved "untitled:" buffer too
            uris.add(target)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=target, version=version if target == uri else None,
                diagnostics=[self.diagnostic(f, file_lines) for f in findings]))
        for gone in self.published.get(main, set()) - uris:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=gone, diagnostics=[]))
        self.published[main] = uris

    def diagnostic(self, found: Finding, lines: list[str]) -> types.Diagnostic:
        return types.Diagnostic(
            range=self.to_client(lines, found.line, found.start, found.end), message=found.message,
            severity=SEVERITY.get(found.severity, types.DiagnosticSeverity.Information),
            code=found.code, source="understood")


def build(options: Options | None = None) -> StoryServer:
    server = StoryServer(options or Options())

    @server.feature(types.INITIALIZE)
    def initialize(ls: StoryServer, params: types.InitializeParams) -> None:
        ls.options.update(params.initialization_options)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: StoryServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: StoryServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.options.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: StoryServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)
        for uri in list(ls.workspace.text_documents):  # a saved include changes the story that includes it
            if uri != params.text_document.uri:
                ls.schedule(uri, ls.options.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: StoryServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.indices.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=[":", " ", "(", "[", ",", "{"]))
    def completion(ls: StoryServer, params: types.CompletionParams) -> types.CompletionList:
        uri = params.text_document.uri
        path, line, col = ls.cursor(uri, params.position)
        text_lines = lines(ls.workspace.get_text_document(uri).source)
        found = completing.complete(text_lines, line, col, ls.project(uri), path)
        edit_range = ls.to_client(text_lines, line, found.start, col)
        items = [types.CompletionItem(
            label=item.label, kind=KIND.get(item.kind), detail=clean_line(item.detail) or None,
            text_edit=types.TextEdit(edit_range, item.insert or item.label)) for item in found.items]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: StoryServer, params: types.DefinitionParams) -> types.Location | None:
        path, line, col = ls.cursor(params.text_document.uri, params.position)
        project = ls.project(params.text_document.uri)
        symbol = project.at(path, line, col)
        target = project.definition(symbol.kind, symbol.name) if symbol else None
        return ls.location(target) if target else None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: StoryServer, params: types.ReferenceParams) -> list[types.Location]:
        path, line, col = ls.cursor(params.text_document.uri, params.position)
        project = ls.project(params.text_document.uri)
        symbol = project.at(path, line, col)
        if symbol is None:
            return []
        found = project.references(symbol.kind, symbol.name, declaration=params.context.include_declaration)
        return [ls.location(f) for f in found]

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: StoryServer, params: types.HoverParams) -> types.Hover | None:
        path, line, col = ls.cursor(params.text_document.uri, params.position)
        found = hover_text(ls.project(params.text_document.uri), path, line, col)
        if found is None:
            return None
        text, place = found
        hover = ls.client_capabilities.text_document and ls.client_capabilities.text_document.hover
        formats = (hover.content_format if hover else None) or [types.MarkupKind.PlainText]
        if types.MarkupKind.Markdown not in formats:
            return types.Hover(types.MarkupContent(types.MarkupKind.PlainText, plain(text)), ls.place_range(path, place))
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text), ls.place_range(path, place))

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: StoryServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        uri = params.text_document.uri
        found = ls.index_of(uri)
        if found is None:
            return []
        text_lines = lines(ls.workspace.get_text_document(uri).source)
        codec = ls.workspace.position_codec
        symbols = []
        for scene in found.scenes.values():
            whole = codec.range_to_client_units(text_lines, ServerTextRange(
                ServerTextPosition(*scene.span.start), ServerTextPosition(*scene.span.end)))
            children = [types.DocumentSymbol(
                name=clean_line(choice.text) or f"choice {n}", kind=types.SymbolKind.Event,
                range=ls.place_range("", choice.place, text_lines),
                selection_range=ls.place_range("", choice.place, text_lines),
                detail=f"→ {clean_line(choice.goto)}") for n, choice in enumerate(scene.choices, 1)]
            detail = clean_line(f"ending: {scene.ending}" if scene.ending else scene.title) or None
            symbols.append(types.DocumentSymbol(
                name=scene.name, kind=types.SymbolKind.Class, range=whole,
                selection_range=ls.place_range("", scene.place, text_lines), detail=detail, children=children or None))
        return symbols

    return server


def serve(options: Options) -> int:
    """Talk LSP over stdin and stdout until the client says exit."""
    import os
    import signal
    import sys

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="understood lsp: %(message)s")
    # pygls reads stdin on a thread that ctrl+c cannot wake, so the process would hang until
    # stdin closed; the server holds nothing to save, so ctrl+c ends it at once.
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    if sys.stdin.isatty():
        print("understood lsp talks to an editor over stdin and stdout (see docs/editor-setup.md); "
              "ctrl+c stops it", file=sys.stderr)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never corrupt the protocol
    sys.setswitchinterval(0.001)  # the checker thread hands the event loop the GIL sooner (default 5 ms)
    build(options).start_io(stdin, stdout)
    return 0
