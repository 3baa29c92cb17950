"""The 'coming from ink / Twine / ChoiceScript / Yarn' pages tell the truth about our format: each
page's example story checks clean and explores fully, every snippet of ours in a page's table is
taken from that example, every command named exists, and each page says what has no equivalent."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from game.cli import COMMAND_MODULES
from game.engine import Game
from game.story import load_story
from game.tools.checker import check_story

DOCS = ROOT / "docs"
PAGES = ["coming-from-ink.md", "coming-from-twine.md", "coming-from-choicescript.md", "coming-from-yarn.md"]

# Snippets of ours that the example cannot hold, and why.
ELSEWHERE = {
    "include: [act-two.yaml]": "needs a second file: the format-2 example in story-format.md has one",
    "# a comment": "a YAML comment",
}


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def example(text: str) -> str:
    found = re.findall(r"<!-- coming-from-example -->\n```yaml\n(.*?)```", text, re.S)
    assert len(found) == 1, "one example story a page"
    return found[0]


def ours(text: str) -> list[str]:
    """The code snippets in the second column of the page's construct table."""
    snippets = []
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) != 3 or cells[1] == "Understood":
            continue
        snippets += [s.replace("\\|", "|") for s in re.findall(r"`([^`]+)`", cells[1])]
    return snippets


@pytest.fixture(params=PAGES)
def name(request):
    return request.param


def test_the_example_checks_clean_and_every_scene_and_ending_is_reached(name, tmp_path):
    path = tmp_path / "example.yaml"
    path.write_text(example(page(name)), encoding="utf-8")
    report = check_story(path)
    assert report.diagnostics == [], [d.format() for d in report.diagnostics]
    assert report.exploration.clean
    story = load_story(path)
    assert story.format == 2
    game = Game(story)  # and it plays: the first choice open in every scene leads to an ending
    for _ in range(20):
        if game.is_over:
            break
        game.choose(next(o for o in game.options() if o.available).id)
    assert game.is_over


def test_every_snippet_of_ours_in_the_table_is_in_the_checked_example(name):
    text = page(name)
    story_text = " ".join(example(text).split())
    snippets = ours(text)
    assert len(snippets) >= 12, "the table maps their constructs to ours"
    commands = {m.rsplit(".", 1)[-1] for m in COMMAND_MODULES}
    for snippet in snippets:
        if snippet.startswith("understood "):
            assert snippet.split()[1] in commands, snippet
        elif snippet not in ELSEWHERE:
            assert " ".join(snippet.split()) in story_text, f"{name}: `{snippet}` is not in the example"


def test_each_page_says_plainly_what_has_no_equivalent(name):
    text = page(name)
    section = text.split("## What has no equivalent", 1)
    assert len(section) == 2
    items = re.findall(r"^- \*\*", section[1].split("## The example")[0], re.M)
    assert len(items) >= 4


@pytest.mark.parametrize("expected", [
    ("coming-from-ink.md", ["Tunnels", "threads"]),
    ("coming-from-choicescript.md", ["*stat_chart", "String variables", "Fairmath"]),
    ("coming-from-yarn.md", ["Commands", "functions", "Node groups"]),
    ("coming-from-twine.md", ["JavaScript", "Transclusion", "understood import"]),
], ids=lambda e: e[0])
def test_the_constructs_people_ask_about_are_named(expected):
    name, words = expected
    for word in words:
        assert word in page(name), f"{name}: {word}"


def test_the_pages_are_linked_from_the_readme_and_the_tutorial():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tutorial = page("writing-stories.md")
    for name in PAGES:
        assert f"docs/{name}" in readme, name
        assert f"({name})" in tutorial, name


def test_their_syntax_left_in_a_text_is_reported_by_check(name, tmp_path):
    import json

    text = page(name)
    sentence = re.search(r"syntax left in a text \((.*?)\) is never run", text, re.S).group(1)
    pasted = re.findall(r"`([^`]+)`", sentence)
    assert pasted
    story = example(text)
    for snippet in pasted:
        path = tmp_path / "pasted.yaml"
        path.write_text(story.replace("    text:\n      - ", f"    text:\n      - {json.dumps(snippet)}\n      - ", 1),
                        encoding="utf-8")
        errors = [d for d in check_story(path).diagnostics if d.severity == "error"]
        assert any("another tool" in d.message for d in errors), (name, snippet, [d.format() for d in errors])
