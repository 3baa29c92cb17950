"""`understood import FILE`: convert a Twine story (Twee 3 or published HTML) into a story file, with a report."""

from __future__ import annotations

MAX_TWEE_BYTES = 8 * 1024 * 1024  # as a story file

import argparse
import sys

DESCRIPTION = """\
Convert a Twine story (Twee 3, or a story published from Twine 2 as HTML; SugarCube or Harlowe)
into an Understood story file in format 2. Passages become scenes and links choices; number
variables become meters and true/false variables flags; sets become effects; if/else become
conditions on text and choices; printed variables become ((meter)). Twine code with no exact
equivalent is kept as comments, and the report groups it by kind, with a count and the first
place. The result is then checked, and the last line says how much of the story play reaches.

Exit code 0 when the result passes `understood check` (warnings allowed), 1 when it has errors
(the file is still written, so you can fix them), 2 for bad usage."""


def register(subparsers) -> None:
    parser = subparsers.add_parser("import", help="convert a Twine story (Twee 3 or HTML) into a story file",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", metavar="FILE", help="a Twee file (Twine: Build > Export as Twee) or a published "
                                                     "Twine 2 story (.html)")
    parser.add_argument("-o", "--output", metavar="FILE", help="where to write the story (default: stories/ID.yaml)")
    parser.add_argument("--id", dest="story_id", metavar="ID", help="the story's id (default: from its title)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument("--all", action="store_true", dest="every_place",
                        help="list every place that did not translate, and every warning of the check, not only "
                             "the first of each kind")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from game.usage import UsageError
    from game.tools.checker import check_story
    from game.tools.twine import import_twee
    from game.tools.twine.report import check_lines, lines, reachability
    from game.tools.scaffold import schema_reference
    from game.safe_text import describe

    from game.safe_files import UnreadableFile, read_limited
    from game.safe_text import clean, find_unsafe

    source = Path(args.file)
    try:
        raw = read_limited(source, MAX_TWEE_BYTES)
    except UnreadableFile as exc:
        raise UsageError(f"cannot read {source}: {exc}") from None
    text = raw.decode("utf-8-sig", errors="replace")
    if "\ufffd" in text:
        print(f"{source}:1:1: warning: the file is not all UTF-8; unreadable bytes became '\ufffd'", file=sys.stderr)
    text = text.replace("\r\n", "\n")
    unsafe = find_unsafe(text)
    if unsafe is not None:  # text that enters the program is cleaned (game/safe_text.py)
        before = text[: unsafe[0]]
        line, col = before.count("\n") + 1, unsafe[0] - (before.rfind("\n") + 1) + 1
        print(f"{source}:{line}:{col}: warning: control characters (the first: {describe(unsafe[1])}) were "
              "removed; a story is plain text", file=sys.stderr)
        text = clean(text)
    try:
        provisional = import_twee(text, source.name, story_id=args.story_id)
    except ValueError as exc:
        raise UsageError(f"{source}: {exc}") from None
    target = Path(args.output) if args.output else Path("stories") / f"{provisional.story_id}.yaml"
    if target.exists() and not args.force:
        print(f"understood: {target} already exists; choose -o, or add --force", file=sys.stderr)
        return 1
    result = import_twee(text, source.name, story_id=args.story_id, schema=schema_reference(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.yaml, encoding="utf-8")

    if args.every_place:
        for note in result.notes:
            print(note.format(str(source)), file=sys.stderr)
    else:
        for line in lines(result.notes, str(source)):
            print(line, file=sys.stderr)
    print(f"Wrote {target}: {result.headline()}.", file=sys.stderr)
    report = check_story(target)
    for problem in report.diagnostics if args.every_place else report.errors:
        print(problem.format())
    if not args.every_place:
        for line in check_lines(report.warnings, str(target)):
            print(line)
    found = report.exploration
    if found is not None:
        unreachable = sum(1 for s in report.story.scenes if s not in found.scenes_reached)
        reach = reachability(len(report.story.scenes), unreachable, result.untranslated, found.complete)
    else:
        reach = "it does not load, so nothing about play is known yet"
    errors = len(report.errors)
    if errors:
        print(f"It does not pass `understood check` yet: {errors} error{'s' * (errors != 1)} (above, each with its "
              f"line in {target}); {reach}.", file=sys.stderr)
        return 1
    print(f"It passes `understood check` ({len(report.warnings)} warning{'s' * (len(report.warnings) != 1)}); "
          f"{reach}. Play it: understood play {target} --plain", file=sys.stderr)
    return 0
