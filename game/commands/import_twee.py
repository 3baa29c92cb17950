"""`understood import FILE.twee`: convert a Twine story (Twee 3) into a story file, with a report."""

from __future__ import annotations

MAX_TWEE_BYTES = 8 * 1024 * 1024  # as a story file

import argparse
import sys

DESCRIPTION = """\
Convert a Twine story in the Twee 3 text format into an Understood story file. Passages become
scenes, links become choices, StoryTitle and StoryData become the header. Twine code that the
story format cannot express is kept as comments, and each piece is listed in the report as
FILE.twee:LINE with its passage. The result is then checked, and any errors are printed.

Exit code 0 when the result passes `understood check` (warnings allowed), 1 when it has errors
(the file is still written, so you can fix them), 2 for bad usage."""


def register(subparsers) -> None:
    parser = subparsers.add_parser("import", help="convert a Twine story (Twee 3) into a story file",
                                   description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", metavar="FILE.twee", help="a Twee file (from Twine: Build > Export as Twee)")
    parser.add_argument("-o", "--output", metavar="FILE", help="where to write the story (default: stories/ID.yaml)")
    parser.add_argument("--id", dest="story_id", metavar="ID", help="the story's id (default: from its title)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from game.usage import UsageError
    from game.tools.checker import check_story
    from game.tools.import_twee import import_twee
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
    unsafe = find_unsafe(text.replace("\r\n", "\n"))
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

    for note in result.notes:
        print(note.format(str(source)), file=sys.stderr)
    untranslated = sum(1 for n in result.notes if n.severity == "warning")
    print(f"Wrote {target}: '{result.title}', {untranslated} thing{'s' * (untranslated != 1)} to look at "
          f"(above).", file=sys.stderr)
    report = check_story(target)
    for problem in report.diagnostics:
        print(problem.format())
    errors = len(report.errors)
    if errors:
        print(f"The imported story does not pass `understood check` yet: {errors} error{'s' * (errors != 1)} "
              f"(above), each with its line in {target}.", file=sys.stderr)
        return 1
    print(f"It passes `understood check` ({len(report.warnings)} warning{'s' * (len(report.warnings) != 1)}). "
          f"Play it: understood play {target} --plain", file=sys.stderr)
    return 0
