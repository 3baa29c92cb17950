"""`understood report classes/NAME/`: the class report for the debrief (TUI, Markdown or HTML)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("tui", "md", "html")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="the class report for the debrief",
        description="Read a class folder of anonymous summaries and show how the class played: endings, "
                    "each decision, the meters and the tags. Counts of fewer than 3 students (--threshold) are "
                    "shown as 'fewer than 3', and no hidden count can be worked out by subtraction. Files that "
                    "are not summaries are skipped and listed.",
    )
    parser.add_argument("folder", metavar="FOLDER", help="a class folder, e.g. classes/period-3/")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="tui (bar charts in the terminal), md (Markdown) or html (one self-contained page); "
                             "default: from -o's file name, else tui on a terminal and md through a pipe")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of the screen")
    parser.add_argument("--projector", action="store_true",
                        help="large text and high contrast, one decision a screen (TUI and HTML)")
    parser.add_argument("--threshold", type=threshold_number, default=None, metavar="N",
                        help="hide any count of 1 to N-1 students (default: 3; see the facilitator guide)")
    parser.add_argument("--stories", action="append", metavar="DIR", default=None,
                        help="another folder of stories, to label choices and order decisions (may repeat)")
    parser.set_defaults(func=run)


def threshold_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 3 <= value <= 50:
        raise argparse.ArgumentTypeError("must be from 3 to 50 (below 3, 'fewer than N' would say exactly one)")
    return value


def choose_format(args: argparse.Namespace) -> str:
    from game.usage import UsageError

    if args.format:
        if args.format == "tui" and args.output:
            raise UsageError("the TUI view is for the screen; use --format md or html with -o")
        if args.format == "tui" and not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UsageError("the TUI view needs a terminal; here, use --format md (or html with -o FILE)")
        return args.format
    if args.output:
        fmt = SUFFIXES.get(Path(args.output).suffix.lower())
        if fmt is None:
            raise UsageError(f"can't tell the format from '{args.output}'; add --format md or --format html")
        return fmt
    return "tui" if sys.stdin.isatty() and sys.stdout.isatty() else "md"


def run(args: argparse.Namespace) -> int:
    from game.classroom.report import build_report, default_story_finder
    from game.classroom.suppress import DEFAULT_THRESHOLD

    fmt = choose_format(args)
    folder = Path(args.folder)
    threshold = args.threshold or DEFAULT_THRESHOLD
    try:
        report = build_report(folder, default_story_finder(args.stories), threshold=threshold)
    except FileNotFoundError:
        print(f"understood: there is no class folder at {folder}.{class_hint(folder)}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"understood: could not read {folder}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if report.skipped:
        count = len(report.skipped)
        what = "file that is not a summary" if count == 1 else "files that are not summaries"
        print(f"understood: skipped {count} {what} (listed in the report)", file=sys.stderr)
    if fmt == "tui":
        from game.classroom.view import run_report_view

        return run_report_view(report, projector=args.projector)
    from game.safe_text import guard

    if fmt == "html":
        from game.classroom.html import render_html

        text = guard(render_html(report, projector=args.projector))  # the output guard: nothing from a summary reaches a screen raw
    else:
        from game.classroom.markdown import render_markdown

        text = guard(render_markdown(report))
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"understood: could not write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Wrote the class report to {args.output}", file=sys.stderr)
    return 0


def class_hint(folder: Path) -> str:
    parent = folder.parent if str(folder.parent) not in ("", ".") else Path("classes")
    if not parent.is_dir():
        return ""
    names = sorted(p.name for p in parent.iterdir() if p.is_dir())[:8]
    return f" Class folders in {parent}: {', '.join(names)}." if names else ""
