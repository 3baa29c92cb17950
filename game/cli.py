"""`understood`: the one command-line entry. Each subcommand lives in its own module.

A command module defines `register(subparsers)`, which adds its parser and sets
`func=run` (a function taking the parsed arguments and returning an exit code). Modules keep
their heavy imports inside `run`, so that starting the game stays quick.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from game import __version__
from game.classroom.options import add_classroom_options
from game.usage import UsageError, add_common, positive  # noqa: F401 (the names commands used to import from here)

# Order here is the order in `understood --help`.
COMMAND_MODULES = [
    "game.commands.play",
    "game.commands.list",
    "game.commands.check",
    "game.commands.explore",
    "game.commands.randomtest",
    "game.commands.graph",
    "game.commands.test",
    "game.commands.new",
    "game.commands.import_twee",
    "game.commands.stats",
    "game.commands.schema",
    "game.commands.lsp",
    "game.commands.support",
    "game.commands.report",
    "game.commands.serve",
    "game.commands.export",
]

DESCRIPTION = """\
Understood: a terminal game about what men often can't say.

With no command, it opens the game. Players who use a screen reader, or play through a
pipe, can use the plain player: understood --plain offers a numbered list of stories
(understood list prints it), and understood play STORY --plain plays one. In the plain
player, type a choice's number; undo, skip, save NAME, load NAME, support, help and quit
work at every prompt (see: understood play --help)."""


def _add_top_level(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"understood {__version__}")
    parser.add_argument("--plain", action="store_true",
                        help="the plain line-based player: best with a screen reader, and for pipes")
    add_classroom_options(parser, projector=True)
    add_common(parser)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given `argv` that names a command, only that command's parser is
    built (each command module imported is start-up time), and parsing `argv` is unchanged."""
    parser = argparse.ArgumentParser(
        prog="understood", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _add_top_level(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    module = _command_module(argv) if argv is not None else None
    if module is not None:
        importlib.import_module(module).register(subparsers)
        if _command_in(argv) in subparsers.choices:
            return parser
        return build_parser()
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


class _ProbeFailed(Exception):
    pass


class _Probe(argparse.ArgumentParser):
    """The top-level options only, to find which command argv names; it never prints or exits."""

    def error(self, message):
        raise _ProbeFailed(message)

    def exit(self, status=0, message=None):
        raise _ProbeFailed(message)


def _command_in(argv: list[str]) -> str | None:
    """The command word in `argv` as argparse would read it, or None when unsure."""
    probe = _Probe(prog="understood", add_help=False)
    _add_top_level(probe)
    probe.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        args, _ = probe.parse_known_args(argv)
    except _ProbeFailed:
        return None
    return args.rest[0] if args.rest else None


def _command_module(argv: list[str]) -> str | None:
    """The module of the command `argv` names (a module `game.commands.x_y` gives `x-y`)."""
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    command = _command_in(argv)
    for name in COMMAND_MODULES:
        if command is not None and name.rsplit(".", 1)[1].replace("_", "-") == command:
            return name
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one command. Everything it prints passes the output guard (game/safe_text.py), so no
    control character from a story, a save, a summary or an argument reaches the terminal."""
    from game.safe_text import guarded

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = guarded(sys.stdout), guarded(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = saved


def _main(argv: list[str] | None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from game.commands.play import run_default

            return run_default(args)
        return int(args.func(args) or 0)
    except UsageError as exc:
        parser.exit(2, f"understood: error: {exc}\n")
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return 0
