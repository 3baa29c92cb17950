"""`understood check [PATHS...]`: validate story files and print every problem, compiler-style."""

from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check", help="check story files for errors",
        description="Load and validate every story under PATHS (default: stories/). "
                    "Exit 0 when clean, 1 when problems are found, 2 for bad usage.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="story files or folders (default: stories/)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from game.story import check_file, discover

    paths = args.paths or ["stories"]
    files = discover(paths)
    missing = [p for p in paths if not __import__("os").path.exists(p)]
    for p in missing:
        print(f"{p}: error: no such file or folder", file=sys.stderr)
    if not files:
        print("no story files found", file=sys.stderr)
        return 1 if missing else 0
    errors = 0
    for path in files:
        _, problems = check_file(path)
        for problem in problems:
            print(problem.format())
        errors += sum(1 for p in problems if p.severity == "error")
    sys.stdout.flush()
    summary = f"{len(files)} stor{'y' if len(files) == 1 else 'ies'} checked, {errors} error{'s' * (errors != 1)}"
    print(summary, file=sys.stderr)
    return 1 if errors or missing else 0
