"""No exception but StoryLoadError ever escapes the loader, whatever the file holds."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.story import Story, StoryLoadError, parse_story
from tests.storytext import BASE

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_quietly(text: str) -> None:
    try:
        result = parse_story(text, "fuzz.yaml")
    except StoryLoadError as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.line >= 1 and error.col >= 1 and error.message
        return
    assert isinstance(result, Story)


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    load_quietly(text)


@FUZZ
@given(st.data())
def test_mutated_story_files(data):
    lines = BASE.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap", "splice", "indent", "dedent"]))
        if action == "delete" and len(lines) > 1:
            lines.pop(index)
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "splice":
            line = lines[index]
            at = data.draw(st.integers(0, len(line)))
            junk = data.draw(st.text(alphabet=string.printable + "é“”—&*!%@[]{}:-#|>", max_size=8))
            lines[index] = line[:at] + junk + line[at:]
        elif action == "indent":
            lines[index] = "  " + lines[index]
        elif action == "dedent":
            lines[index] = lines[index][2:]
    load_quietly("".join(lines))


yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
    st.text(max_size=20), st.sampled_from(["+1", "-2", "=3", "trust >= 4", "dinner", "seen", "told"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "goto", "if", "choices", "effects", "ending", "start", "scenes", "meters",
                         "flags", "trust", "set", "title", "tone", "id", "format", "locked", "x"]),
        children, max_size=5),
    max_leaves=25,
)


@FUZZ
@given(yaml_values)
def test_generated_structures(value):
    import yaml

    load_quietly(yaml.safe_dump(value, allow_unicode=True))


@FUZZ
@given(st.dictionaries(st.sampled_from(["format", "id", "title", "summary", "perspective", "start", "scenes",
                                        "meters", "flags", "debrief", "minutes", "content_notes"]),
                       yaml_values, max_size=12))
def test_generated_headers(header):
    import yaml

    load_quietly(yaml.safe_dump(header, allow_unicode=True))
