"""`understood export STORY -o story.html`: the story as one web page that plays anywhere, offline."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

DESCRIPTION = """\
Write a story as one self-contained HTML file: the web player, its styles and the story inline.
It plays in any modern browser, offline, from a USB stick or a learning platform, and makes no
network request. Progress is kept in the browser, so closing the tab loses nothing.

With --classroom NAME the page opens with the story's content notes and a "sit this one out"
button, and at the ending offers the anonymous summary as a file to hand in; put the files in
one folder and `understood report FOLDER` reads them as it reads the class server's.

Exit code 0, or 1 when the story cannot be loaded or the file cannot be written, 2 for bad usage."""


def register(subparsers) -> None:
    from game.usage import add_common

    parser = subparsers.add_parser("export", help="write a story as one web page that plays offline",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("story", metavar="STORY", help="a story id or a path to a .yaml file")
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="the HTML file to write")
    parser.add_argument("--classroom", metavar="NAME", default=None,
                        help="a class name: content notes first, and a summary to hand in at the ending")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_common(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from game.classroom.session import CLASS_NAME
    from game.commands.play import load_or_report

    if args.classroom is not None and not CLASS_NAME.match(args.classroom):
        print(f"understood: '{args.classroom}' is not a usable class name: use letters, digits, '-' and '_'.",
              file=sys.stderr)
        return 2
    target = Path(args.output).expanduser()
    if target.is_dir():
        print(f"understood: {target} is a folder; name the file to write, such as {target / 'story.html'}",
              file=sys.stderr)
        return 2
    if target.exists() and not args.force:
        print(f"understood: {target} already exists; use --force to replace it.", file=sys.stderr)
        return 1
    story = load_or_report(args.story, args.stories)
    if story is None:
        return 1
    from game.web.page import build_page

    page = build_page(story, classroom=args.classroom).encode("utf-8")
    try:
        _write_atomically(target, page)
    except OSError as exc:
        print(f"understood: could not write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    mode = f" for class {args.classroom}" if args.classroom else ""
    print(f"Wrote {target} ({len(page) / 1024:.0f} KB): '{story.title}'{mode}, playable offline in a browser.")
    return 0


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=".tmp-", suffix=".html")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
