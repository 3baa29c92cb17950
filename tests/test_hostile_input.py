"""Hostile input through every reader and printer: no traceback, no raw control character in any
output, and a clear message. Each case is generated from the same list of attacks."""

from __future__ import annotations

import json
import re

import pytest

from game.cli import main
from game.safe_text import UNSAFE
from tests.storytext import BASE

# The bytes the "Done when" names: none may reach any output.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Escapes as a YAML double-quoted string writes them (a story file holds no raw control bytes:
# the YAML reader refuses those itself; escapes in quoted strings are the way in).
YAML_ATTACKS = {
    "osc52": r"\e]52;c;ZWNobyBwd25lZA==\a",
    "osc0": r"\e]0;owned\e\\",
    "clear": r"\e[2J",
    "osc8": r"\e]8;;http://x/\e\\link\e]8;;\e\\",
    "hidden": r"\e[8m",
    "c1-csi": r"\x9b2J",
    "bidi": r"\u202e",
    "null": r"\0",
    "bell": r"\a",
}


def no_raw_control(*texts: str) -> None:
    for text in texts:
        found = RAW_CONTROL.search(text) or UNSAFE.search(text)
        assert found is None, f"raw {found.group()!r} in output: {text[max(0, found.start() - 40):found.end() + 40]!r}"


def story_with(title: str) -> str:
    return BASE.replace("title: Tiny", f'title: "Tiny {title}"', 1)


@pytest.mark.parametrize("attack", YAML_ATTACKS.values(), ids=YAML_ATTACKS.keys())
def test_check_reports_a_control_character_with_its_place_and_never_prints_it(tmp_path, capsys, attack):
    path = tmp_path / "tiny.yaml"
    path.write_text(story_with(attack))
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    no_raw_control(out, err)
    assert f"{path}:3:" in out and "control character" in out and "U+" in out


@pytest.mark.parametrize("attack", YAML_ATTACKS.values(), ids=YAML_ATTACKS.keys())
def test_a_story_with_a_control_character_is_refused_by_the_players_and_tools(tmp_path, capsys, attack):
    path = tmp_path / "tiny.yaml"
    path.write_text(story_with(attack))
    for argv in (["play", str(path), "--plain"], ["stats", str(path)], ["graph", str(path)]):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code != 0, argv
        no_raw_control(out, err)
        assert "control character" in out + err


# --- the class report over a folder of every hostile file ---------------------------------------

from tests.hostile import READABLE, write_hostile_folder  # noqa: E402


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_is_produced_from_a_folder_of_every_hostile_file(tmp_path, capsys, fmt):
    folder = tmp_path / "p3"
    made = write_hostile_folder(folder)
    out_file = tmp_path / f"report.{fmt}"
    assert main(["report", str(folder), "-o", str(out_file)]) == 0
    _, err = capsys.readouterr()
    text = out_file.read_text(encoding="utf-8")
    no_raw_control(text, err)
    assert main(["report", str(folder), "--format", fmt]) == 0
    out, err = capsys.readouterr()
    no_raw_control(out, err)
    rejected = set(made) - READABLE
    for name in rejected:
        assert name in text, f"{name} not listed"
    assert f"skipped {len(rejected)} files" in err


def test_the_summary_reader_gives_each_hostile_file_its_reason(tmp_path):
    from game.classroom.summaries import read_folder

    folder = tmp_path / "p3"
    made = write_hostile_folder(folder)
    found = read_folder(folder)
    reasons = {s.name.rstrip("/"): s.reason for s in found.skipped}
    assert sorted(d["session"] for d in found.summaries) == ["b7", "c1", "c2"]
    assert "not a regular file" in reasons["fifo.json"]
    assert "outside the class folder" in reasons["zero.json"] and "outside" in reasons["outside.json"]
    assert "nests deeper" in reasons["deep.json"] and "too long" in reasons["huge-number.json"]
    assert "not a number" in reasons["nan.json"] and "out of range" in reasons["big-float.json"]
    assert "too large" in reasons["big.json"] and "not a story id" in reasons["path-story.json"]
    assert "leads nowhere" in reasons["dangling.json"]
    assert all(not any(c in name for c in "\x1b\x07") for name in reasons)
    for summary in found.summaries:
        no_raw_control(json.dumps(summary, ensure_ascii=False))
    assert set(reasons) == set(made) - READABLE


def test_report_tui_without_a_terminal_says_so_and_exits_2(tmp_path, capsys):
    folder = tmp_path / "p3"
    write_hostile_folder(folder, with_special=False)
    with pytest.raises(SystemExit) as stopped:
        main(["report", str(folder), "--format", "tui"])
    assert stopped.value.code == 2 and "needs a terminal" in capsys.readouterr().err


# --- stories, saves, settings, playthroughs, walkthroughs and Twee: special and hostile files -----

from tests.hostile import (  # noqa: E402
    ALL_ATTACKS,
    hostile_json_documents,
    hostile_save,
    special_files,
)


def run_cli(capsys, argv) -> tuple[int, str]:
    """A command as a person runs it: its exit code and everything it printed (never a traceback)."""
    try:
        code = main(argv)
    except SystemExit as stopped:
        code = stopped.code
    out, err = capsys.readouterr()
    no_raw_control(out, err)
    assert "Traceback" not in out + err
    return code, out + err


@pytest.mark.parametrize("command", [["check"], ["play", "--plain"], ["stats"], ["graph"], ["explore"]])
def test_special_files_where_a_story_should_be_get_a_clear_message(tmp_path, capsys, command):
    for what, path in special_files(tmp_path / "stories", ".yaml").items():
        code, text = run_cli(capsys, [command[0], str(path), *command[1:]])
        if what == "folder" and command == ["check"]:
            assert "no story files found" in text  # check reads a folder as a folder of stories
            continue
        assert code != 0, (what, text)
        assert "not a regular file" in text or "folder" in text or "no story" in text, (what, text)


def test_hostile_saves_load_with_a_clear_message_and_nothing_raw(tmp_path, capsys, monkeypatch):
    import io

    story = tmp_path / "tiny.yaml"
    story.write_text(BASE)
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / "attack.json").write_text(json.dumps(hostile_save("other")))
    (saves / "same.json").write_text(json.dumps(hostile_save("tiny")))
    for name, document in hostile_json_documents().items():
        (saves / f"{name.replace(' ', '-')}.json").write_bytes(document)
    special_files(saves, ".json")
    slots = ["attack", "same", "fifo", "zero", "folder"] + [n.replace(" ", "-") for n in hostile_json_documents()]
    script = "".join(f"load {slot}\n" for slot in slots) + "quit\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(script))
    code, text = run_cli(capsys, ["play", str(story), "--plain", "--saves", str(saves)])
    assert code == 0
    assert "is from another story (Title" in text
    assert text.count("Save '") >= len(slots) - 2


def test_hostile_settings_files_fall_back_to_the_defaults_with_a_calm_notice(tmp_path):
    from game.settings import Settings, load_settings

    for name, document in hostile_json_documents().items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(document)
        settings, notice = load_settings(path)
        assert isinstance(settings, Settings), name
        no_raw_control(settings.theme, notice or "")
    for what, path in special_files(tmp_path / "special", ".json").items():
        settings, notice = load_settings(path)
        assert settings == Settings() and notice and "could not be read" in notice, what


def test_hostile_playthrough_and_walkthrough_files_are_reported_not_crashed_on(tmp_path, capsys):
    story = tmp_path / "tiny.yaml"
    story.write_text(BASE)
    files = special_files(tmp_path / "plays", ".yaml")
    escapes = tmp_path / "plays" / "escapes.yaml"
    escapes.write_text(f'story: tiny\ntitle: "{YAML_ATTACKS["osc52"]}"\nsteps:\n  - choose: "{YAML_ATTACKS["clear"]}"\n')
    deep = tmp_path / "plays" / "deep.yaml"
    deep.write_text("steps: " + "[" * 100_000)
    for path in [*files.values(), escapes, deep]:
        code, text = run_cli(capsys, ["test", str(path)])
        assert code != 0, (path, text)
        code, text = run_cli(capsys, ["play", str(story), "--plain", "--path", str(path)])
        assert code != 0 or "not" in text, (path, text)


def test_twee_with_escape_sequences_imports_as_clean_text_and_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "attack.twee"
    source.write_text(":: StoryTitle\nTitle" + ALL_ATTACKS + "\n\n:: Start\nHello" + ALL_ATTACKS
                      + " there.\n[[Go->End]]\n\n:: End\nThe end.\n", encoding="utf-8")
    code, text = run_cli(capsys, ["import", str(source), "-o", str(tmp_path / "out.yaml")])
    assert "control characters" in text and "were removed" in text
    written = (tmp_path / "out.yaml").read_text()
    assert "\\e" not in written and "\\x1b" not in written.lower()
    no_raw_control(written)
    for what, path in special_files(tmp_path / "special", ".twee").items():
        code, text = run_cli(capsys, ["import", str(path), "-o", str(tmp_path / f"{what}.yaml")])
        assert code == 2 and "cannot read" in text, what


# --- the Textual screens: the title's "continue", the Load screen, the report view ------------------

async def test_hostile_saves_reach_the_title_and_load_screens_clean(tmp_path):
    from tests.tui_support import make_app, screen_text, settle

    saves = tmp_path / "saves"
    saves.mkdir()
    save = hostile_save("demo")
    save.update(slot="autosave-demo", scene="van")
    (saves / "autosave-demo.json").write_text(json.dumps(save))
    (saves / "mine.json").write_text(json.dumps({**save, "slot": "mine"}))
    app = make_app(tmp_path, saves_dir=str(saves))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        no_raw_control(screen_text(app))
        await pilot.press("l")
        await settle(pilot)
        no_raw_control(screen_text(app))


async def test_the_report_view_of_a_hostile_folder_is_clean(tmp_path):
    import io

    from rich.console import Console

    from game.classroom.report import build_report
    from game.classroom.view import ReportApp
    from tests.hostile import write_hostile_folder

    folder = tmp_path / "p3"
    write_hostile_folder(folder)
    app = ReportApp(build_report(folder, lambda story_id: None))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        console = Console(width=120, record=True, file=io.StringIO())
        for static in app.query("Static"):
            console.print(static.content)
        text = console.export_text()
        no_raw_control(text)
        assert "fifo.json" in text


# --- reflections: what a student types, to the summary, the Markdown copy and the report -----------

def test_a_reflection_full_of_escape_sequences_is_clean_everywhere_it_goes(tmp_path, capsys, monkeypatch):
    import io

    from game.classroom.plain import ClassroomPlainPlayer
    from game.classroom.session import ClassroomSession
    from game.engine import SaveStore
    from tests._classroom import demo_story

    monkeypatch.chdir(tmp_path)
    attack = ALL_ATTACKS.replace("\r", "")
    answers = [f"I felt{attack} seen", f"{attack}", "x" * 10_000, "ok"]  # the demo asks four questions
    script = ["1", "1", "3", "3", "y", *answers, "mine.md", "y"]
    story = demo_story()
    out = io.StringIO()
    session = ClassroomSession("p3", tmp_path / "classes")
    player = ClassroomPlainPlayer(story, session, saves=SaveStore(tmp_path / "saves"),
                                  stdin=io.StringIO("".join(f"{line}\n" for line in script)), stdout=out)
    assert player.run() == 0
    no_raw_control(out.getvalue())
    (summary_file,) = (tmp_path / "classes" / "p3").glob("*.json")
    summary = summary_file.read_text()
    no_raw_control(json.loads(summary)["reflection"][0])
    assert "I felt" in summary and "seen" in summary
    no_raw_control((tmp_path / "mine.md").read_text())
    code, text = run_cli(capsys, ["report", str(tmp_path / "classes" / "p3"), "--format", "md"])
    assert code == 0
