"""`understood list`: the stories on this machine, numbered, one to a line (screen-reader friendly)."""

from __future__ import annotations


def register(subparsers) -> None:
    from game.usage import add_common

    parser = subparsers.add_parser(
        "list", help="list the stories you can play",
        description="List the stories you can play, one to a line: number, title, who you are, how long, "
                    "and the id to play it with (understood play ID). The plain player offers the same "
                    "numbered list when no story is named: understood --plain",
    )
    parser.add_argument("--brief", action="store_true", help="one line a story, without its summary")
    add_common(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from game.plain_menu import list_lines, shelf
    from game.story import default_story_dirs

    found = shelf(default_story_dirs(args.stories))
    if not found.stories and not found.broken:
        print("There are no stories here. Add a folder of stories with --stories DIR.")
        return 1
    for line in list_lines(found, summaries=not args.brief):
        print(line)
    return 0
