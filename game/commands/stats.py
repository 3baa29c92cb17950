"""`understood stats STORY`: words, scenes, choices, endings, locked choices and reading time."""

from __future__ import annotations

import argparse
import json
import sys

DESCRIPTION = """\
Count a story: words, scenes, choices, endings (by tone), locked choices, and estimate reading
time, both for every word and for a typical playthrough (the median of 500 seeded random ones,
at 200 words a minute plus a few seconds a choice).

Exit code 0, or 1 when the story cannot be loaded, 2 for bad usage."""


def register(subparsers) -> None:
    from game.usage import add_common

    parser = subparsers.add_parser("stats", help="count a story's words, scenes, choices and reading time",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("story", metavar="STORY", help="a story id or a path to a .yaml file")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_common(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from game.commands.play import load_or_report
    from game.tools.stats import story_stats

    story = load_or_report(args.story, args.stories)
    if story is None:
        return 1
    found = story_stats(story)
    if args.format == "json":
        json.dump(found.to_dict(), sys.stdout, indent=2)
        print()
        return 0
    tones = ", ".join(f"{n} {tone}" for tone, n in sorted(found.endings.items()))
    rows = [
        ("words", f"{found.words:,}"),
        ("scenes", f"{found.scenes} ({found.scenes - sum(found.endings.values())} with choices)"),
        ("choices", f"{found.choices} ({found.guarded_choices} guarded)"),
        ("endings", f"{sum(found.endings.values())}" + (f" ({tones})" if tones else "")),
        ("locked choices", str(found.locked_choices)),
        ("conditional paragraphs", str(found.conditional_paragraphs)),
        ("inner voice", f"{found.thoughts} of {found.scenes} scenes"),
        ("remember lines", str(found.remembers)),
        ("meters", f"{found.meters}" + (f" ({found.hidden_meters} hidden)" if found.hidden_meters else "")),
        ("flags", str(found.flags)),
        ("reading time, every word", f"{found.reading_minutes:.0f} min"),
    ]
    if found.playthrough_minutes is not None:
        rows.append(("a typical playthrough", f"{found.playthrough_minutes:.0f} min "
                                              f"(about {int(sorted(found.playthrough_words)[len(found.playthrough_words) // 2]):,} words)"))
    if story.minutes:
        rows.append(("minutes in the header", str(story.minutes)))
    width = max(len(label) for label, _ in rows)
    print(f"{story.title} ({story.path})")
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")
    return 0
