"""How `understood lsp` answers while it checks (run by hand).

    python bench/lsp_latency.py [STORY]      (default: stories/the-rock.yaml, the slowest to explore)

A pygls client starts `python -m game lsp` (debounce 0) and opens the story. It measures, each
clock stopped when the client has the answer in hand (what an editor would show):
- hover on a `goto:` target with the server idle: the baseline, the median of 30;
- the same hover, every 50 ms, while the server explores every reachable state of the story after a change
  (the slow check, on its worker thread): the median, and its ratio to the baseline. Target: under
  50 ms, below what a person notices, so that typing never waits on the checker;
- from a change to the loader's diagnostics (a broken `goto`), and from a fix to the full
  analysis's diagnostics.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent


async def main(story: Path) -> None:
    text = story.read_text(encoding="utf-8")
    uri = story.resolve().as_uri()
    published: dict[str, tuple[float, list]] = {}
    times: list[float] = []  # when each set of diagnostics arrived
    client = LanguageClient("bench", "1")

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published[params.uri] = (time.perf_counter(), list(params.diagnostics))
        times.append(published[params.uri][0])

    await client.start_io(sys.executable, "-m", "game", "lsp", "--debounce", "0")
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    client.initialized(types.InitializedParams())
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "yaml", 1, text)))
    line = next(n for n, l in enumerate(text.split("\n")) if "goto:" in l)
    col = text.split("\n")[line].index("goto:") + 7
    at = types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, col))

    async def hover() -> float:
        start = time.perf_counter()
        await client.text_document_hover_async(at)
        return time.perf_counter() - start

    async def wait_for(predicate, since: float, timeout: float = 120) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            got = published.get(uri)
            if got and got[0] > since and predicate(got[1]):
                return got[0] - since
            await asyncio.sleep(0.005)
        raise SystemExit("no diagnostics in time")

    opened = time.perf_counter()
    await wait_for(lambda d: True, 0)
    idle = [await hover() for _ in range(30)]
    version = 2

    def change(new: str) -> float:
        nonlocal version
        version += 1
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=uri), [types.TextDocumentContentChangeWholeDocument(new)]))
        return time.perf_counter()

    broken = text.split("\n")
    broken[line] = re.sub(r"goto:\s*\S+", "goto: nowhere_at_all", broken[line])
    sent = change("\n".join(broken))
    to_error = await wait_for(lambda d: any(x.code == "missing-scene" for x in d), sent)
    sent = change(text)
    busy = []
    done = None
    while done is None:  # the loader's all-clear comes first, then the analysis
        busy.append(await hover())
        await asyncio.sleep(0.05)  # a person's pace, not a flood that would slow the check itself
        after = [t for t in times if t > sent]
        if len(after) >= 2:
            done = after[1] - sent
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    base, loaded = statistics.median(idle), statistics.median(busy)
    print(f"story: {story.relative_to(ROOT) if story.is_relative_to(ROOT) else story} ({len(text.splitlines())} lines)")
    print(f"first diagnostics after open:          {published[uri][0] - opened:7.3f} s")
    print(f"hover, server idle (median of {len(idle)}):     {base * 1000:7.1f} ms")
    print(f"hover, during the full check ({len(busy)}):    {loaded * 1000:7.1f} ms   ({loaded / base:.1f}x idle; target < 50 ms)")
    print(f"change to the loader's error shown:    {to_error * 1000:7.1f} ms")
    print(f"fix to the full analysis shown:        {done:7.3f} s   (loader's all-clear: {(after[0] - sent) * 1000:.1f} ms)")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "stories" / "the-rock.yaml"))
