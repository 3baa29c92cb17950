"""Authoring comfort: the JSON Schema, `understood new`, `understood schema` and `understood stats`."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from conftest import ROOT, STORIES
from game.cli import main
from game.story import discover, load_story
from game.tools.checker import check_story
from game.tools.explore import explore
from game.tools.scaffold import SCHEMA, slugify
from game.tools.stats import story_stats

VALIDATOR = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
SCHEMA_LINE = "# yaml-language-server: $schema=../game/data/story.schema.json"


def problems(data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def test_the_schema_is_a_valid_draft_7_schema():
    jsonschema.Draft7Validator.check_schema(json.loads(SCHEMA.read_text()))


@pytest.mark.parametrize("path", discover([STORIES]), ids=lambda p: p.stem)
def test_the_schema_accepts_every_bundled_story_and_each_names_it(path):
    text = path.read_text(encoding="utf-8")
    assert problems(yaml.safe_load(text)) == []
    assert text.splitlines()[0] == SCHEMA_LINE


def test_the_schema_accepts_the_documented_example():
    doc = (ROOT / "docs" / "story-format.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", doc, re.S).group(1)
    assert problems(yaml.safe_load(example)) == []


@pytest.mark.parametrize("change, complaint", [
    (lambda d: d.update(titel="x"), "Additional properties are not allowed ('titel'"),
    (lambda d: d["scenes"]["van"].update(ending={"title": "x", "tone": "sad"}), "is not valid under any"),
    (lambda d: d["scenes"]["ending_hug"]["ending"].update(tone="sad"), "'sad' is not one of"),
    (lambda d: d["scenes"]["van"]["choices"].extend([{"text": "x", "goto": "van"}] * 8), "is too long"),
    (lambda d: d["scenes"]["van"]["choices"][0].update(locked="no"), "'if' is a dependency of 'locked'"),
    (lambda d: d["scenes"]["van"]["choices"][0].update(effects={"closeness": "2!"}), "is not valid under any"),
    (lambda d: d.update(id="Demo Story"), "does not match"),
    (lambda d: d["meters"].update(Trust={"start": 1}), "does not match"),
])
def test_the_schema_flags_common_mistakes(demo_path, change, complaint):
    data = yaml.safe_load(demo_path.read_text())
    change(data)
    assert any(complaint in p for p in problems(data)), problems(data)


def test_schema_command_prints_the_schema_and_its_path(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Understood story, format 1 or 2"
    assert main(["schema", "--path"]) == 0
    assert capsys.readouterr().out.strip() == str(SCHEMA)


# --- new -------------------------------------------------------------------------------------------


def test_slugs_come_from_titles():
    assert slugify("Opening Up!") == "opening-up"
    assert slugify("  Café — Noir ") == "cafe-noir"
    assert slugify("???") == "new-story"


def test_new_scaffolds_a_story_that_checks_clean_and_explores_fully(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stories").mkdir()
    assert main(["new", 'The "Long" Call']) == 0
    path = tmp_path / "stories" / "the-long-call.yaml"
    report = check_story(path)
    assert report.diagnostics == [], [d.format() for d in report.diagnostics]
    story = load_story(path)
    assert story.title == 'The "Long" Call' and story.id == "the-long-call"
    found = explore(story)
    assert found.clean and len(found.endings) == len(story.endings) and found.locked_choices
    assert problems(yaml.safe_load(path.read_text())) == []
    assert "understood play stories/the-long-call.yaml" in capsys.readouterr().out


def test_new_names_the_schema_relative_to_where_the_story_is(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    target = tmp_path / "x.yaml"
    assert main(["new", "X", "-o", str(target)]) == 0
    first = target.read_text().splitlines()[0]
    schema = first.split("$schema=", 1)[1]
    assert (target.parent / schema).resolve() == SCHEMA.resolve()


def test_new_is_commented_on_every_feature(tmp_path):
    target = tmp_path / "s.yaml"
    main(["new", "Commented", "-o", str(target)])
    lines = target.read_text().splitlines()
    for feature in ("on_enter", "skip_to", "locked:", "remember:", "hidden: true", "support: true", "- if:"):
        number = next(n for n, line in enumerate(lines) if feature in line)
        assert "#" in lines[number] or "#" in lines[number - 1], lines[number]  # a note on it, or just above


def test_new_never_overwrites_without_force(tmp_path, capsys):
    target = tmp_path / "s.yaml"
    target.write_text("mine")
    assert main(["new", "Mine", "-o", str(target)]) == 1
    assert target.read_text() == "mine" and "already exists" in capsys.readouterr().err
    assert main(["new", "Mine", "-o", str(target), "--force"]) == 0


def test_new_rejects_a_bad_id(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["new", "X", "--id", "Bad Id", "-o", str(tmp_path / "x.yaml")])
    assert exit_.value.code == 2


# --- stats -----------------------------------------------------------------------------------------


def test_stats_count_the_demo(demo_path):
    demo = load_story(demo_path)
    found = story_stats(demo, sample=100)
    assert found.scenes == len(demo.scenes) and sum(found.endings.values()) == len(demo.endings)
    assert found.choices == sum(len(s.choices) for s in demo.scenes.values())
    assert found.locked_choices == 2
    paragraphs = sum(len(p.text.split()) for s in demo.scenes.values() for p in s.text)
    assert found.words > paragraphs
    assert 0 < found.playthrough_minutes < found.reading_minutes + 2


def test_stats_command_prints_a_table(capsys):
    assert main(["stats", "demo"]) == 0
    out = capsys.readouterr().out
    for label in ("words", "scenes", "choices", "endings", "locked choices", "reading time", "a typical playthrough"):
        assert label in out
    assert main(["stats", "demo", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["story"] == "demo"
