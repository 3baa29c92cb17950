"""The web page as text: one self-contained document, story text never as markup, the contract of
docs/web-protocol.md (the server element only with a server), and `understood export`."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from game.cli import main
from game.story.load import load_story
from game.web.page import build_page

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "stories").glob("*.yaml"))
LIMIT = 300 * 1024


def json_element(page: str, element_id: str):
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S)
    return None if match is None else json.loads(match.group(1))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_story_is_one_small_self_contained_page(path):
    story = load_story(path)
    page = build_page(story)
    assert len(page.encode("utf-8")) < LIMIT
    assert json_element(page, "understood-story")["id"] == story.id
    assert json_element(page, "understood-server") is None
    # nothing is fetched: no external script, style, image, font or frame, and the policy forbids it
    assert not re.search(r'\s(src|href)="(?!#)', page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp and "connect-src &#x27;none&#x27;" in csp
    assert "unsafe-inline" not in csp


def test_story_text_cannot_close_its_element_or_become_markup(demo_path):
    story = load_story(demo_path)
    hostile = '</script><script>alert(1)</script><!-- & "'
    story = replace(story, title=hostile, summary=hostile)
    page = build_page(story)
    assert "<script>alert(1)" not in page
    assert json_element(page, "understood-story")["summary"] == hostile
    assert "<title>&lt;/script&gt;" in page


def test_the_server_element_carries_only_the_api_and_join_code(demo_path):
    story = load_story(demo_path)
    page = build_page(story, classroom="9B", server={"api": "/api", "join": "<b>AB12</b>", "token": "secret"})
    assert json_element(page, "understood-server") == {"api": "/api", "join": "<b>AB12</b>"}
    assert "secret" not in page and "<b>AB12" not in page
    assert json_element(page, "understood-config")["classroom"] == "9B"
    assert "connect-src &#x27;self&#x27;" in page


def test_support_lines_come_from_the_support_file(demo_path):
    from game.support import load_support

    support = json_element(build_page(load_story(demo_path)), "understood-config")["support"]
    assert [line["name"] for line in support["lines"]] == [line.name for line in load_support().lines]


def test_export_writes_the_page(tmp_path, capsys):
    target = tmp_path / "o.html"
    assert main(["export", "opening-up", "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert json_element(page, "understood-story")["id"] == "opening-up"
    assert json_element(page, "understood-config")["classroom"] is None
    assert target.stat().st_size < LIMIT
    assert "KB" in capsys.readouterr().out


def test_export_keeps_an_existing_file_unless_forced(tmp_path, capsys):
    target = tmp_path / "o.html"
    target.write_text("mine")
    assert main(["export", "demo", "-o", str(target)]) == 1
    assert target.read_text() == "mine"
    assert "already exists" in capsys.readouterr().err
    assert main(["export", "demo", "-o", str(target), "--force", "--classroom", "year-9"]) == 0
    assert json_element(target.read_text(encoding="utf-8"), "understood-config")["classroom"] == "year-9"


def test_export_refuses_a_bad_class_name_and_a_missing_story(tmp_path, capsys):
    assert main(["export", "demo", "-o", str(tmp_path / "x.html"), "--classroom", "../etc"]) == 2
    assert "not a usable class name" in capsys.readouterr().err
    assert main(["export", "no-such-story", "-o", str(tmp_path / "x.html")]) == 1
    assert not (tmp_path / "x.html").exists()
    assert main(["export", "demo", "-o", str(tmp_path)]) == 2
