"""`understood check [PATHS...]`: the linter. Every problem, compiler-style, or as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys

DESCRIPTION = """\
Load and validate every story under PATHS (default: stories/), then explore every reachable
state and report what is stuck, unreachable or never used, and slips in the writing.

Errors (the story cannot be loaded, or a player can get stuck) make the exit code 1.
Warnings are printed but leave it 0, unless --strict. Exit code 2 means bad usage."""


def register(subparsers) -> None:
    from game.usage import positive

    parser = subparsers.add_parser(
        "check", help="check story files for errors and likely mistakes",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="story files or folders (default: stories/)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: path:line:col: severity: message (default); json: one document")
    parser.add_argument("--max-states", type=positive, default=None, metavar="N",
                        help="stop exploring a story after N distinct states (default: 1,000,000)")
    parser.add_argument("--strict", action="store_true", help="count warnings as problems (exit 1)")
    parser.add_argument("--errors-only", action="store_true", help="hide warnings")
    parser.add_argument("--no-explore", action="store_true",
                        help="only the loader's checks, no analysis of reachable states")
    parser.set_defaults(func=run)



def run(args: argparse.Namespace) -> int:
    from game.story import discover
    from game.tools.checker import check_story
    from game.tools.explore import DEFAULT_MAX_STATES

    paths = args.paths or ["stories"]
    missing = [p for p in paths if not os.path.exists(p)]
    files = discover(paths)
    reports = [check_story(path, max_states=args.max_states or DEFAULT_MAX_STATES,
                           analysis=not args.no_explore, warnings=not args.errors_only) for path in files]
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    failed = bool(errors or missing or (args.strict and warnings))

    if args.format == "json":
        document = {
            "version": 1,
            "ok": not failed,
            "errors": errors,
            "warnings": warnings,
            "missing": missing,
            "files": [{
                "path": str(r.path),
                "story": r.story.id if r.story else None,
                "errors": len(r.errors),
                "warnings": len(r.warnings),
                "states": r.exploration.states if r.exploration else None,
                "complete": r.exploration.complete if r.exploration else None,
            } for r in reports],
            "diagnostics": [d.to_dict() for r in reports for d in r.diagnostics],
        }
        json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 1 if failed else 0

    for p in missing:
        print(f"{p}: error: no such file or folder", file=sys.stderr)
    if not files:
        print("no story files found", file=sys.stderr)
        return 1 if missing else 0
    for report in reports:
        for problem in report.diagnostics:
            print(problem.format())
    sys.stdout.flush()
    count = len(files)
    summary = (f"{count} stor{'y' if count == 1 else 'ies'} checked: {errors} error{'s' * (errors != 1)}, "
               f"{warnings} warning{'s' * (warnings != 1)}")
    print(summary, file=sys.stderr)
    return 1 if failed else 0
