"""`understood new "Title"`: scaffold a new, valid, well-commented story."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
Write a new story file from a template: a short, complete story that uses every feature of the
format, with notes on each line. It passes `understood check` and `understood explore` as it
stands; replace its scenes with yours. By default it is written to stories/ID.yaml.

Exit code 0 when written, 1 when the file already exists (see --force), 2 for bad usage."""


def register(subparsers) -> None:
    parser = subparsers.add_parser("new", help="start a new story from a template",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("title", metavar="TITLE", help='the story\'s title, e.g. "Opening Up"')
    parser.add_argument("--id", dest="story_id", metavar="ID", help="the story's id (default: from the title)")
    parser.add_argument("-o", "--output", metavar="FILE", help="where to write it (default: stories/ID.yaml)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import re
    from pathlib import Path

    from game.usage import UsageError
    from game.tools.scaffold import scaffold, slugify

    if not args.title.strip():
        raise UsageError("give the story a title, e.g. understood new \"Opening Up\"")
    story_id = args.story_id or slugify(args.title)
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?", story_id):
        raise UsageError(f"'{story_id}' is not a story id: use lowercase a-z, 0-9 and '-', e.g. opening-up")
    target = Path(args.output) if args.output else Path("stories") / f"{story_id}.yaml"
    if target.exists() and not args.force:
        print(f"understood: {target} already exists; choose another --id or -o, or add --force", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(scaffold(args.title, story_id, target), encoding="utf-8")
    print(f"Wrote {target}. Next:\n"
          f"  understood play {target} --plain     play it\n"
          f"  understood check {target}            check it after every change\n"
          f"  understood explore {target}          see every ending and how to reach it\n"
          f"The tutorial is docs/writing-stories.md.")
    return 0
