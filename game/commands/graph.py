"""`understood graph STORY --format mermaid|dot|svg`: the story map."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
Draw the story map: scenes and choices, endings shaped and coloured by tone, guarded choices
dashed and labelled with their condition, skips dotted, and scenes that play never reaches
marked. Mermaid pastes into GitHub Markdown (inside a ```mermaid block); DOT goes to Graphviz;
SVG is drawn by Graphviz's `dot` when it is installed.

Exit code 0 when drawn, 2 for bad usage or when SVG is asked for without Graphviz."""


def register(subparsers) -> None:
    from game.usage import add_common

    parser = subparsers.add_parser("graph", help="draw the story map (Mermaid, DOT or SVG)",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("story", metavar="STORY", help="a story id or a path to a .yaml file")
    parser.add_argument("--format", choices=("mermaid", "dot", "svg"), default="mermaid")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")
    parser.add_argument("--choice-text", action="store_true", help="label every arrow with its choice's text")
    parser.add_argument("--no-explore", action="store_true",
                        help="skip exploring (faster; unreachable scenes are then not marked)")
    add_common(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from game.commands.play import load_or_report
    from game.tools import graph
    from game.tools.explore import explore

    story = load_or_report(args.story, args.stories)
    if story is None:
        return 1
    unreachable: set[str] = set()
    if not args.no_explore:
        found = explore(story)
        if found.complete:
            unreachable = set(found.unreached_scenes())
        else:
            print(f"understood: exploration stopped at {found.states:,} states; unreachable scenes are not marked",
                  file=sys.stderr)
    if args.format == "mermaid":
        text = graph.mermaid(story, unreachable, choice_text=args.choice_text)
    else:
        text = graph.dot(story, unreachable, choice_text=args.choice_text)
        if args.format == "svg":
            try:
                text = graph.svg(text)
            except graph.GraphvizMissing as exc:
                print(f"understood: {exc}", file=sys.stderr)
                return 2
            except (RuntimeError, OSError) as exc:
                print(f"understood: {exc}", file=sys.stderr)
                return 1
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
