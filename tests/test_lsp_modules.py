"""The language server's pure modules (game/lsp), without LSP: the symbol index, the project of
several files, completion, hover and the diagnostics' ranges."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.lsp.complete import complete
from game.lsp.diagnostics import check, widen
from game.lsp.hover import escape, hover
from game.lsp.project import Project, is_story, story_of
from game.lsp.symbols import FLAG, METER, SCENE, Place, index
from tests.test_lsp import STORY

ROOT = Path(__file__).resolve().parent.parent


def _at(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    for number, line in enumerate(text.split("\n")):
        if needle in line:
            return number, line.index(needle) + offset
    raise AssertionError(needle)


def _labels(text: str, needle: str, offset: int | None = None, project_text: str | None = None) -> list[str]:
    """Completion labels with the cursor after `needle` (or `offset` into it), in `text`."""
    line, col = _at(text, needle, len(needle) if offset is None else offset)
    project = Project.of("/s/story.yaml", project_text or STORY, read=lambda path: None)
    return [item.label for item in complete(text.split("\n"), line, col, project, "/s/story.yaml").items]


def test_every_definition_and_use_in_the_bundled_stories_points_at_its_own_name():
    for path in sorted((ROOT / "stories").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        found = index(text, str(path))
        lines = text.split("\n")
        assert found.scenes and found.uses
        for symbol in found.definitions() + found.uses:
            place = symbol.place
            assert lines[place.line][place.start:place.end] == symbol.name, (path.name, symbol)
        scenes = {s.name for s in found.uses if s.kind == SCENE}
        assert scenes <= set(found.scenes), path.name


def test_the_index_knows_definitions_and_what_each_use_does():
    found = index(STORY)
    assert list(found.scenes) == ["kitchen", "garden", "done"]
    assert found.meters["trust"].values["description"] == "How far he trusts you."
    assert found.definition(FLAG, "asked") == Place(*_at(STORY, "asked]", 0), _at(STORY, "asked]", 5)[1])
    roles = {(s.kind, s.name, s.role) for s in found.uses}
    assert {(SCENE, "kitchen", "start"), (SCENE, "garden", "goto"), (SCENE, "done", "skip_to"),
            (METER, "trust", "effect"), (METER, "trust", "test"), (FLAG, "asked", "set"),
            (FLAG, "asked", "test")} <= roles
    line, col = _at(STORY, "goto: garden", 7)
    assert found.at(line, col).name == "garden"


def test_names_inside_quoted_and_folded_conditions_and_inline_forms_are_placed_exactly():
    text = STORY.replace("if: trust >= 3 and asked", "if: 'visited(kitchen) and not asked'").replace(
        "text: Rain on the shed roof.", "text: >-\n      Rain. ((trust)) ((if asked and trust > 2: Warm. | Cold.))")
    found = index(text)
    lines = text.split("\n")
    uses = [(s.kind, s.name, s.role, lines[s.place.line][s.place.start:s.place.end]) for s in found.uses]
    assert (SCENE, "kitchen", "test", "kitchen") in uses
    assert (METER, "trust", "shown", "trust") in uses
    assert (FLAG, "asked", "test", "asked") in uses
    assert sum(1 for u in uses if u[:2] == (METER, "trust")) == 3  # the effect, ((trust)), ((if … trust > 2


def test_text_that_is_not_yaml_has_no_index_and_a_bare_scalar_an_empty_one():
    assert index("scenes: [unclosed") is None
    assert index("just words").scenes == {}


def test_an_included_file_finds_the_story_that_includes_it(tmp_path):
    (tmp_path / "story.yaml").write_text(STORY.replace("start: kitchen\n", "start: kitchen\ninclude: [more/garden.yaml]\n"))
    (tmp_path / "other.yaml").write_text(STORY)
    (tmp_path / "more").mkdir()
    part = tmp_path / "more" / "garden.yaml"
    part.write_text("scenes:\n  shed:\n    text: The shed.\n    choices:\n      - {text: Back., goto: kitchen}\n"
                    "      - {text: Wait., goto: done, if: trust > 3}\n")
    found = index(part.read_text())
    assert found.included
    assert story_of(str(part), found) == str(tmp_path / "story.yaml")
    project = Project.of(str(part), part.read_text())
    assert project.definition(SCENE, "kitchen").path == str(tmp_path / "story.yaml")
    assert project.definition(SCENE, "shed").path == str(part)
    # a bare name in the included file is read against the story's meters
    assert [location.path for location in project.references(METER, "trust")][-1] == str(part)
    lonely = tmp_path / "lonely.yaml"
    lonely.write_text("scenes:\n  x: {text: hi}\n")
    assert story_of(str(lonely), index(lonely.read_text())) == str(lonely)


@pytest.mark.parametrize("line, expected", [
    ("        goto: ga", ["kitchen", "garden", "done"]),
    ("    skip_to: ", ["kitchen", "garden", "done"]),
    ("        if: visited(", ["kitchen", "garden", "done"]),
    ("        effects: {trust: +1, set: [as", ["asked"]),
    ("        effects: {tr", ["trust", "set", "clear"]),
    ("    text: Warm ((tr", ["trust", "if", "first", "seq", "cycle", "shuffle"]),
    ("    ending: {title: x, tone: ", ["hopeful", "bittersweet", "tender", "unresolved", "lonely", "heavy"]),
])
def test_completion_offers_what_the_place_takes(line, expected):
    assert _labels(line, line) == expected


def test_completion_in_a_condition_offers_meters_flags_and_words():
    labels = _labels("        if: trust > 2 and ", "if: trust > 2 and ")
    assert labels[:2] == ["trust", "asked"] and {"not", "visited()", "visits()"} <= set(labels)


@pytest.mark.parametrize("text, expected", [
    ("fo", "format"),
    ("scenes:\n  kitchen:\n    sk", "skip_to"),
    ("scenes:\n  kitchen:\n    choices:\n      - text: x\n        ef", "effects"),
    ("scenes:\n  kitchen:\n    choices:\n      - lo", "locked"),
    ("scenes:\n  kitchen:\n    ending:\n      to", "tone"),
    ("meters:\n  trust:\n    desc", "description"),
    ("scenes:\n  kitchen:\n    text:\n      - te", "text"),
])
def test_completion_of_keys_follows_the_indentation(text, expected):
    last = text.split("\n")[-1]
    assert expected in _labels(text, last)


def test_completion_of_effect_keys_and_flags_in_block_style():
    text = "scenes:\n  kitchen:\n    on_enter:\n      tr"
    assert _labels(text, "tr") == ["trust", "set", "clear"]
    text = "scenes:\n  kitchen:\n    on_enter:\n      set:\n        - a"
    assert _labels(text, "- a") == ["asked"]


def test_an_included_file_is_offered_only_scenes_at_the_top(tmp_path):
    project = Project.of("/s/part.yaml", "scenes:\n  x: {text: hi}\n", read=lambda path: None)
    items = complete(["sc"], 0, 2, project, "/s/part.yaml").items
    assert [item.label for item in items] == ["scenes"]


def test_hover_shows_a_scenes_title_text_and_choices_and_a_meters_range():
    project = Project.of("/s/story.yaml", STORY, read=lambda path: None)
    text, place = hover(project, "/s/story.yaml", *_at(STORY, "goto: garden", 8))
    assert text.startswith("**scene** `garden`: The garden")
    assert "> Rain on the shed roof." in text and "Stay a while. → `done`" in text
    line, col = _at(STORY, "goto: garden", 6)
    assert place == Place(line, col, col + 6)
    meter, _ = hover(project, "/s/story.yaml", *_at(STORY, "{trust: +1", 2))
    assert "**meter** `trust`: Trust" in meter and "starts at 2, range 0..10" in meter
    assert "changed by 1 place; tested in 1 place" in meter
    flag, _ = hover(project, "/s/story.yaml", *_at(STORY, "and asked", 5))
    assert "set by 1 place; tested in 1 place" in flag
    assert hover(project, "/s/story.yaml", 0, 0) is None


def test_hover_text_is_cleaned_and_escaped():
    assert escape("**bold** [link](x) \x1b]0;title\x07") == r"\*\*bold\*\* \[link\]\(x\) "
    story = STORY.replace("title: The garden", "title: \"[click](http://x) \\e[31m\"")
    project = Project.of("/s/story.yaml", story, read=lambda path: None)
    text, _ = hover(project, "/s/story.yaml", *_at(story, "goto: garden", 8))
    assert "\x1b" not in text and "[click]" not in text


@pytest.mark.parametrize("line, col, expected", [
    ("    goto: gardn", 10, (10, 15)),
    ("    text: 'a quoted text' # c", 10, (10, 25)),
    ("  trust: {start: 12, max: 10}", 17, (17, 19)),
    ("", 0, (0, 1)),
    ("short", 9, (5, 5)),
])
def test_a_point_is_widened_to_the_word_it_falls_on(line, col, expected):
    assert widen(line, col) == expected


def test_check_gives_the_checkers_findings_as_ranges_and_never_raises(tmp_path):
    path = tmp_path / "story.yaml"
    text = STORY.replace("goto: done\n      - text: Go in.", "goto: dnoe\n      - text: Go in.")
    found = check(str(path), text)
    [finding] = found[str(path)]
    assert (finding.code, finding.severity) == ("missing-scene", "error")
    assert finding.message == "'goto' names a missing scene 'dnoe'\nhint: did you mean 'done'?"
    line, col = _at(text, "dnoe")
    assert (finding.line, finding.start, finding.end) == (line, col, col + 4)
    broken = check(str(path), "scenes: [\x00")
    assert [f.code for f in broken[str(path)]] == ["yaml"]
    assert check(str(path), STORY)[str(path)] == []


def test_only_story_files_are_checked_as_stories():
    assert is_story("/w/ci.yaml", index(STORY))
    assert is_story("/w/part.yaml", index("scenes:\n  x: {text: hi}\n"))
    assert not is_story("/w/.github/workflows/ci.yaml", index("on: [push]\njobs: {}\n"))
    assert not is_story("/w/stories/tests/demo/walk.yaml", index("story: demo\nsteps: []\n"))
    assert is_story("/w/stories/new.yaml", index(""))  # empty: "the story file is empty"
    assert is_story("/w/stories/new.yaml", None)  # not YAML yet: the YAML error
    assert not is_story("/w/stories/tests/demo/walk.yaml", None)
    assert not is_story("/w/notes.yaml", None)


def test_an_alias_bomb_gives_an_empty_index_not_a_long_walk():
    items = ", ".join(["*t"] * 200)
    choices = ", ".join(["*c"] * 200)
    text = (f'format: 2\nid: x\ndefs:\n  - &t "w"\n  - &c {{text: [{items}], goto: a}}\n'
            f"scenes:\n  a:\n    text: hi\n    choices: [{choices}]\n")
    found = index(text)
    assert found is not None and found.scenes == {} and found.uses == []
    assert list(index(text.replace(choices, "*c")).scenes) == ["a"]  # one alias is no bomb


def test_random_edits_never_break_the_index_completion_or_hover():
    import random

    rng = random.Random(1)
    source = (ROOT / "stories" / "demo.yaml").read_text(encoding="utf-8")
    for _ in range(80):
        cut = rng.randrange(len(source))
        junk = rng.choice(["((", "))", ":", "- ", "{", "[", '"', "\n  ", "visited(", "&a ", "*a", "\t", ""])
        text = source[:cut] + junk + source[cut + rng.randrange(0, 40):]
        project = Project.of("/x/s.yaml", text, read=lambda path: None)
        lines = text.split("\n")
        for _ in range(10):
            line = rng.randrange(len(lines))
            col = rng.randrange(len(lines[line]) + 1)
            complete(lines, line, col, project, "/x/s.yaml")
            hover(project, "/x/s.yaml", line, col)


def test_the_worker_runs_jobs_in_order_skips_cancelled_ones_and_passes_errors_back():
    import asyncio
    import threading

    from game.lsp.worker import Worker

    async def scenario():
        worker = Worker("test-worker")
        gate = threading.Event()
        ran = []
        first = worker.run(lambda: (gate.wait(10), ran.append(1), 1)[2])
        skipped = worker.run(lambda: ran.append(2))
        failing = worker.run(lambda: 1 / 0)
        skipped.cancel()
        gate.set()
        assert await first == 1
        with pytest.raises(ZeroDivisionError):
            await failing
        assert ran == [1]
        return [t for t in threading.enumerate() if t.name == "test-worker"]

    [thread] = asyncio.run(scenario())
    assert thread.daemon  # exiting never waits for a check


def test_a_hover_as_plain_text_keeps_the_words_and_drops_the_markup():
    from game.lsp.hover import plain

    project = Project.of("/s/story.yaml", STORY, read=lambda path: None)
    text, _ = hover(project, "/s/story.yaml", *_at(STORY, "goto: garden", 8))
    assert plain(text).startswith("scene garden: The garden")
    assert "- Stay a while. → done" in plain(text)
    assert plain(escape("a *b* (c) `d`")) == "a *b* (c) `d`"


def test_completion_leaves_out_the_keys_already_written():
    text = "scenes:\n  kitchen:\n    choices:\n      - text: x\n        if: a\n        g\n        effects: {}\n" \
           "      - text: y\n        goto: z\n"
    labels = _labels(text, "        g")
    assert "goto" in labels and "text" not in labels and "if" not in labels and "effects" not in labels
    labels = _labels("scenes:\n  kitchen:\n    choices:\n      - te\n        goto: x\n", "      - te")
    assert "text" in labels and "goto" not in labels
    labels = _labels("format: 2\nid: x\nti\nscenes: {}\n", "ti")
    assert "title" in labels and "id" not in labels and "scenes" not in labels


def test_a_name_in_include_leads_to_the_file_and_hovers_its_scenes(tmp_path):
    main = STORY.replace("start: kitchen\n", "start: kitchen\ninclude: [shed.yaml, missing.yaml]\n")
    (tmp_path / "story.yaml").write_text(main)
    (tmp_path / "shed.yaml").write_text("scenes:\n  shed:\n    text: The shed.\n    choices:\n"
                                        "      - {text: Back., goto: kitchen}\n")
    project = Project.of(str(tmp_path / "story.yaml"), main)
    line, col = _at(main, "shed.yaml", 1)
    symbol = project.at(str(tmp_path / "story.yaml"), line, col)
    assert project.definition(symbol.kind, symbol.name).path == str(tmp_path / "shed.yaml")
    text, _ = hover(project, str(tmp_path / "story.yaml"), line, col)
    assert text == "**file** `shed.yaml`: 1 scene\n\n`shed`"
    text, _ = hover(project, str(tmp_path / "story.yaml"), *_at(main, "missing.yaml", 1))
    assert "No such file" in text


@pytest.mark.parametrize("text, offered, not_offered", [
    ("scenes:\n  kitchen:\n    ending: {title: x, t", ["tone", "support"], ["title", "goto"]),
    ("meters:\n  trust: {start: 1, m", ["min", "max", "label"], ["start"]),
    ("scenes:\n  kitchen:\n    choices:\n      - {text: x, g", ["goto", "if"], ["text"]),
    ("scenes:\n  kitchen:\n    choices:\n      - {text: x, effects: {tr", ["trust", "set"], ["goto"]),
])
def test_completion_of_keys_inside_braces(text, offered, not_offered):
    labels = _labels(text, text.split("\n")[-1])
    assert set(offered) <= set(labels) and not set(not_offered) & set(labels)
