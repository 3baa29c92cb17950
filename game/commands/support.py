"""`understood support`: print free support lines (the same list the game shows)."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("support", help="free support lines, if something stirred things up",
                                   description="Print free, confidential support lines.")
    parser.set_defaults(func=run)


def run(args) -> int:
    from game.support import support_text

    print(support_text())
    return 0
