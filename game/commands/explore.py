"""`understood explore STORY`: walk every reachable state; report coverage and shortest walkthroughs."""

from __future__ import annotations

import argparse
import json
import sys

DESCRIPTION = """\
Walk every reachable (scene, state) of a story, each distinct state once, through the game's own
engine. Reports coverage of scenes, choices and conditional paragraphs, the number of distinct
states, and for every ending the shortest walkthrough that reaches it, ready for
`understood play STORY --path ...`.

Exit code 0 when everything is covered and nothing can get stuck, 1 when something is not (or
the walk hit --max-states), 2 for bad usage."""


def register(subparsers) -> None:
    from game.usage import add_common, positive

    parser = subparsers.add_parser("explore", help="walk every reachable state of a story",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("story", metavar="STORY", help="a story id or a path to a .yaml file")
    parser.add_argument("--max-states", type=positive, default=None, metavar="N",
                        help="stop after N distinct states (default: 1,000,000)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--walkthroughs", metavar="DIR",
                        help="also write each ending's shortest walkthrough to DIR/ENDING.txt")
    parser.add_argument("--no-skips", action="store_true", help="do not explore 'skip this scene' moves")
    parser.add_argument("--from", dest="from_scene", metavar="SCENE", help="explore from this scene")
    parser.add_argument("--set", dest="set", action="append", metavar="NAME=VALUE",
                        help="start with a meter or flag set (repeatable; a bare flag name turns it on)")
    add_common(parser)
    parser.set_defaults(func=run)



def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from game.commands.play import start_of
    from game.commands.play import load_or_report
    from game.tools.explore import DEFAULT_MAX_STATES, explore

    story = load_or_report(args.story, args.stories)
    if story is None:
        return 1
    start, overrides = start_of(story, args)
    found = explore(story, max_states=args.max_states or DEFAULT_MAX_STATES, skips=not args.no_skips,
                    start=start, overrides=overrides)
    if args.walkthroughs:
        folder = Path(args.walkthroughs)
        folder.mkdir(parents=True, exist_ok=True)
        for ending, path in found.endings.items():
            title = story.scenes[ending].ending.title
            lines = [f"# {story.title}: shortest walkthrough to '{ending}' ({title})",
                     f"# understood play {story.path} --plain --path {folder / (ending + '.txt')}", *path]
            (folder / f"{ending}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.format == "json":
        json.dump(found.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(render(found, args))
    return 0 if found.clean else 1


def _ratio(done: int, total: int) -> str:
    percent = 100 if total == 0 else 100 * done // total
    return f"{done}/{total}".ljust(9) + f"{percent:3d}%"


def render(found, args) -> str:
    from game.tools.analysis import walkthrough

    story = found.story
    out: list[str] = []
    skipped = found.states - found.choice_states
    extra = f", {skipped:,} more after skips" if skipped else ""
    out.append(f"{story.title} ({story.path})")
    out.append(f"  {found.states:,} distinct states ({found.choice_states:,} by choices{extra}), "
               f"{found.seconds:.2f} s")
    if not found.complete:
        out.append(f"  STOPPED at --max-states {found.max_states:,}: this exploration is INCOMPLETE.")
        out.append("  What follows is what it covered; raise --max-states to explore everything.")
    reached = found.scenes_reached | found.scenes_reached_by_skip
    only_skip = f"  ({len(found.scenes_reached_by_skip)} only by skipping)" if found.scenes_reached_by_skip else ""
    out.append(f"  scenes         {_ratio(len(reached), len(story.scenes))}{only_skip}")
    out.append(f"  choices        {_ratio(len(found.choices_taken), len(found.all_choices))}")
    out.append(f"  text variants  {_ratio(len(found.text_shown), len(found.text_variants))}")
    locked = found.locked_choices
    out.append(f"  locked choices {_ratio(len(locked) - len(found.never_unlocked()), len(locked))}  unlocked somewhere")
    out.append("")
    out.append("Endings, with the shortest walkthrough to each:")
    ref = story.path
    for scene in story.endings:
        ending = scene.ending
        label = f"  {scene.id}: \"{ending.title}\" ({ending.tone})"
        if scene.id in found.endings:
            path = found.endings[scene.id]
            out.append(f"{label}, {len(path)} move{'s' * (len(path) != 1)}")
            out.append(f"      understood play {ref} --plain --path {','.join(path)}" if path else
                       "      (the story starts here)")
        else:
            out.append(f"{label}: NOT REACHED")
    gaps = []
    for sid in found.unreached_scenes():
        if story.scenes[sid].ending is None:
            gaps.append(f"  scene '{sid}' (line {story.scenes[sid].span.line}) is never reached")
    for choice in found.untaken_choices():
        if choice.scene in reached:
            gaps.append(f"  choice '{choice.id}' (line {choice.span.line}) is never available")
    for sid, number in found.unshown_variants():
        if sid in reached:
            part = story.scenes[sid].text[number]
            gaps.append(f"  paragraph {number + 1} of '{sid}' (line {part.span.line}, if: {part.condition.source}) "
                        f"is never shown")
    for stuck in found.softlocks.values():
        how = " after a skip" if stuck.via_skip else ""
        gaps.append(f"  SOFTLOCK{how}: '{stuck.scene}' with no choice open, with {stuck.describe_state()}; "
                    f"reached by {walkthrough(stuck.path)}")
    for trap in found.traps:
        gaps.append(f"  NO WAY OUT: {', '.join(trap.scenes)} loop without an ending; reached by "
                    f"{walkthrough(trap.first.path)}")
    out.append("")
    if gaps:
        out.append("Not covered:" if found.complete else "Not covered so far:")
        out.extend(gaps)
    elif found.complete:
        out.append("Everything is reachable, every choice can be taken, and no state is stuck.")
    return "\n".join(out)
