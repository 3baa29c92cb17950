"""What every command line shares: the usage error and the common arguments.

Kept apart from `game.cli` so that command modules and front ends can use them without
importing the entry point that imports them (no cycle between `cli` and `commands`/`classroom`).
"""

from __future__ import annotations

import argparse


class UsageError(Exception):
    """Bad usage found after parsing (exit code 2)."""


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 ("250,000" and "250_000" read too)."""
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stories", action="append", metavar="DIR", default=None,
                        help="another folder of stories (may repeat)")
    parser.add_argument("--saves", metavar="DIR", default=None,
                        help="where saves live (default: $UNDERSTOOD_SAVES, else your data folder)")
