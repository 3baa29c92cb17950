"""Distinct casts: no name a player reads appears in two bundled stories, unless declared.

A class that plays two stories and meets a "Jess" in both will think they share a character. So
every capitalised word a player reads in the middle of a sentence (a name: Jess, Dev, Leeds,
Tesco) may appear in one story only. A deliberate crossover (the same person,
or the same place on purpose) is declared in *both* stories' files, in a comment line of its own:

    # crossover: Dev (the same Dev as in opening-up, two years on)

The reason in brackets is required: whoever reads the story next should know it is on purpose.
See docs/writing-stories.md, "One cast per story".
"""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from tests.conftest import STORIES

# The stories this test holds to distinct names: None is every story. (While the second draft was
# written on several branches at once, this named the stories of one branch.)
CHECKED: frozenset[str] | None = None

# Stories whose rewrite on another branch is expected to rename what they share, by id with the
# reason; their pairs are expected to fail until that branch is merged. Empty when none is.
PENDING: dict[str, str] = {}

# Stories left out, each with its reason.
EXEMPT: dict[str, str] = {}

# Keys whose values a player never reads (ids, conditions, tags, meters' names), and titles,
# which are written in title case.
NOT_READ = {"title", "id", "goto", "if", "skip_to", "start", "tags", "flags", "effects", "on_enter",
            "include", "format", "minutes", "meters", "tone", "set", "clear"}

# Capitalised words that are not names, though stories never write them in lower case.
NOT_NAMES = {
    "I", "I'm", "I'd", "I'll", "I've", "OK", "Okay", "TV", "Mum", "Dad", "Mam", "Nan", "Gran",
    "Grandad", "Granddad", "Grandma", "Mr", "Mrs", "Ms", "Dr", "God", "Christmas", "Easter",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "English", "British", "Europe", "A&E", "GP", "HR",
    "Samaritans",  # a helpline from game/data/support.yaml, which any story may name
}
NOT_NAMES |= {day + "s" for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                    "Saturday", "Sunday")}

DECLARATION = re.compile(r"^#\s*crossover:\s*([A-Z][\w'-]*)\s*\((.+)\)\s*$", re.MULTILINE)
WORD = re.compile(r"\b[A-Za-z][a-z]+(?:-[A-Za-z][a-z]+)*\b")

# The support lines (game/data/support.yaml) are named, on purpose, in every story that needs one.
SUPPORT = Path(__file__).resolve().parents[1] / "game" / "data" / "support.yaml"
NOT_NAMES |= {word for line in yaml.safe_load(SUPPORT.read_text(encoding="utf-8"))["lines"]
              for word in WORD.findall(line["name"])}


def story_files() -> dict[str, list[Path]]:
    """Each bundled story's id and its files (the story and any it includes)."""
    found = {}
    for path in sorted(STORIES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files = [path] + [path.parent / name for name in data.get("include") or []]
        found[data["id"]] = files
    return found


def read_text(node, key: str | None = None):
    """Every string in a story document that a player can read."""
    if key in NOT_READ:
        return
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, value in node.items():
            yield from read_text(value, k if isinstance(k, str) else None)
    elif isinstance(node, list):
        for item in node:
            yield from read_text(item)


def strings(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if key == "scenes" and isinstance(value, dict):
                for body in value.values():  # scene ids are keys, never read
                    found += read_text(body)
            else:
                found += read_text(value, key)
    return found


def names_in(text: str) -> set[str]:
    """Capitalised words in the middle of a sentence: names, not sentence openings."""
    text = re.sub(r"(?<=\w)'s\b|(?<=s)'", "", text)
    found = set()
    for match in WORD.finditer(text):
        word = match.group()
        before = text[:match.start()].rstrip()
        opening = not before or before[-1] in ".!?:;\"'“‘(—–-*"
        if word[0].isupper() and not opening and word not in NOT_NAMES:
            found.add(word)
    return found


def declared(files: list[Path]) -> dict[str, str]:
    return {m.group(1): m.group(2) for path in files
            for m in DECLARATION.finditer(path.read_text(encoding="utf-8"))}


def names_by_story() -> dict[str, set[str]]:
    return {sid: set().union(*map(names_in, strings(files)))
            for sid, files in story_files().items() if sid not in EXEMPT}


def test_the_name_finder_finds_the_cast_and_not_ordinary_words():
    names = names_by_story()
    assert {"Owen", "Jess", "Ellie", "Dev"} <= names["opening-up"]
    assert {"The", "She", "Tomorrow", "Honestly", "Everybody"}.isdisjoint(names["opening-up"])


def pairs():
    ids = sorted(story_files().keys() - EXEMPT.keys())
    for a, b in combinations(ids, 2):
        if CHECKED is None or a in CHECKED or b in CHECKED:
            pending = [PENDING[s] for s in (a, b) if s in PENDING]
            marks = [pytest.mark.xfail(reason="; ".join(pending), strict=False)] if pending else []
            yield pytest.param(a, b, id=f"{a}+{b}", marks=marks)


@pytest.mark.parametrize("a, b", list(pairs()))
def test_no_name_is_shared_by_two_stories_unless_both_declare_it(a, b):
    names = names_by_story()
    files = story_files()
    both = names[a] & names[b]
    undeclared = sorted(n for n in both if n not in declared(files[a]) or n not in declared(files[b]))
    assert not undeclared, (
        f"{a} and {b} both use {', '.join(undeclared)}: rename one, or, for the same person or "
        f"place on purpose, add '# crossover: NAME (why)' to both stories' files"
    )


def test_a_declaration_needs_a_reason_and_a_name_the_story_uses():
    names = names_by_story()
    for sid, files in story_files().items():
        if sid in EXEMPT:
            continue
        for path in files:
            for line in path.read_text(encoding="utf-8").splitlines():
                if re.match(r"^#\s*crossover:", line):
                    match = DECLARATION.match(line)
                    assert match, f"{path.name}: '{line}' should read '# crossover: NAME (why)'"
                    assert match.group(1) in names[sid], f"{path.name}: {match.group(1)} is not in the story"
