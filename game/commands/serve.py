"""`understood serve`: play in web browsers with nothing installed.

By default one process serves the web player to every student (game/classroom/server/); with
`--terminal`, each browser gets its own Textual game through textual-serve (game/classroom/serve.py).
"""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def session_cap(text: str) -> int:
    from game.usage import positive

    value = positive(text)
    if value > 1000:
        raise argparse.ArgumentTypeError("at most 1000 sessions")
    return value


def register(subparsers) -> None:
    from game.classroom.options import add_classroom_options
    from game.commands.report import threshold_number

    parser = subparsers.add_parser(
        "serve", help="serve a story to web browsers (for a classroom)",
        description="Serve a story to web browsers, so students play with nothing installed: each browser "
                    "plays the story itself and sends the server its progress and anonymous summary. You get "
                    "a page of your own (its address, with a token, is printed): live progress, a message to "
                    "everyone, 'end the session' and the debrief. By default only this computer can connect "
                    "(127.0.0.1:8000); use --host and --port on a classroom network. --terminal serves the "
                    "terminal game instead, one process per browser.",
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default: 127.0.0.1, this computer only; "
                             "0.0.0.0 for every network)")
    parser.add_argument("--port", type=port_number, default=8000, help="the port to listen on (default: 8000)")
    parser.add_argument("--story", metavar="ID",
                        help="the story everyone plays (needed unless --terminal, where it pins the title screen)")
    parser.add_argument("--terminal", action="store_true",
                        help="serve the terminal game itself (Textual in the browser), one process per browser")
    parser.add_argument("--threshold", type=threshold_number, default=None, metavar="N",
                        help="on your pages, hide any count of 1 to N-1 students (default: 3)")
    parser.add_argument("--allow-host", action="append", metavar="NAME", default=None,
                        help="another name browsers may use to reach the server, e.g. classroom.local "
                             "(loopback names and the --host address are always allowed; may repeat)")
    parser.add_argument("--max-sessions", type=session_cap, metavar="N", default=None,
                        help="at most N students (default: 1000 for the web player; with --terminal, live "
                             "sessions sized to this computer's cores and memory)")
    add_classroom_options(parser, projector=True)
    parser.add_argument("--stories", action="append", metavar="DIR", default=None,
                        help="another folder of stories (may repeat)")
    parser.set_defaults(func=run)


def session_options(args: argparse.Namespace):
    """Check everything a session will need now, so that problems show here, not in 30 browsers."""
    from game.classroom.options import classroom_session
    from game.classroom.serve import SessionOptions
    from game.classroom.session import classes_dir
    from game.usage import UsageError
    from game.story import StoryNotFound, default_story_dirs, find_story

    classroom_session(args)  # a bad class name is a usage error
    stories = tuple(Path(d).resolve() for d in args.stories or [])
    if args.story:
        try:
            find_story(args.story, default_story_dirs([str(d) for d in stories]))
        except StoryNotFound as exc:
            raise UsageError(str(exc)) from None
    classes = classes_dir(args.classes).resolve() if args.classroom else None
    return SessionOptions(classroom=args.classroom, classes=classes, story=args.story, stories=stories,
                          projector=bool(getattr(args, "projector", False)),
                          allow_hosts=tuple(getattr(args, "allow_host", None) or ()),
                          max_sessions=getattr(args, "max_sessions", None))


def run(args: argparse.Namespace) -> int:
    if not args.terminal:
        return run_web(args)
    options = session_options(args)
    from game.classroom.serve import ClassServer

    title = "Understood" if not options.story else f"Understood: {options.story}"
    server = ClassServer(options, args.host, args.port, title=title)
    try:
        server.serve()
    except OSError as exc:
        print(_cannot_serve(args, exc), file=sys.stderr)
        return 1
    return 0


def web_server(args: argparse.Namespace, out=None):
    """The class server for these options; problems are usage errors, before anything listens."""
    from game.classroom.options import classroom_session
    from game.classroom.report import default_story_finder
    from game.classroom.server.app import ClassServer
    from game.classroom.server.state import MAX_STUDENTS
    from game.classroom.session import classes_dir
    from game.classroom.suppress import DEFAULT_THRESHOLD
    from game.usage import UsageError
    from game.story import StoryLoadError, StoryNotFound, default_story_dirs, find_story, load_story

    classroom_session(args)  # a bad class name is a usage error
    dirs = default_story_dirs([str(Path(d).resolve()) for d in args.stories or []])
    if not args.story:
        raise UsageError("choose the story everyone plays with --story ID (understood list shows them), "
                         "or serve the terminal game with --terminal")
    try:
        story = load_story(find_story(args.story, dirs))
    except StoryNotFound as exc:
        raise UsageError(str(exc)) from None
    except StoryLoadError as exc:
        raise UsageError(f"the story '{args.story}' has errors; run: understood check {args.story}\n{exc}") from None
    finder = default_story_finder(args.stories)
    classes = classes_dir(args.classes).resolve() if args.classroom else None
    return ClassServer(story, classroom=args.classroom, classes=classes, host=args.host, port=args.port,
                       projector=bool(args.projector), threshold=args.threshold or DEFAULT_THRESHOLD,
                       find_story=lambda story_id: story if story_id == story.id else finder(story_id), out=out,
                       limit=args.max_sessions or MAX_STUDENTS, allow_hosts=args.allow_host or ())


def _cannot_serve(args: argparse.Namespace, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"understood: port {args.port} is already in use on {args.host}; try --port {args.port + 1}"
    return f"understood: could not serve on {args.host}:{args.port}: {exc.strerror or exc}"


def run_web(args: argparse.Namespace) -> int:
    server = web_server(args)
    try:
        server.serve()
    except KeyboardInterrupt:
        print("Stopped. Summaries already sent are in the class folder.", file=sys.stderr)
    except OSError as exc:
        print(_cannot_serve(args, exc), file=sys.stderr)
        return 1
    return 0
