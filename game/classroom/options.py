"""The classroom options every player takes: `--classroom NAME`, `--classes DIR`, `--projector`.

Kept free of heavy imports: it is read while the command line is being built.
"""

from __future__ import annotations

import argparse
import re

CLASS_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")  # as game.classroom.session checks it


def class_name(text: str) -> str:
    """An argparse type: a usable class name. An empty one is an error, never "no class mode"."""
    if not CLASS_NAME.match(text):
        shown = text.encode("ascii", "backslashreplace").decode()[:64]
        raise argparse.ArgumentTypeError(
            f"'{shown}' is not a usable class name: use letters, digits, '-' and '_' (up to 64), "
            "e.g. --classroom period-3")
    return text


def add_classroom_options(parser: argparse.ArgumentParser, *, inherit: bool = False,
                          projector: bool = False) -> None:
    """Add the options. With `inherit` (a subcommand's parser), options left unset there do not
    override the same options given before the subcommand."""
    default = argparse.SUPPRESS if inherit else None
    parser.add_argument("--classroom", metavar="NAME", default=default, type=class_name,
                        help="classroom mode: anonymous summaries go to classes/NAME/")
    parser.add_argument("--classes", metavar="DIR", default=default,
                        help="the folder that holds the class folders (default: ./classes)")
    if projector:
        parser.add_argument("--projector", action="store_true",
                            default=argparse.SUPPRESS if inherit else False,
                            help="large text and high contrast, for playing on a projector with the class")


def classroom_session(args: argparse.Namespace):
    """The anonymous session for `--classroom NAME`, or None. A bad name is a usage error."""
    name = getattr(args, "classroom", None)
    if name is None:
        return None
    from game.classroom.session import ClassroomSession, SummaryError
    from game.usage import UsageError

    try:
        return ClassroomSession(name, getattr(args, "classes", None))
    except SummaryError as exc:
        raise UsageError(str(exc)) from None
