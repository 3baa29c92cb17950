"""`understood test [STORIES...]`: replay recorded playthroughs; `--record STORY` makes one by playing."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
Replay the recorded playthroughs that sit beside stories, in stories/tests/STORY-ID/*.yaml, and
report each failed step as path:line:col. With no arguments, every playthrough of every story is
run; name stories (by id or path), playthrough files or folders to run just those.

  understood test --record demo      play demo in the plain player; your moves, and what you
                                     saw, are written as a new playthrough file when you finish
  understood test --update demo      after a deliberate change to the story: re-point each
                                     recorded choice at its id and text now, show the diff,
                                     and rewrite the file (assertions are left for you)

A recorded choice keeps its id and its text. When a choice is inserted above it, the id shows
another text: that step fails, naming where the recorded choice went, and the run follows the
text and goes on. Every failing step is reported, not only the first.

Exit code 0 when every playthrough passes, 1 when one fails (or none are found), 2 for bad usage."""


def register(subparsers) -> None:
    from game.usage import add_common

    parser = subparsers.add_parser("test", help="replay recorded playthroughs (or record one)",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", metavar="STORY",
                        help="story ids or paths, playthrough files, or folders (default: every playthrough)")
    parser.add_argument("--record", metavar="STORY", help="play STORY in the plain player and record a playthrough")
    parser.add_argument("--update", action="store_true",
                        help="re-record the playthroughs' choices against the story now, printing a diff")
    parser.add_argument("-o", "--output", metavar="FILE", help="with --record: where to write it")
    parser.add_argument("--title", help="with --record: a title for the playthrough")
    parser.add_argument("--from", dest="from_scene", metavar="SCENE", help="with --record: start in this scene")
    parser.add_argument("--set", dest="set", action="append", metavar="NAME=VALUE",
                        help="with --record: start with a meter or flag set (repeatable)")
    add_common(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from game.usage import UsageError

    if args.record:
        if args.targets:
            raise UsageError("--record plays one story; give it as --record STORY, with no other stories")
        if args.update:
            raise UsageError("--update re-records existing playthroughs; it does not go with --record")
        return record(args)
    if args.output or args.title or args.from_scene or args.set:
        raise UsageError("-o, --title, --from and --set go with --record")
    return replay_all(args)


def _targets(args) -> tuple[list, list[str]]:
    """The playthrough files to run, and the targets that named nothing."""
    from pathlib import Path

    from game.story import StoryLoadError, StoryNotFound, default_story_dirs, find_story, load_story
    from game.tools.playthrough import TESTS_FOLDER, all_playthroughs, playthroughs_for

    dirs = default_story_dirs(args.stories)
    files: list[Path] = []
    unknown: list[str] = []
    if not args.targets:
        for d in dirs:
            files += all_playthroughs(d)
        return list(dict.fromkeys(p.resolve() for p in files)), unknown
    for target in args.targets:
        path = Path(target)
        if path.is_dir():
            if (path / TESTS_FOLDER).is_dir():
                files += all_playthroughs(path)
            else:
                files += sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
            continue
        if path.is_file() and TESTS_FOLDER in path.resolve().parts[:-1]:
            files.append(path)
            continue
        try:
            story_path = find_story(target, dirs)
        except StoryNotFound as exc:
            unknown.append(str(exc))
            continue
        try:
            story_id = load_story(story_path).id
        except StoryLoadError:
            story_id = story_path.stem
        found = playthroughs_for(story_path, story_id)
        if not found:
            unknown.append(f"no playthroughs for '{story_id}' (in {story_path.parent / TESTS_FOLDER / story_id}); "
                           f"record one with: understood test --record {target}")
        files += found
    return list(dict.fromkeys(files)), unknown


def replay_all(args) -> int:
    import os

    from game.tools.playthrough import run_file

    files, unknown = _targets(args)
    for message in unknown:
        print(f"understood: {message}", file=sys.stderr)
    if not files:
        if not unknown:
            print("understood: no playthroughs found (they live in stories/tests/STORY-ID/*.yaml)", file=sys.stderr)
        return 1
    passed = failed = 0
    for path in files:
        shown = os.path.relpath(path) if os.path.isabs(path) else str(path)
        if not shown.startswith(".."):
            path = shown
        if args.update and not _update(path, args.stories):
            failed += 1
            continue
        result = run_file(path, extra_dirs=args.stories)
        if result.passed:
            passed += 1
            print(f"{path}: ok ({result.steps} steps{', ' + result.title if result.title else ''})")
        else:
            failed += 1
            for failure in result.failures:
                print(failure.format())
    sys.stdout.flush()
    total = passed + failed
    print(f"{total} playthrough{'s' * (total != 1)}: {passed} passed, {failed} failed", file=sys.stderr)
    return 1 if failed or unknown else 0


DIFF_COLOURS = (("+++", "1"), ("---", "1"), ("@@", "36"), ("+", "32"), ("-", "31"))


def _update(path, stories) -> bool:
    """Re-record one playthrough: print its diff and rewrite it. False when it could not be."""
    from game.safe_files import write_atomically
    from game.tools.playthrough import update

    change = update(path, extra_dirs=stories)
    if not change.before or change.result.story is None:
        return True  # unreadable, or its story does not load: the run that follows says why
    if not change.changed:
        print(f"{path}: up to date")
        return True
    styled = getattr(sys.stdout, "write_styled", None)
    for line in change.diff():
        colour = next((c for prefix, c in DIFF_COLOURS if line.startswith(prefix)), None)
        if colour and styled:
            styled(line, colour)
            sys.stdout.write("\n")
        else:
            print(line)
    try:
        write_atomically(path, change.after.encode("utf-8"))
    except OSError as exc:
        print(f"understood: could not rewrite {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    print(f"{path}: re-recorded")
    return True


def record(args) -> int:
    from pathlib import Path

    from game.commands.play import start_of
    from game.commands.play import load_or_report
    from game.engine import Game, SaveStore
    from game.plain import PlainPlayer
    from game.tools.playthrough import next_name, record as record_text, tests_folder

    story = load_or_report(args.record, args.stories)
    if story is None:
        return 1
    start, overrides = start_of(story, args)
    game = Game(story, start=start, overrides=overrides)
    print("Recording: play as usual. When the story ends (or you type quit), your moves and what you saw "
          "are saved as a playthrough.", file=sys.stderr)
    player = PlainPlayer(story, saves=SaveStore(args.saves), game=game)
    player.run()
    game = player.game
    if not game.history:
        print("understood: no moves were made, so nothing was recorded", file=sys.stderr)
        return 1
    if args.output:
        target = Path(args.output)
    else:
        name = args.title or (game.ending.title if game.is_over else f"to-{game.scene_id}")
        target = next_name(tests_folder(Path(story.path), story.id), name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(record_text(game, title=args.title or "", start=start, overrides=overrides), encoding="utf-8")
    print(f"Recorded {len(game.history)} move{'s' * (len(game.history) != 1)} to {target}. "
          f"Replay it with: understood test {target}", file=sys.stderr)
    return 0
