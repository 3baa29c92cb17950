"""`understood randomtest STORY -n 10000 --seed S`: seeded random playthroughs, least-used choices first."""

from __future__ import annotations

import argparse
import json
import sys

DESCRIPTION = """\
Play a story many times at random, preferring the choices taken least so far, and report how
often each ending is reached, how long a playthrough is, where the meters stand at the endings,
and which choices were never taken. The same --seed gives the same playthroughs.

Exit code 0 when every playthrough ended, 1 when some got stuck or never ended, 2 for bad usage."""

BAR = 30


def register(subparsers) -> None:
    from game.usage import add_common
    from game.usage import positive

    parser = subparsers.add_parser("randomtest", help="seeded random playthroughs of a story",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("story", metavar="STORY", help="a story id or a path to a .yaml file")
    parser.add_argument("-n", "--runs", type=positive, default=10_000, metavar="N",
                        help="how many playthroughs (default: 10,000)")
    parser.add_argument("--seed", type=int, default=None, metavar="S",
                        help="the random seed (default: a new one, printed so it can be repeated)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_common(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import random

    from game.commands.play import load_or_report
    from game.tools.randomtest import randomtest

    story = load_or_report(args.story, args.stories)
    if story is None:
        return 1
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    report = randomtest(story, args.runs, seed)
    if args.format == "json":
        json.dump(report.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(render(report, seeded=args.seed is not None))
    return 1 if report.problems else 0


def _bar(fraction: float) -> str:
    return "█" * round(fraction * BAR)


def render(report, *, seeded: bool = True) -> str:
    story = report.story
    runs = report.runs
    out = [f"{story.title}: {runs:,} random playthroughs, seed {report.seed} ({report.seconds:.2f} s)"]
    if not seeded:
        out.append(f"  (repeat them exactly with --seed {report.seed})")
    out.append("")
    out.append("Endings:")
    width = max((len(s.id) for s in story.endings), default=8)
    for scene in story.endings:
        count = report.endings[scene.id]
        share = count / runs
        out.append(f"  {scene.id.ljust(width)}  {100 * share:5.1f}%  {_bar(share).ljust(BAR)}  "
                   f"\"{scene.ending.title}\" ({scene.ending.tone})")
    if report.stuck:
        for scene, count in report.stuck.most_common():
            path = ",".join(report.stuck_example[scene])
            out.append(f"  STUCK in '{scene}' (no choice open): {100 * count / runs:.1f}%; e.g. --path {path}")
    if report.unfinished:
        out.append(f"  NEVER ENDED within {len(report.unfinished_example)} moves: "
                   f"{100 * report.unfinished / runs:.1f}%")
    lengths = report.length_summary()
    if lengths:
        out.append("")
        out.append(f"Length: mean {lengths['mean']:.1f} moves, spread (sd) {lengths['stdev']:.1f}, "
                   f"min {lengths['min']}, median {lengths['median']:g}, max {lengths['max']}")
    ended = sum(report.endings.values())
    if ended and report.meters_at_endings:
        out.append("")
        out.append("Meters at the endings:")
        for name, counts in report.meters_at_endings.items():
            meter = story.meters[name]
            label = f"{meter.label}{' (hidden)' if meter.hidden else ''}"
            out.append(f"  {label}")
            low, high = min(counts), max(counts)
            biggest = max(counts.values())
            for value in range(low, high + 1):
                count = counts.get(value, 0)
                out.append(f"    {value:>4} {100 * count / ended:5.1f}%  {'█' * round(count / biggest * BAR)}")
    never = report.never_taken
    out.append("")
    if never:
        out.append(f"Never taken ({len(never)}):")
        for choice in never:
            out.append(f"  {choice.id} (line {choice.span.line}): {choice.text[:60]}")
        out.append("  (random play may miss rare paths; `understood explore` proves whether they can be taken)")
    else:
        out.append("Every choice was taken at least once.")
    return "\n".join(out)
