"""The renderer is a pure function of a text's tree and the state: the same figures as
docs/compiled-format.md, the spacing rules, and every form."""

from types import SimpleNamespace

from game.engine.text import Context, fnv1a_32, joined, lines, paragraphs, render, shuffle_index
from game.story.conditions import Condition, Name
from game.story.model import TextPart


def state(meters=None, flags=(), visits=None):
    return SimpleNamespace(meters=meters or {}, flags=set(flags), visits=visits or {})


def at(visit=1, **kw):
    return Context(state(visits={"van": visit}, **kw), "demo", "van")


def test_the_hash_figures_in_the_compiled_format_doc():
    assert fnv1a_32(b"") == 2166136261
    assert fnv1a_32(b"a") == 3826002220
    assert fnv1a_32("demo\x1fvan\x1ftext.0.0\x1f1".encode()) == 2469086994
    assert [shuffle_index("demo", "van", "text.0.0", v, 3) for v in (1, 2, 3)] == [0, 1, 2]


def test_every_form_follows_the_visit_of_its_scene():
    told = Condition.build("told", Name("told", 0, "flag"))
    tree = (("first", ("A",), ("B",)), " ", ("seq", (("1",), ("2",))), " ", ("cycle", (("x",), ("y",))), " ",
            ("if", told, ("yes",), ()), " ", ("meter", "trust"))
    part = TextPart("src", None, tree=tree)
    assert render(part, at(1, meters={"trust": 4})) == "A 1 x 4"
    assert render(part, at(2, meters={"trust": 4}, flags={"told"})) == "B 2 y yes 4"
    assert render(part, at(3, meters={"trust": -1})) == "B 2 x -1"


def test_a_shuffle_is_the_same_every_time_for_the_same_visit():
    part = TextPart("src", None, tree=(("shuffle", "text.0.0", (("b0",), ("b1",), ("b2",))),))
    assert [render(part, at(v)) for v in (1, 2, 3, 1)] == ["b0", "b1", "b2", "b0"]


def test_spaces_left_by_an_empty_branch_close_up_but_plain_text_is_untouched():
    never = Condition.build("told", Name("told", 0, "flag"))
    part = TextPart("src", None, tree=("You ", ("if", never, ("really",), ()), " want it. ",))
    assert render(part, at()) == "You want it."
    assert render(TextPart("Two  spaces, as written. "), at()) == "Two  spaces, as written. "


def test_lists_join_by_where_they_are_shown():
    told = Condition.build("told", Name("told", 0, "flag"))
    parts = (TextPart("One."), TextPart("Two.", told), TextPart("Three."))
    assert paragraphs(parts, at()) == ["One.", "Three."]
    assert lines(parts, at(flags={"told"})) == "One.\nTwo.\nThree."
    assert joined(parts, at()) == "One. Three."
    assert lines((TextPart("x", told),), at()) is None


def test_rendering_never_changes_the_state():
    context = at(2, meters={"trust": 1})
    before = (dict(context.state.meters), set(context.state.flags), dict(context.state.visits))
    render(TextPart("s", None, tree=(("seq", (("a",), ("b",))), ("meter", "trust"))), context)
    assert (context.state.meters, context.state.flags, context.state.visits) == before
