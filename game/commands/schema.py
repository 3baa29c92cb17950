"""`understood schema`: print the JSON Schema of the story format, for editors."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Print the JSON Schema of the story format. Editors with a YAML language server use it for
completion, hover help and inline errors: see docs/editor-setup.md. Story files name it on their
first line:  # yaml-language-server: $schema=../game/data/story.schema.json"""


def register(subparsers) -> None:
    parser = subparsers.add_parser("schema", help="print the story format's JSON Schema (for editors)",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", action="store_true", help="print where the schema file is, instead")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from game.tools.scaffold import SCHEMA

    if args.path:
        print(SCHEMA)
    else:
        sys.stdout.write(SCHEMA.read_text(encoding="utf-8"))
    return 0
