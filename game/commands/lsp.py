"""`understood lsp`: the language server for story files, for editors (see docs/editor-setup.md)."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Run the language server for story files: an editor starts it and talks to it over stdin and
stdout (the Language Server Protocol). As you type, it shows what `understood check` finds (the
same messages and codes); it completes scene ids, meters, flags and keys, goes to where a scene,
meter or flag is defined and finds where it is used, shows a scene's text or a meter's range on
hover, and lists the scenes as the file's outline. Setup for VS Code, Neovim and Helix:
docs/editor-setup.md."""


def register(subparsers) -> None:
    from game.usage import positive

    parser = subparsers.add_parser("lsp", help="the language server for story files (for editors)",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stdio", action="store_true", help="talk over stdin and stdout (the default, and the only way)")
    parser.add_argument("--debounce", type=int, default=300, metavar="MS",
                        help="wait this long after a change before checking (default: 300 ms)")
    parser.add_argument("--max-states", type=positive, default=None, metavar="N",
                        help="stop exploring a story after N distinct states (default: 1,000,000)")
    parser.add_argument("--no-explore", action="store_true",
                        help="only the loader's checks, no analysis of reachable states (for very long stories)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from game.lsp.server import Options, serve
    from game.tools.explore import DEFAULT_MAX_STATES
    from game.usage import UsageError

    if not 0 <= args.debounce <= 10_000:
        raise UsageError("--debounce must be between 0 and 10000 (milliseconds)")
    return serve(Options(args.debounce / 1000, not args.no_explore, args.max_states or DEFAULT_MAX_STATES))
