"""`understood play STORY`: play a story (the game, or the plain player with --plain)."""

from __future__ import annotations

import argparse
import sys

DEMO_STORY = "demo"


def register(subparsers) -> None:
    from game.classroom.options import add_classroom_options
    from game.usage import add_common

    from game.plain_help import HELP, MENU_HELP

    parser = subparsers.add_parser(
        "play", help="play a story",
        description="Play a story by id (from stories/) or by file path. --plain plays in plain text: "
                    "for screen readers, pipes and tests. With no STORY, the game's title screen, or with "
                    "--plain a numbered list of stories (`understood list` prints it).",
        epilog=f"In the plain player: {MENU_HELP[0].lower() + MENU_HELP[1:]}\n{HELP}\n"
               "In class mode (--classroom NAME) 'pause' works too, and nothing is saved on the computer.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("story", metavar="STORY", nargs="?", default=None,
                        help="a story id, e.g. opening-up, or a path to a .yaml file (none: choose from a list)")
    parser.add_argument("--plain", action="store_true", help="plain line-based player (screen readers, pipes)")
    parser.add_argument("--load", metavar="SLOT", help="continue from a save slot")
    add_classroom_options(parser, inherit=True, projector=True)
    # Playtesting (see game/tools/playtest.py); front ends read these with getattr.
    parser.add_argument("--from", dest="from_scene", metavar="SCENE", help="start in this scene (playtesting)")
    parser.add_argument("--set", dest="set", action="append", metavar="NAME=VALUE",
                        help="start with a meter or flag set, e.g. --set trust=5 --set told_layoff (repeatable)")
    parser.add_argument("--path", metavar="FILE_OR_LIST",
                        help="replay a walkthrough first: a file, or choice ids like van.1,tailgate.2")
    parser.add_argument("--watch", action="store_true",
                        help="reload the story whenever its file is saved, keeping your place")
    add_common(parser)
    parser.set_defaults(func=run)


def load_or_report(ref: str, story_dirs: list[str] | None):
    """Find and load a story, printing errors compiler-style; None when it cannot be played."""
    from game.story import StoryLoadError, StoryNotFound, default_story_dirs, find_story, load_story

    try:
        path = find_story(ref, default_story_dirs(story_dirs))
        return load_story(path)
    except StoryNotFound as exc:
        print(f"understood: {exc}", file=sys.stderr)
    except StoryLoadError as exc:
        for error in exc.errors:
            print(error.format(), file=sys.stderr)
        print(f"understood: the story '{ref}' has errors and cannot be played; fix them and try again.",
              file=sys.stderr)
    return None


SETUP_FLAGS = ("from_scene", "set", "path")


def wants_setup(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) for name in SETUP_FLAGS)


def setup_of(story, args: argparse.Namespace):
    """--from, --set and --path read and checked against the story, once, for every front end
    (`game.engine.setup`); a bad one is a usage error (exit 2) before anything starts."""
    from game.usage import UsageError
    from game.engine.setup import SetupError, parse_setup
    from game.tools.playtest import read_path

    try:
        path = getattr(args, "path", None)
        moves = path if isinstance(path, (list, tuple)) else read_path(path) if path else ()
        return parse_setup(story, start=getattr(args, "from_scene", None), sets=getattr(args, "set", None),
                           moves=moves)
    except SetupError as exc:
        raise UsageError(str(exc)) from None


def start_of(story, args: argparse.Namespace):
    """`--from SCENE` and `--set NAME=VALUE` checked against the story: (start, overrides)."""
    setup = setup_of(story, args)
    return setup.start, dict(setup.overrides)


def run(args: argparse.Namespace) -> int:
    if args.plain or not _interactive():
        return run_plain(args)
    if args.story is None:
        return run_tui(args, None)
    from game.story import StoryNotFound, default_story_dirs, find_story

    try:
        find_story(args.story, default_story_dirs(args.stories))
    except StoryNotFound as exc:
        print(f"understood: {exc}", file=sys.stderr)
        return 1
    setup = None
    if wants_setup(args):  # checked here, before the screen clears, exactly as the plain player does
        story = load_or_report(args.story, args.stories)
        if story is None:
            return 1
        setup = setup_of(story, args)
    return run_tui(args, args.story, setup)


def run_plain(args: argparse.Namespace) -> int:
    from game.classroom.options import classroom_session
    from game.engine import SaveStore
    from game.plain import play_plain

    session = classroom_session(args)
    if args.story is None:
        story = pick_story(args.stories)
        if story is None:
            return 0
    else:
        story = load_or_report(args.story, args.stories)
        if story is None:
            return 1
    setup = setup_of(story, args) if wants_setup(args) else None
    if session is not None:
        from game.classroom.plain import play_classroom_plain

        game = None
        if setup is not None:
            from game.tools.playtest import begin_noted

            game, notes = begin_noted(story, setup)
            for note in notes:
                print(note)
        return play_classroom_plain(story, session, SaveStore(args.saves), game=game)
    if setup is not None or getattr(args, "watch", False):
        return _playtest(story, setup, args)
    return play_plain(story, SaveStore(args.saves), load=args.load)


def pick_story(story_dirs: list[str] | None):
    """The plain player's numbered story menu (screen readers, pipes); None when the player quit."""
    from game.plain import read_line, readable
    from game.plain_menu import choose_story, shelf
    from game.safe_text import clean_line
    from game.story import default_story_dirs

    stdin = readable(sys.stdin)

    def ask(prompt: str) -> str | None:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        line = read_line(stdin)
        if line is None:
            print()
            return None
        line = clean_line(line).strip()
        if not stdin.isatty():
            print(line)  # a transcript shows what was typed
        return line

    return choose_story(shelf(default_story_dirs(story_dirs)), ask, print)


def _playtest(story, setup, args: argparse.Namespace) -> int:
    from game.usage import UsageError
    from game.engine.setup import PlaySetup
    from game.tools.playtest import play_plain_playtest

    if args.load:
        raise UsageError("--load continues a save; it does not mix with --from, --set, --path or --watch")
    return play_plain_playtest(story, setup or PlaySetup(), args)


def run_tui(args: argparse.Namespace, story: str | None, setup=None) -> int:
    """The Textual game: the title screen, or straight into `story` (content notes first), started
    as `setup` (a checked `PlaySetup`) says."""
    import gc

    # Importing Textual and the game makes tens of thousands of objects that live as long as the
    # program. Collecting garbage while they are made walks them again and again (a full
    # collection during start-up took ~35 ms); once made, they are frozen out of its reach.
    # Objects made after this point are collected as usual.
    gc.disable()
    try:
        from game.tui.app import run_app
        from game.tui.options import AppOptions
    finally:
        gc.freeze()
        gc.enable()

    options = AppOptions(
        story_dirs=list(args.stories or []), saves_dir=args.saves, story=story,
        load_slot=getattr(args, "load", None), watch=getattr(args, "watch", False),
        start=setup.start if setup else None, overrides=dict(setup.overrides) if setup else {},
        moves=setup.moves if setup else (),
        classroom=getattr(args, "classroom", None), classes=getattr(args, "classes", None),
        projector=getattr(args, "projector", False),
    )
    if options.classroom or options.projector:
        from game.classroom.app import run_classroom_app
        from game.classroom.options import classroom_session

        classroom_session(args)  # a bad class name is a usage error, before the screen clears
        return run_classroom_app(options)
    return run_app(options)


def run_default(args: argparse.Namespace) -> int:
    """`understood` with no command: the game's title screen (with --plain, or through a pipe, the
    plain player's numbered story menu)."""
    args.story = None
    args.load = None
    for name in ("from_scene", "set", "path", "watch"):
        setattr(args, name, getattr(args, name, None))
    if args.plain or not _interactive():
        return run_plain(args)
    return run_tui(args, None)


def _interactive() -> bool:
    """A terminal, or a browser session of `understood serve` (textual-serve sets TEXTUAL_DRIVER)."""
    import os

    return (sys.stdin.isatty() and sys.stdout.isatty()) or bool(os.environ.get("TEXTUAL_DRIVER"))
