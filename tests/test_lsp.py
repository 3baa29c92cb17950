"""`understood lsp` end to end: a real LSP client (pytest-lsp) starts `python -m game lsp` and
talks to it over stdin and stdout, as an editor does."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from game.tools.checker import check_story

pytestmark = pytest.mark.asyncio

ROOT = Path(__file__).resolve().parent.parent
STORY = """\
format: 2
id: lsp-test
title: A Test Story
summary: A story written by a test.
perspective: Someone, 30
content_notes: [nothing much]
minutes: 5
debrief:
  - What did Sam need?
  - What made asking hard?
  - When did the quiet help?
  - What would you say next time?
meters:
  trust: {start: 2, min: 0, max: 10, label: Trust, description: How far he trusts you.}
flags: [asked]
start: kitchen
scenes:
  kitchen:
    title: The kitchen
    text: The kettle clicks off. Sam looks at the window, not at you.
    skip_to: garden
    choices:
      - text: Ask him how he is.
        effects: {trust: +1, set: [asked]}
        goto: garden
      - text: Make the tea.
        goto: garden
  garden:
    title: The garden
    text: Rain on the shed roof.
    skip_to: done
    choices:
      - text: Stay a while.
        if: trust >= 3 and asked
        locked: It is not the moment.
        goto: done
      - text: Go in.
        goto: done
  done:
    text: He nods.
    ending: {title: A quiet cup, tone: tender}
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "game", "lsp"]))
async def client(lsp_client: LanguageClient):
    params = types.InitializeParams(capabilities=client_capabilities("neovim"),
                                    initialization_options={"debounceMs": 20})
    result = await lsp_client.initialize_session(params)
    lsp_client.encoding = result.capabilities.position_encoding or types.PositionEncodingKind.Utf16
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "game", "lsp"]))
async def vscode(lsp_client: LanguageClient):
    params = types.InitializeParams(capabilities=client_capabilities("visual-studio-code"),
                                    initialization_options={"debounceMs": 20})
    result = await lsp_client.initialize_session(params)
    lsp_client.encoding = result.capabilities.position_encoding or types.PositionEncodingKind.Utf16
    yield
    await lsp_client.shutdown_session()


def _open(client: LanguageClient, path: Path, text: str | None = None) -> str:
    text = path.read_text(encoding="utf-8") if text is None else text
    uri = path.resolve().as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))
    return uri


async def _diagnostics(client: LanguageClient, uri: str, until=lambda found: True, timeout: float = 60):
    """The diagnostics published for `uri`, once `until` holds for them."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = client.diagnostics.get(uri)
        if found is not None and until(found):
            return found
        if loop.time() > deadline:
            raise AssertionError(f"no diagnostics as wanted for {uri}; last: {found}")
        await asyncio.sleep(0.05)


def _position(text: str, needle: str, offset: int = 0) -> types.Position:
    for number, line in enumerate(text.split("\n")):
        col = line.find(needle)
        if col >= 0:
            return types.Position(number, col + offset)
    raise AssertionError(f"{needle!r} not in the text")


def _doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def test_a_missing_scene_is_underlined_with_the_checkers_message_and_code(client, tmp_path):
    path = tmp_path / "story.yaml"
    text = STORY.replace("goto: done\n      - text: Go in.", "goto: dnoe\n      - text: Go in.")
    path.write_text(text, encoding="utf-8")
    uri = _open(client, path)
    found = await _diagnostics(client, uri, lambda d: any(x.code == "missing-scene" for x in d))
    [missing] = [d for d in found if d.code == "missing-scene"]
    expected = [e for e in check_story(path).diagnostics if e.code == "missing-scene"][0]
    assert missing.message == f"{expected.message}\nhint: {expected.hint}"
    assert "did you mean 'done'?" in missing.message
    assert missing.severity == types.DiagnosticSeverity.Error and missing.source == "understood"
    start = _position(text, "dnoe")
    assert missing.range == types.Range(start, types.Position(start.line, start.character + 4))
    assert (missing.range.start.line + 1, missing.range.start.character + 1) == (expected.line, expected.col)


async def test_a_fix_typed_in_clears_the_error_and_the_analysis_follows(client, tmp_path):
    path = tmp_path / "story.yaml"
    broken = STORY.replace("start: kitchen", "start: kitchn")
    path.write_text(broken, encoding="utf-8")
    uri = _open(client, path)
    await _diagnostics(client, uri, lambda d: any(x.code == "missing-scene" for x in d))
    fixed = STORY.replace("  done:\n", "  unreached:\n    text: Nobody comes here.\n    choices:\n"
                                       "      - text: Back.\n        goto: kitchen\n    skip_to: kitchen\n  done:\n")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        [types.TextDocumentContentChangeWholeDocument(text=fixed)]))
    found = await _diagnostics(client, uri, lambda d: any(x.code == "unreachable-scene" for x in d))
    assert not [d for d in found if d.code == "missing-scene"]
    path.write_text(fixed, encoding="utf-8")  # what `understood check` says of the same text, saved
    expected = {(e.line - 1, e.code, e.message) for e in check_story(path).diagnostics}
    assert {(d.range.start.line, d.code, d.message.split("\nhint: ")[0]) for d in found} == expected


async def test_broken_yaml_is_a_diagnostic_and_the_server_keeps_answering(client, tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    uri = _open(client, path)
    await _diagnostics(client, uri)
    broken = STORY.replace("title: The garden", "title: [The garden")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        [types.TextDocumentContentChangeWholeDocument(text=broken)]))
    found = await _diagnostics(client, uri, lambda d: any(x.code == "yaml" for x in d))
    path.write_text(broken, encoding="utf-8")
    [expected] = check_story(path).diagnostics
    assert [(d.code, d.message, d.range.start.line + 1) for d in found] == \
        [("yaml", f"{expected.message}\nhint: {expected.hint}", expected.line)]
    hover = await client.text_document_hover_async(types.HoverParams(_doc(uri), _position(STORY, "goto: garden", 6)))
    assert hover is not None and "Rain on the shed roof" in hover.contents.value  # the last good index


async def test_completion_after_goto_offers_the_scene_ids(client, tmp_path):
    path = tmp_path / "story.yaml"
    text = STORY.replace("        goto: garden\n      - text: Make", "        goto: \n      - text: Make")
    path.write_text(text, encoding="utf-8")
    uri = _open(client, path)
    at = _position(text, "goto: ", 6)
    result = await client.text_document_completion_async(types.CompletionParams(_doc(uri), at))
    labels = [item.label for item in result.items]
    assert labels[:3] == ["kitchen", "garden", "done"]
    done = next(item for item in result.items if item.label == "done")
    assert done.detail == "ending: A quiet cup" and done.kind == types.CompletionItemKind.Module


async def test_completion_in_a_condition_offers_meters_and_flags(client, tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    uri = _open(client, path)
    result = await client.text_document_completion_async(
        types.CompletionParams(_doc(uri), _position(STORY, "if: trust >= 3 and ", len("if: trust >= 3 and "))))
    labels = {item.label for item in result.items}
    assert {"trust", "asked", "not", "visited()"} <= labels


async def test_definition_of_a_goto_target_jumps_to_the_scene(client, tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    uri = _open(client, path)
    result = await client.text_document_definition_async(
        types.DefinitionParams(_doc(uri), _position(STORY, "goto: garden", 8)))
    scene = _position(STORY, "  garden:", 2)
    assert result == types.Location(uri, types.Range(scene, types.Position(scene.line, scene.character + 6)))


async def test_references_of_a_meter_are_its_effects_and_conditions(client, tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    uri = _open(client, path)
    result = await client.text_document_references_async(types.ReferenceParams(
        text_document=_doc(uri), position=_position(STORY, "trust: {start", 1),
        context=types.ReferenceContext(include_declaration=True)))
    lines = [location.range.start.line for location in result]
    assert lines == [_position(STORY, needle).line for needle in ("trust: {start", "{trust: +1", "if: trust")]
    assert {location.uri for location in result} == {uri}


async def test_hover_on_a_scene_id_shows_its_title_and_text(client, tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    uri = _open(client, path)
    hover = await client.text_document_hover_async(types.HoverParams(_doc(uri), _position(STORY, "start: kitchen", 9)))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "The kitchen" in hover.contents.value and "The kettle clicks off" in hover.contents.value
    meter = await client.text_document_hover_async(types.HoverParams(_doc(uri), _position(STORY, "if: trust", 5)))
    assert "range 0..10" in meter.contents.value and "How far he trusts you" in meter.contents.value


async def test_document_symbols_list_the_scenes_with_their_choices(client, tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    uri = _open(client, path)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(_doc(uri)))
    assert [s.name for s in symbols] == ["kitchen", "garden", "done"]
    assert [c.detail for c in symbols[0].children] == ["→ garden", "→ garden"]
    assert symbols[2].detail == "ending: A quiet cup"


async def test_an_included_file_gets_its_diagnostics_through_the_story(client, tmp_path):
    main = STORY.replace("start: kitchen\n", "start: kitchen\ninclude: [garden.yaml]\n")
    head, rest = main.split("  garden:\n", 1)
    garden, done = rest.split("  done:\n", 1)
    (tmp_path / "story.yaml").write_text(head + "  done:\n" + done, encoding="utf-8")
    part = "scenes:\n  garden:\n" + garden.replace("goto: done\n      - text: Go in.", "goto: gone\n      - text: Go in.")
    (tmp_path / "garden.yaml").write_text(part, encoding="utf-8")
    uri = _open(client, tmp_path / "garden.yaml")
    found = await _diagnostics(client, uri, lambda d: bool(d))
    assert [d.code for d in found] == ["missing-scene"]
    assert found[0].range.start == _position(part, "gone")
    definition = await client.text_document_definition_async(
        types.DefinitionParams(_doc(uri), _position(part, "goto: done", 7)))
    assert definition.uri == (tmp_path / "story.yaml").resolve().as_uri()


async def test_positions_count_utf8_bytes_past_an_emoji_for_neovim(client, tmp_path):
    await _emoji_before_a_missing_scene(client, tmp_path, "utf-8", 3)  # Neovim 0.11 offers UTF-8 first


async def test_positions_count_utf16_units_past_an_emoji_for_vs_code(vscode, tmp_path):
    await _emoji_before_a_missing_scene(vscode, tmp_path, "utf-16", 1)


async def _emoji_before_a_missing_scene(client, tmp_path, encoding, extra):
    path = tmp_path / "story.yaml"
    text = STORY.replace("        goto: garden\n      - text: Make",
                         "        goto: garden\n      - {text: \"Make 🍵\", goto: gardn}\n      - text: Make")
    path.write_text(text, encoding="utf-8")
    uri = _open(client, path)
    found = await _diagnostics(client, uri, lambda d: any(x.code == "missing-scene" for x in d))
    [missing] = [d for d in found if d.code == "missing-scene"]
    line = text.split("\n")[missing.range.start.line]
    codec = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2), "utf-32": ("utf-32-le", 4)}[client.encoding]
    units = len(line[: line.index("gardn")].encode(codec[0])) // codec[1]
    assert client.encoding == encoding
    assert missing.range.start.character == units == line.index("gardn") + extra


async def test_a_yaml_file_that_is_not_a_story_is_left_alone(client, tmp_path):
    path = tmp_path / "workflow.yaml"
    path.write_text("on: [push]\njobs: {}\n", encoding="utf-8")
    uri = _open(client, path)
    assert list(await _diagnostics(client, uri)) == []


async def test_an_unsaved_untitled_buffer_gets_its_diagnostics(client):
    uri = "untitled:Untitled-1"
    text = STORY.replace("start: kitchen", "start: kitchn")
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))
    found = await _diagnostics(client, uri, lambda d: bool(d))
    assert [d.code for d in found] == ["missing-scene"]
