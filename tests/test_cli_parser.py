"""The command line builds only the command it is given, and reads every argv as before."""

from __future__ import annotations

import subprocess
import sys

import pytest

from game.cli import COMMAND_MODULES, build_parser

ARGVS = [
    ["play", "demo", "--load", "bench-start"],
    ["--plain", "play", "demo"],
    ["--stories", "check", "play", "demo", "--set", "trust=5"],
    ["--classroom", "room-4", "play", "demo", "--projector"],
    ["check", "stories/demo.yaml"],
    ["import", "story.twee", "-o", "out.yaml"],
    ["randomtest", "demo"],
    [],
    ["--plain"],
]


@pytest.mark.parametrize("argv", ARGVS, ids=lambda a: " ".join(a) or "(none)")
def test_the_named_command_parses_as_the_whole_parser_does(argv):
    assert vars(build_parser(argv).parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_starting_the_game_imports_only_the_play_command():
    code = ("import sys, game.cli; game.cli.build_parser(['play', 'demo']).parse_args(['play', 'demo']); "
            "print(sorted(m for m in sys.modules if m.startswith('game.commands.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['game.commands.play']"


@pytest.mark.parametrize("argv", [["--help"], ["play", "--help"]])
def test_help_still_lists_or_describes_every_command(argv, capsys):
    with pytest.raises(SystemExit):
        build_parser(argv).parse_args(argv)
    out = capsys.readouterr().out
    if argv == ["--help"]:
        for name in COMMAND_MODULES:
            command = name.rsplit(".", 1)[1]
            assert (command if command != "import_twee" else "import") in out
    else:
        assert "--load SLOT" in out


def test_an_unknown_command_still_lists_the_choices(capsys):
    with pytest.raises(SystemExit):
        build_parser(["bogus"]).parse_args(["bogus"])
    assert "invalid choice: 'bogus'" in capsys.readouterr().err
