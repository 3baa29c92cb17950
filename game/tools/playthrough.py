"""Recorded playthroughs (like Inform's Skein): files of moves and assertions, replayed by the engine.

A playthrough lives beside its story, in `stories/tests/<story-id>/NAME.yaml`:

    story: demo                     # optional: the story's id (default: the folder's name)
    title: Asking twice, then the hug
    from: van                       # optional: start in this scene (like play --from)
    set: {nerve: 3}                 # optional: start with these meters/flags (like play --set)
    steps:
      - scene: van                  # we are in this scene
      - choose: {id: van.1, text: '"You doing all right, mate?"'}  # a choice: its id and its text
      - choose: Offer to stay       # ...or by its text alone, its id alone, or its shown number
      - meter: {closeness: 5}       # a meter's value (or a comparison: {closeness: '>= 5'})
      - flag: asked_about_her       # a flag is on ({flag: off} to say it is off)
      - locked: tailgate.1          # this choice is shown, and locked (an id, a text, or {id, text})
      - available: tailgate.2       # this choice is shown, and can be taken
      - hidden: tailgate.9          # this choice is not shown
      - text: street lamp           # a paragraph that is shown contains these words
      - skip                        # skip this scene
      - ending: The Real One        # the story ends here (its title, or the scene's id)

A choice named by both its id and its text is checked both ways: when the id now shows another
text (a choice was inserted above it, say), that step fails, naming where the recorded text went;
the run follows the text and goes on. Text is matched forgiving case, quotes and final
punctuation. Every failure carries the file, line and column of the step that failed; a run
reports every failing step, and stops only where no way on exists. `update` rewrites a file's
choice steps to the story as it is now (`understood test --update`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.safe_files import read_limited

from game.engine import Game, GameError, NoSuchChoice, Option, rules, same_choice_text
from game.story import Story, StoryLoadError, StoryNotFound, default_story_dirs, find_story, load_story
from game.story.source import Loader
from game.tools.playtest import SKIP, PlaytestError, find_option, parse_sets, why

TESTS_FOLDER = "tests"
CHOICE_STEPS = ("choose", "locked", "available", "hidden")
CHOICE_KEYS = ("id", "text")
STEP_KINDS = ("choose", "skip", "scene", "meter", "meters", "flag", "flags", "locked", "available", "hidden",
              "text", "ending")
FILE_KEYS = ("story", "title", "from", "set", "steps")
COMPARISON = re.compile(r"\s*(<=|>=|==|!=|<|>)?\s*(-?\d+)\s*\Z")
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    line: int
    col: int
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: error: {self.message}"


@dataclass
class Result:
    path: Path
    story: Story | None = None
    title: str = ""
    steps: int = 0
    failures: list[Failure] = field(default_factory=list)
    found: list[tuple["Step", Option]] = field(default_factory=list)  # each choice step's choice, as followed
    moves: list[str] = field(default_factory=list)  # the moves made, as choice ids and "skip"

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True, slots=True)
class Step:
    kind: str
    value: object
    line: int
    col: int
    start: int = -1  # where the value is in the file's text (for --update), -1 when it has none
    end: int = -1


# --- reading ---------------------------------------------------------------------------------------


def _plain(node: Node):
    """A node as plain data (strings, ints, bools, lists, dicts), safely."""
    return yaml.load(yaml.serialize(node), Loader=Loader)


def read(path: Path) -> tuple[dict, list[Step], list[Failure]]:
    """The header and steps of a playthrough file, with every problem in its shape."""
    shown = str(path)
    problems: list[Failure] = []

    def fail(node: Node | None, message: str) -> None:
        mark = node.start_mark if node is not None else None
        problems.append(Failure(shown, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message))

    try:
        raw = read_limited(path, MAX_BYTES)  # never from a pipe or device, never past the limit
        root = yaml.compose(raw.decode("utf-8-sig"), Loader=Loader)
    except (OSError, ValueError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return {}, [], [Failure(shown, line, col, f"cannot read this playthrough: {exc}".split("\n")[0])]
    if not isinstance(root, MappingNode):
        fail(root, "a playthrough is a mapping with 'steps:' (and optionally story, title, from, set)")
        return {}, [], problems
    header: dict = {}
    steps_node = None
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else None
        if key not in FILE_KEYS:
            close = get_close_matches(str(key), FILE_KEYS, n=1)
            fail(key_node, f"unknown key '{key}'" + (f"; did you mean '{close[0]}'?" if close else
                                                      f"; keys are {', '.join(FILE_KEYS)}"))
        elif key == "steps":
            steps_node = value_node
        else:
            header[key] = (_plain(value_node), key_node)
    if steps_node is None:
        fail(root, "the playthrough has no 'steps:'")
        return header, [], problems
    if not isinstance(steps_node, SequenceNode):
        fail(steps_node, "'steps' should be a list, one step per '- ' line")
        return header, [], problems
    steps: list[Step] = []
    for item in steps_node.value:
        line, col = item.start_mark.line + 1, item.start_mark.column + 1
        if isinstance(item, ScalarNode) and item.value == "skip":
            steps.append(Step("skip", None, line, col))
            continue
        if not isinstance(item, MappingNode) or len(item.value) != 1:
            fail(item, "a step is one 'kind: value' pair, e.g. '- choose: dinner.1', or '- skip'")
            continue
        key_node, value_node = item.value[0]
        kind = key_node.value if isinstance(key_node, ScalarNode) else None
        if kind not in STEP_KINDS:
            close = get_close_matches(str(kind), STEP_KINDS, n=1)
            fail(key_node, f"unknown step '{kind}'" + (f"; did you mean '{close[0]}'?" if close else
                                                        f"; steps are {', '.join(STEP_KINDS)}"))
            continue
        steps.append(Step(kind, _plain(value_node), line, col, value_node.start_mark.index,
                          value_node.end_mark.index))
    return header, steps, problems


def story_for(path: Path, header: dict, extra_dirs: list[str] | None = None) -> Story:
    """The story a playthrough plays: its `story:` id, else the name of its folder."""
    ref = str(header["story"][0]) if "story" in header else path.parent.name
    near = path.resolve().parent.parent.parent  # stories/tests/<id>/file.yaml -> stories/
    dirs = [Path(d) for d in extra_dirs or []] + [near] + default_story_dirs()
    return load_story(find_story(ref, dirs))


# --- running ---------------------------------------------------------------------------------------


def run_file(path: str | Path, *, story: Story | None = None, extra_dirs: list[str] | None = None) -> Result:
    path = Path(path)
    shown = str(path)
    header, steps, problems = read(path)
    result = Result(path, title=str(header.get("title", ("", None))[0] or ""), failures=problems)
    if problems:
        return result
    try:
        story = story or story_for(path, header, extra_dirs)
    except StoryNotFound as exc:
        node = header.get("story", (None, None))[1]
        line = node.start_mark.line + 1 if node is not None else 1
        result.failures.append(Failure(shown, line, 1, str(exc)))
        return result
    except StoryLoadError as exc:
        result.failures.append(Failure(shown, 1, 1, f"the story has errors: {exc.errors[0].format()}"))
        return result
    result.story = story
    try:
        start = header["from"][0] if "from" in header else None
        overrides = parse_sets([_as_set(k, v) for k, v in (header["set"][0] or {}).items()], story) \
            if "set" in header else {}
        game = Game(story, start=start, overrides=overrides)
    except (PlaytestError, GameError, AttributeError, TypeError) as exc:
        key = "set" if "set" in header else "from"
        node = header.get(key, (None, None))[1]
        line = node.start_mark.line + 1 if node is not None else 1
        result.failures.append(Failure(shown, line, 1, f"cannot start: {exc}"))
        return result
    for step in steps:
        made = len(game.history)
        outcome = _run_step(game, story, step)
        result.steps += 1
        result.moves += [SKIP if m.kind == "skip" else m.choice_id for m in game.history[made:]]
        if outcome.option is not None:
            result.found.append((step, outcome.option))
        if outcome.problem:
            result.failures.append(Failure(shown, step.line, step.col, outcome.problem))
        if outcome.stop:
            break  # no way on: the rest would run from the wrong place
    return result


def _as_set(name, value) -> str:
    if value is True:
        return str(name)
    if value is False:
        return f"{name}=false"
    return f"{name}={value}"


def _describe(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 50 else text[:49] + "…"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one step found: a problem (None when it holds), the choice it named (when it named
    one that is here), and whether the playthrough cannot go on from here."""

    problem: str | None = None
    option: Option | None = None
    stop: bool = False


@dataclass(frozen=True, slots=True)
class Named:
    """The choice a step names, found in the scene now: `option` is the one to follow (None when
    none fits), `problem` says how the recorded id and text disagree with the story now."""

    option: Option | None
    problem: str | None = None


def _choice_ref(value) -> tuple[str | None, str | None] | str:
    """A choice step's (id or number, text); or what is wrong with its shape."""
    if isinstance(value, dict):
        unknown = [str(k) for k in value if k not in CHOICE_KEYS]
        if unknown or not value:
            return (f"a choice is named by its id, its text, or both: {{id: van.1, text: \"...\"}} "
                    f"(not '{unknown[0]}')" if unknown else "a choice step needs an id or a text")
        ref, text = value.get("id"), value.get("text")
        if isinstance(ref, (dict, list)) or isinstance(text, (dict, list)) or (ref is None and text is None):
            return "a choice's id and text are each one value, e.g. {id: van.1, text: Go home.}"
        return (None if ref is None else str(ref), None if text is None else str(text))
    if value is None or isinstance(value, (list, bool)):
        return "a choice step names a choice: its id, its text, its number, or {id: ..., text: ...}"
    return (str(value), None)


def _closest(text: str, options: list[Option]) -> Option | None:
    if not options:
        return None
    wanted = " ".join(text.split()).casefold()
    return max(options, key=lambda o: SequenceMatcher(None, wanted, " ".join(o.text.split()).casefold()).ratio())


def _where(option: Option) -> str:
    return f"{option.id} (number {option.number}, '{_describe(option.text)}')"


def _named(game: Game, ref: str | None, text: str | None) -> Named:
    """The choice that `ref` and `text` name here. With both, the id must still show the text;
    when it does not, the choice the text names is followed (if any), and the problem says so."""
    if text is None:
        try:
            return Named(find_option(game, ref))
        except PlaytestError as exc:
            return Named(None, str(exc))
    options = game.options()
    by_text = next((o for o in options if same_choice_text(text, o.text)), None)
    if ref is None:
        if by_text is not None:
            return Named(by_text)
        closest = _closest(text, options)
        return Named(None, f"no choice '{_describe(text)}' in scene '{game.scene_id}'"
                           + (f"; the closest is {_where(closest)}" if closest else "; it has no choices"))
    try:
        by_ref = game.find_option(ref)
    except NoSuchChoice:
        by_ref = None
    if by_ref is not None and same_choice_text(text, by_ref.text):
        return Named(by_ref)
    now = f"{ref} is now '{_describe(by_ref.text)}'" if by_ref is not None else f"there is no {ref} here now"
    recorded = f"the recorded choice {ref} '{_describe(text)}'"
    if by_text is not None:
        return Named(by_text, f"{recorded} has moved: it is now {by_text.id} (number {by_text.number}), "
                              f"and {now}")
    closest = _closest(text, options)
    return Named(None, f"{recorded} is not in scene '{game.scene_id}' any more ({now}); "
                       + (f"the closest current choice is {_where(closest)}" if closest else "it has no choices"))


def _run_step(game: Game, story: Story, step: Step) -> Outcome:
    """What the step found, its problems written for the writer."""
    kind, value = step.kind, step.value
    if kind == "skip":
        if game.is_over:
            return Outcome("cannot skip: the story has ended", stop=True)
        done = game.replay([SKIP])  # the engine's one way to replay a move
        return Outcome() if done.complete else Outcome(why(game, SKIP, done.error), stop=True)
    if kind in CHOICE_STEPS:
        ref = _choice_ref(value)
        if isinstance(ref, str):
            return Outcome(ref, stop=kind == "choose")
        return _choice_step(game, kind, *ref)
    return Outcome(_check(game, story, kind, value))


def _choice_step(game: Game, kind: str, ref: str | None, text: str | None) -> Outcome:
    shown = _describe(text if text is not None else ref)
    if kind == "choose" and game.is_over:
        return Outcome(f"cannot choose '{shown}': the story has ended ({game.ending.title})", stop=True)
    named = _named(game, ref, text)
    option = named.option
    if kind == "hidden":
        if text is not None:  # hidden means: nothing here shows the recorded text
            option = next((o for o in game.options() if same_choice_text(text, o.text)), None)
        return Outcome(None if option is None else f"expected '{shown}' to be hidden, but it is shown")
    if kind == "choose":
        if option is None:
            return Outcome(f"{named.problem}; no way on, so this playthrough stops here", stop=True)
        if not option.available:
            problem = (named.problem + "; " if named.problem else "") + \
                f"choice '{option.id}' is locked here ({option.locked_reason})"
            return Outcome(problem, option, stop=True)
        done = game.replay([option.id])  # the engine's one way to replay a move
        if not done.complete:
            return Outcome(why(game, option.id, done.error), option, stop=True)
        if named.problem:
            return Outcome(f"{named.problem}; followed the recorded text (if the story changed on purpose, "
                           f"re-record with: understood test --update)", option)
        return Outcome(None, option)
    if option is None:
        if text is None:
            return Outcome(f"expected '{shown}' to be shown, but scene '{game.scene_id}' does not show it")
        return Outcome(named.problem)
    problems = [named.problem] if named.problem else []
    if kind == "locked" and option.available:
        problems.append(f"expected choice '{option.id}' to be locked, but it is open")
    if kind == "available" and not option.available:
        problems.append(f"expected choice '{option.id}' to be open, but it is locked ({option.locked_reason})")
    return Outcome("; ".join(problems) or None, option)


def _check(game: Game, story: Story, kind: str, value) -> str | None:
    """None when an assertion holds, else what went wrong."""
    if kind == "scene":
        if game.scene_id != value:
            return f"expected scene '{value}', but the story is at '{game.scene_id}'"
        return None
    if kind == "ending":
        if not game.is_over:
            return f"expected the ending '{value}', but the story is still going, at '{game.scene_id}'"
        ending = game.ending
        if value not in (ending.title, game.scene_id) and str(value).casefold() != ending.title.casefold():
            return f"expected the ending '{value}', but it ended with '{ending.title}' ({game.scene_id})"
        return None
    if kind in ("meter", "meters"):
        if not isinstance(value, dict) or not value:
            return "a meter step is a mapping, e.g. 'meter: {trust: 5}' or 'meter: {trust: \">= 5\"}'"
        problems = []
        for name, expected in value.items():
            if name not in story.meters:
                problems.append(f"'{name}' is not a meter of this story")
                continue
            match = COMPARISON.match(str(expected))
            if not match or isinstance(expected, bool):
                problems.append(f"'{expected}' is not a value or a comparison like '>= 5'")
                continue
            op, number = match.group(1) or "==", int(match.group(2))
            actual = game.meters[name]
            holds = {"<": actual < number, "<=": actual <= number, ">": actual > number, ">=": actual >= number,
                     "==": actual == number, "!=": actual != number}[op]
            if not holds:
                wanted = number if op == "==" else f"{op} {number}"
                problems.append(f"expected {name} {wanted if op != '==' else '= ' + str(wanted)}, but it is {actual}")
        return "; ".join(problems) or None
    if kind in ("flag", "flags"):
        wanted: dict = {}
        if isinstance(value, str):
            wanted = {value: True}
        elif isinstance(value, list):
            wanted = {str(v): True for v in value}
        elif isinstance(value, dict):
            wanted = value
        else:
            return "a flag step names a flag, a list of flags, or {flag: on/off}"
        problems = []
        for name, on in wanted.items():
            if name not in story.flags:
                problems.append(f"'{name}' is not a flag of this story")
                continue
            on = on if isinstance(on, bool) else str(on).lower() in ("on", "true", "yes", "1")
            if (name in game.flags) != on:
                problems.append(f"expected the flag '{name}' to be {'on' if on else 'off'}, but it is "
                                f"{'on' if name in game.flags else 'off'}")
        return "; ".join(problems) or None
    if kind == "text":
        shown = "\n".join(game.paragraphs())
        if " ".join(str(value).split()).casefold() not in " ".join(shown.split()).casefold():
            return f"expected the scene '{game.scene_id}' to show '{_describe(value)}', but it does not"
        return None
    return f"unknown step '{kind}'"


# --- finding and recording -------------------------------------------------------------------------


def tests_folder(story_path: Path, story_id: str) -> Path:
    return story_path.parent / TESTS_FOLDER / story_id


def playthroughs_for(story_path: Path, story_id: str) -> list[Path]:
    folder = tests_folder(story_path, story_id)
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []


def all_playthroughs(stories_dir: Path) -> list[Path]:
    folder = stories_dir / TESTS_FOLDER
    return sorted(p for p in folder.glob("*/*.y*ml") if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []


def _quote(value: str) -> str:
    """A YAML scalar for a line of a playthrough file (always safe to read back)."""
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip().removesuffix("...").strip()


def choice_value(choice_id: str, text: str) -> str:
    """A choice step's value, naming the choice both ways: `{id: van.1, text: '"You all right?"'}`."""
    return yaml.safe_dump({"id": choice_id, "text": " ".join(text.split())}, default_flow_style=True,
                          sort_keys=False, allow_unicode=True, width=10_000).strip()


def record(game: Game, *, title: str = "", start: str | None = None,
           overrides: dict[str, int | bool] | None = None) -> str:
    """A playthrough file that replays `game`'s moves and asserts what the player saw along the way."""
    story = game.story
    states = game.states()
    lines = [f"# A recorded playthrough of '{story.title}'. Replay it with: understood test THIS_FILE",
             "# Each step is checked in order; edit or delete assertions freely.",
             f"story: {story.id}"]
    if title:
        lines.append(f"title: {_quote(title)}")
    if start:
        lines.append(f"from: {start}")
    if overrides:
        lines.append("set: {" + ", ".join(f"{k}: {str(v).lower() if isinstance(v, bool) else v}"
                                          for k, v in overrides.items()) + "}")
    lines.append("steps:")
    for state, move in zip(states, game.history):
        lines.append(f"  - scene: {state.scene}")
        for option in rules.offered(story, state):
            if not option.available:
                lines.append(f"  - locked: {choice_value(option.id, option.text)}")
        if move.kind == "skip":
            lines.append("  - skip")
        else:
            lines.append(f"  - choose: {choice_value(move.choice_id, move.choice_text or '')}")
    if game.is_over:
        lines.append(f"  - ending: {_quote(game.ending.title)}")
    else:
        lines.append(f"  - scene: {game.scene_id}")
    if story.meters:
        lines.append("  - meters: {" + ", ".join(f"{k}: {v}" for k, v in game.meters.items()) + "}")
    return "\n".join(lines) + "\n"


def next_name(folder: Path, stem: str) -> Path:
    stem = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "playthrough"
    candidate = folder / f"{stem}.yaml"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.yaml"
        number += 1
    return candidate


# --- re-recording ----------------------------------------------------------------------------------

COMMENT = re.compile(r"[ \t]*#[ \t]?([^\r\n]*)")


@dataclass(frozen=True, slots=True)
class Update:
    """A playthrough file as it was and as `update` would rewrite it, with the run that found it."""

    path: Path
    before: str
    after: str
    result: Result

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> list[str]:
        """The change as a unified diff, one line per item (no newlines)."""
        return list(difflib.unified_diff(self.before.splitlines(), self.after.splitlines(),
                                         f"{self.path} (recorded)", f"{self.path} (now)", lineterm=""))


def update(path: str | Path, *, extra_dirs: list[str] | None = None) -> Update:
    """`path` re-recorded against the story as it is now: each choice step that named a choice by
    id or number (or by id and text) names the choice it reached, by its id and its text, now.
    A step that followed its recorded text after the id moved is re-pointed at the new id. Steps
    named by text alone are left as written, and so is every assertion: a meter or an ending
    that no longer holds is still reported, for the writer to decide."""
    path = Path(path)
    result = run_file(path, extra_dirs=extra_dirs)
    try:
        before = read_limited(path, MAX_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return Update(path, "", "", result)
    edits = []
    for step, option in result.found:
        if step.start < 0 or step.kind == "hidden":
            continue
        ref = _choice_ref(step.value)
        if isinstance(ref, str):
            continue
        named_by, text = ref
        if text is None and named_by is not None and not (named_by == option.id or named_by.strip().isdigit()):
            continue  # named by its text alone: already safe from choices moving around it
        value = choice_value(option.id, option.text)
        if before[step.start:step.end] == value:
            continue
        end = step.end
        comment = COMMENT.match(before, end)
        if comment and _is_recorded_comment(comment.group(1), option.text):
            end = comment.end()  # the recorder's copy of the text: the step now holds the text itself
        elif comment:
            end, value = comment.end(), f"{value}  # {comment.group(1).rstrip()}"  # the writer's own note stays
        edits.append((step.start, end, value))
    after = before
    for start, end, value in sorted(edits, reverse=True):
        after = after[:start] + value + after[end:]
    return Update(path, before, after, result)


def _is_recorded_comment(comment: str, text: str) -> bool:
    """Whether a step's comment is the recorder's shortened copy of the choice's text."""
    comment = " ".join(comment.split()).removesuffix("…").strip()
    return bool(comment) and " ".join(text.split()).startswith(comment)
