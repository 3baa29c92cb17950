"""The writers' docs tell the truth: the tutorial's story and playthrough work, its output is real,
and every command the docs mention exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT
from game.cli import COMMAND_MODULES, main
from game.tools.checker import check_story
from game.tools.playthrough import run_file
from game.tools.scaffold import SCHEMA

DOCS = ROOT / "docs"
TUTORIAL = (DOCS / "writing-stories.md").read_text(encoding="utf-8")


def finished_example() -> str:
    return re.search(r"<!-- tutorial-example -->\n```yaml\n(.*?)```", TUTORIAL, re.S).group(1)


def tutorial_playthrough() -> str:
    return re.search(r"```yaml\n(story: group-chat\n.*?)```", TUTORIAL, re.S).group(1)


@pytest.fixture
def group_chat(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stories").mkdir()
    path = tmp_path / "stories" / "group-chat.yaml"
    path.write_text(finished_example(), encoding="utf-8")
    return path


def test_the_finished_example_checks_clean_and_explores_fully(group_chat):
    report = check_story(group_chat)
    assert report.diagnostics == [], [d.format() for d in report.diagnostics]
    assert report.exploration.clean


def test_the_schema_accepts_the_finished_example():
    import jsonschema
    import yaml

    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
    assert list(validator.iter_errors(yaml.safe_load(finished_example()))) == []


def test_the_tutorial_playthrough_passes(group_chat):
    folder = group_chat.parent / "tests" / "group-chat"
    folder.mkdir(parents=True)
    (folder / "the-call.yaml").write_text(tutorial_playthrough(), encoding="utf-8")
    result = run_file(folder / "the-call.yaml")
    assert result.passed, [f.format() for f in result.failures]


def test_the_explore_output_shown_is_what_explore_prints(group_chat, capsys):
    shown = re.search(r"```\n(The Group Chat \(stories/group-chat.yaml\)\n.*?)```", TUTORIAL, re.S).group(1)
    assert main(["explore", "stories/group-chat.yaml"]) == 0
    printed = capsys.readouterr().out.splitlines()
    for line in shown.splitlines():
        if line.strip() == "...":
            continue
        if re.search(r"\d\.\d\d s$", line):
            line = re.sub(r"\d\.\d\d s$", "", line)
            assert any(p.startswith(line) for p in printed), line
        else:
            assert line in printed, line


def test_the_check_warning_shown_is_real(group_chat, capsys):
    text = group_chat.read_text().replace(
        "      - if: joked\n        text: Dan's laughing faces are still at the top of the screen.\n", "")
    group_chat.write_text(text)
    main(["check", "stories/group-chat.yaml"])
    assert "stories/group-chat.yaml:28:18: warning: flag 'joked' is set but never read" in capsys.readouterr().out


def test_every_command_the_docs_mention_exists():
    commands = {name.rsplit(".", 1)[1] for name in COMMAND_MODULES} | {"import"}
    for doc in ("writing-stories.md", "toolkit.md", "editor-setup.md"):
        text = (DOCS / doc).read_text(encoding="utf-8")
        for command in set(re.findall(r"`understood ([a-z]+)", text)) | set(re.findall(r"^understood ([a-z]+)", text, re.M)):
            assert command in commands, f"{doc}: understood {command}"


def test_the_editor_problem_matcher_reads_check_output():
    setup = (DOCS / "editor-setup.md").read_text(encoding="utf-8")
    tasks = json.loads(re.search(r"```json\n(\{\n  \"version\".*?)```", setup, re.S).group(1))
    pattern = tasks["tasks"][0]["problemMatcher"]["pattern"]["regexp"]
    match = re.match(pattern, "stories/x.yaml:12:5: error: 'goto' names a missing scene 'tlod'")
    assert match.groups() == ("stories/x.yaml", "12", "5", "error", "'goto' names a missing scene 'tlod'")


def test_the_tutorial_names_the_file_understood_new_writes(tmp_path, monkeypatch, capsys):
    command = re.search(r'```sh\n(understood new "The Group Chat"[^\n]*)\n```', TUTORIAL).group(1)
    written = re.search(r"This writes `([^`]+)`", TUTORIAL).group(1)
    monkeypatch.chdir(tmp_path)
    args = re.findall(r'"[^"]*"|\S+', command)[1:]
    assert main([a.strip('"') for a in args]) == 0
    assert (tmp_path / written).is_file()
    assert f"id: {Path(written).stem} " in (tmp_path / written).read_text()
    for mentioned in re.findall(r"`(stories/[a-z0-9-]+\.yaml)`", TUTORIAL):
        if mentioned != "stories/the-group-chat.yaml":  # the one it says --id avoids
            assert mentioned == written, mentioned
    assert main(["check", written]) == 0


def test_the_tutorial_section_numbers_point_at_the_right_sections():
    headings = dict(re.findall(r"^## (\d+)\. (.+)$", TUTORIAL, re.M))
    about = {"check": "Check", "explore": "Explore", "every state a player can reach": "Explore"}
    for before, number in re.findall(r"([^.(]{0,60})\(section (\d+)\)", TUTORIAL):
        assert number in headings, number
        topic = next((heading for word, heading in about.items() if word in before), None)
        assert topic is not None, f"section {number} is cited after {before!r}: add it to this test"
        assert headings[number] == topic, (before, number, headings[number])
