"""Each Twine construct the importer maps, in SugarCube and in Harlowe, and what it reports
for those it cannot map (game/tools/twine/)."""

from __future__ import annotations

import pytest

from game.story import parse_story
from game.tools.twine import import_twee
from game.tools.twine.expr import Untranslatable, assignment, parse, render
from game.tools.twine.report import groups, reachability

SUGAR = '::StoryData\n{"format": "SugarCube", "start": "Start"}\n\n'
HARLOWE = '::StoryData\n{"format": "Harlowe", "start": "Start"}\n\n'


def story_of(text: str):
    result = import_twee(text, "t.twee")
    return result, parse_story(result.yaml, "imported.yaml")


def kinds(result) -> dict[str, int]:
    return {g.kind: g.count for g in groups(result.notes)}


def paragraph(story, scene: str, needle: str):
    return next(p for p in story.scenes[scene].text if needle in p.text)


# --- conditions ------------------------------------------------------------------------------------


class _Names:
    def __init__(self, **kinds):
        self.kinds = kinds

    def kind_of(self, var, wanted):
        return self.kinds.get(var.lstrip("$"))

    def name_of(self, var):
        return var.lstrip("$").lower()

    def scene_of(self, passage):
        return passage.lower().replace(" ", "_")

    def seen_number(self, var, value):
        pass

    def value_flag(self, var, value):
        return f"{var.lstrip('$')}_{value.lower()}"


@pytest.mark.parametrize("twine, ours", [
    ("$x gte 3", "x >= 3"), ("$x gt 3", "x > 3"), ("$x lte 3", "x <= 3"), ("$x lt 3", "x < 3"),
    ("$x is 3", "x == 3"), ("$x eq 3", "x == 3"), ("$x neq 3", "x != 3"), ("$x isnot 3", "x != 3"),
    ("$x === 3", "x == 3"), ("$x !== 3", "x != 3"), ("$x is not 3", "x != 3"), ("3 < $x", "x > 3"),
    ("$x is >= 6", "x >= 6"), ("$x > $y", "x > y"), ("$x is -2", "x == -2"),
    ("$f", "f"), ("$f is true", "f"), ("$f is false", "not f"), ("not $f", "not f"), ("!$f", "not f"),
    ("$f eq true and $x gt 1", "f and x > 1"), ("$f && $x > 1 || $g", "f and x > 1 or g"),
    ("$f and ($x > 1 or $g)", "f and (x > 1 or g)"), ("$x", "x != 0"),
    ('visited("The Hall")', "visits(the_hall) > 0"), ('hasVisited("Hall")', "visited(hall)"),
    ('(history:) contains "Hall"', "visited(hall)"), ('(visited: "Hall")', "visited(hall)"),
    ('$s is "Calm"', "s_calm"), ("$s neq 'Calm'", "not s_calm"), ('"Calm" == $s', "s_calm"),
])
def test_twine_conditions_become_ours(twine, ours):
    assert render(parse(twine), _Names(x="meter", y="meter", f="flag", g="flag", s="string")) == ours


@pytest.mark.parametrize("twine, why", [
    ('$name gt "Bob"', "no flag can say"), ('$x is "Bob"', "no flag can say"), ("_tmp gt 2", "temporary"), ("$x + 1 gt 2", "arithmetic"),
    ("$list.includes(2)", "arithmetic or as a collection"), ("(random: 1, 6) > 3", "no equivalent"),
    ("$x gt 2.5", "whole number"), ("$f gt 2", "does not hold one"), ("setup.ready", "JavaScript"),
])
def test_what_cannot_be_said_is_untranslatable_with_a_reason(twine, why):
    with pytest.raises(Untranslatable, match=why):
        render(parse(twine), _Names(x="meter", f="flag", name="string"))


@pytest.mark.parametrize("part, value", [
    ("$x to 3", ("=", 3)), ("$x = -1", ("=", -1)), ("$x += 2", ("+", 2)), ("$x -= 2", ("+", -2)),
    ("$x++", ("+", 1)), ("$x--", ("+", -1)), ("$x to it + 4", ("+", 4)), ("$x to $x - 1", ("+", -1)),
    ("$x to 2 + $x", ("+", 2)), ("$f to true", True), ("$f = false", False), ('$s to "hi"', ("text", "hi")),
])
def test_assignments(part, value):
    assert assignment(part) == (part.split()[0].rstrip("+-"), value)


@pytest.mark.parametrize("part", ["$x to random(1, 3)", "$x to $y * 2", "_t to 1", "$x += $y"])
def test_assignments_that_cannot_be_said(part):
    with pytest.raises(Untranslatable):
        assignment(part)


# --- SugarCube ------------------------------------------------------------------------------------


def test_sugarcube_if_elseif_else_becomes_conditional_paragraphs():
    result, story = story_of(SUGAR + ":: StoryInit\n<<set $trust to 2>>\n\n:: Start\n<<if $trust gte 4>>\nClose.\n"
                                      "<<elseif $trust gte 2>>\nWary.\n<<else>>\nCold.\n<</if>>\n[[On->End]]\n\n"
                                      ":: End\nDone.\n")
    assert paragraph(story, "start", "Close.").condition.source == "trust >= 4"
    assert paragraph(story, "start", "Wary.").condition.source == "trust < 4 and trust >= 2"
    assert paragraph(story, "start", "Cold.").condition.source == "trust < 4 and trust < 2"
    assert result.stats["conditionals kept"] == 1


def test_a_conditional_inside_a_line_becomes_an_inline_form():
    result, story = story_of(SUGAR + ":: Start\n<<set $calm to true>>You feel <<if $calm>>steady<<else>>shaky"
                                      "<</if>> today.\n[[On->End]]\n\n:: End\nDone.\n")
    assert "You feel ((if calm: steady))((if not calm: shaky)) today." in result.yaml
    assert story.scenes["start"].text[0].condition is None


def test_a_link_inside_an_if_becomes_a_choice_with_if():
    _, story = story_of(SUGAR + ":: Start\n<<set $key to false>>\n<<if $key is true>>[[Exit]]<<else>>Locked."
                                 "<</if>>\n[[Wait->Start]]\n\n:: Exit\nOut.\n")
    exit_ = story.scenes["start"].choices[0]
    assert exit_.goto == "exit" and exit_.condition.source == "key"


def test_link_macro_with_sets_and_goto_becomes_a_choice_with_effects():
    _, story = story_of(SUGAR + ':: Start\n<<link "Tell her">><<set $trust += 2>><<set $told to true>>'
                                 '<<goto "Next">><</link>>\n<<link "Wait" "Next">><<set $trust -= 1>><</link>>\n'
                                 '<<link [[Leave|Next]]>><</link>>\n\n:: Next\nDone.\n')
    tell, wait, leave = story.scenes["start"].choices
    assert (tell.text, tell.goto) == ("Tell her", "next")
    assert str(tell.effects.meters[0]) == "trust +2" and tell.effects.set == ("told",)
    assert str(wait.effects.meters[0]) == "trust -1" and (leave.text, leave.goto) == ("Leave", "next")


def test_a_set_at_the_top_of_a_passage_is_on_enter_and_a_setter_link_is_effects():
    _, story = story_of(SUGAR + ":: Start\n<<set $count += 1>>\nHello.\n[[On|Next][$done to true]]\n\n"
                                 ":: Next\nBye.\n")
    assert str(story.scenes["start"].on_enter.meters[0]) == "count +1"
    assert story.scenes["start"].choices[0].effects.set == ("done",)


def test_print_and_naked_variables_become_interpolation_or_are_reported():
    result, story = story_of(SUGAR + ':: StoryInit\n<<set $gold to 5>><<set $name to "Sam">>\n\n:: Start\n'
                                      "Gold: $gold. <<print $gold>> <<= $gold>>. Hi $name, _temp.\n[[On->End]]\n\n"
                                      ":: End\nDone.\n")
    assert "Gold: ((gold)). ((gold)) ((gold)). Hi ((if name_sam: Sam)), ." in result.yaml
    assert kinds(result)["variable printed in text"] == 1     # _temp
    assert kinds(result)["text variable as one flag a value"] == 1


def test_a_text_variable_is_one_flag_a_value():
    result, story = story_of(SUGAR + ':: StoryInit\n<<set $mood to "calm">>\n\n:: Start\nHi.\n[[Rage|Room]'
                                      '[$mood to "angry"]]\n[[Room]]\n\n:: Room\n<<if $mood eq "angry">>Fists.'
                                      '<<else>>Still.<</if>>\n[[Out->End]]\n\n:: End\nE.\n')
    assert set(story.flags) == {"mood_calm", "mood_angry"}
    assert story.scenes["start"].on_enter.set == ("mood_calm",)
    rage = story.scenes["start"].choices[0]
    assert rage.effects.set == ("mood_angry",) and rage.effects.clear == ("mood_calm",)
    assert "((if mood_angry: Fists.))((if not mood_angry: Still.))" in result.yaml


def test_restart_and_back_links():
    result, story = story_of(SUGAR + ':: Start\nGo.\n[[On->End]]\n\n:: End\nThe end.\n<<link "Again">><<restart>>'
                                      '<</link>>\n<<button "Restart">><<run Engine.restart()>><</button>>\n'
                                      "<<return>>\n")
    assert story.scenes["end"].ending is not None
    assert kinds(result)["restart link left out"] == 2
    assert kinds(result)["macro <<return>>"] == 1


def test_play_again_to_the_start_keeps_the_ending_an_ending():
    _, story = story_of(SUGAR + ":: Start\nGo.\n[[On->End]]\n\n:: End\nThe end.\n[[Play again|Start]]\n")
    assert story.scenes["end"].ending is not None


def test_include_is_inlined_and_its_passage_is_not_a_scene():
    result, story = story_of(SUGAR + ':: Start\n<<include "Status">>\n[[On->End]]\n\n:: Status\nYou are fine.\n\n'
                                      ":: End\nDone.\n")
    assert paragraph(story, "start", "You are fine.")
    assert "status" not in story.scenes
    assert kinds(result)["passage only shown inside others"] == 1


def test_a_conditional_goto_closes_the_other_choices_when_it_applies():
    _, story = story_of(SUGAR + ":: StoryInit\n<<set $hp to 3>>\n\n:: Start\n<<if $hp lte 0>><<goto \"Dead\">>"
                                 "<</if>>\n[[Fight->Start][$hp -= 1]]\n\n:: Dead\nGone.\n")
    dead, fight = story.scenes["start"].choices
    assert fight.condition.source == "hp > 0" and dead.condition.source == "hp <= 0"


def test_an_in_place_link_becomes_a_choice_back_to_the_passage():
    result, story = story_of(SUGAR + ':: Start\n<<set $key to false>>\n[[Room]]\n\n:: Room\n<<if not $key>>'
                                      '<<linkreplace "Take the key">><<set $key to true>>Got it.<</linkreplace>>'
                                      "<</if>>\n[[Out->End]]\n\n:: End\nDone.\n")
    take = story.scenes["room"].choices[0]
    assert take.goto == "room" and take.condition.source == "not key" and take.effects.set == ("key",)
    assert "Got it." in next(n.detail for n in result.notes if n.kind == "link that changes the passage in place")


def test_untranslatable_condition_leaves_its_text_out_but_keeps_its_links():
    result, story = story_of(SUGAR + ':: Start\n<<if $n + 1 gt 2>>Hi Bob.[[Secret]]<<else>>Hello.<</if>>\n'
                                      "[[On->End]]\n\n:: Secret\nS.\n\n:: End\nE.\n")
    assert not any("Hi Bob" in p.text or "Hello" in p.text for p in story.scenes["start"].text)
    assert [c.goto for c in story.scenes["start"].choices] == ["secret", "end"]
    found = kinds(result)
    assert found["condition that cannot be translated"] == 1
    assert found["text behind an untranslated condition (left out)"] == 2
    assert found["link behind an untranslated condition (always offered)"] == 1
    assert "# untranslated, line" in result.yaml


def test_macros_with_no_equivalent_are_grouped_by_name():
    result, _ = story_of(SUGAR + ":: Start\n<<for _i to 0; _i lt 3; _i++>>x<</for>>\n<<for _j to 0; _j lt 2; _j++>>"
                                 "y<</for>>\n<<audio \"x\" play>>\n[[On->End]]\n\n:: End\nE.\n")
    assert kinds(result)["macro <<for>>"] == 2 and kinds(result)["macro <<audio>>"] == 1


def test_sugarcube_markup_is_taken_out():
    _, story = story_of(SUGAR + ":: Start\n!!A heading\n//Soft// and ''hard'' and __low__ and @@color:red;red@@ "
                                 "<span class=\"x\">span</span>.<br>Next line.\n[[On->End]]\n\n:: End\nE.\n")
    texts = [p.text for p in story.scenes["start"].text]
    assert texts == ["A heading", "Soft and hard and low and red span .", "Next line."]


# --- Harlowe --------------------------------------------------------------------------------------


def test_harlowe_if_else_if_else_hooks_across_lines():
    _, story = story_of(HARLOWE + ":: Start\n(set: $n to 2)\n(if: $n > 3)[\nMany.\n](else-if: $n is 2)[\nTwo.\n]\n"
                                   "(else:)[\nFew.\n]\n[[On->End]]\n\n:: End\nE.\n")
    assert paragraph(story, "start", "Many.").condition.source == "n > 3"
    assert paragraph(story, "start", "Two.").condition.source == "n <= 3 and n == 2"
    assert paragraph(story, "start", "Few.").condition.source == "n <= 3 and n != 2"


def test_harlowe_unless_and_inline_hooks():
    result, _ = story_of(HARLOWE + ":: Start\n(set: $tired to true)He (unless: $tired)[smiles](else:)[yawns].\n"
                                    "[[On->End]]\n\n:: End\nE.\n")
    assert "He ((if not tired: smiles))((if tired: yawns))." in result.yaml


def test_harlowe_link_forms():
    _, story = story_of(HARLOWE + ':: Start\n[[Go on->A]]\n[[B<-Back way]]\n(link-goto: "Third", "C")\n'
                                   '(link-goto: "D")\n(link: "Fifth")[(set: $x to 1)(goto: "A")]\n\n'
                                   ":: A\na\n\n:: B\nb\n\n:: C\nc\n\n:: D\nd\n")
    assert [(c.text, c.goto) for c in story.scenes["start"].choices] == [
        ("Go on", "a"), ("Back way", "b"), ("Third", "c"), ("D", "d"), ("Fifth", "a")]
    assert str(story.scenes["start"].choices[4].effects.meters[0]) == "x =1"


def test_harlowe_hooks_never_become_choices_labelled_with_brackets():
    _, story = story_of(HARLOWE + ":: Start\n|box>[Inside a named hook.] and [a bare hook]<tag|\n"
                                   "(text-colour: red)[Red words.]\n[[Continue->End]]\n\n:: End\nE.\n")
    assert [c.text for c in story.scenes["start"].choices] == ["Continue"]
    assert story.scenes["start"].text[0].text == "Inside a named hook. and a bare hook"
    assert story.scenes["start"].text[1].text == "Red words."


def test_harlowe_reveal_links_become_scenes():
    _, story = story_of(HARLOWE + ':: Start\nThe door.\n(link: "Knock")[A voice answers.\n(link-goto: "Enter", '
                                   '"Hall")]\n\n:: Hall\nIn.\n')
    knock = story.scenes["start"].choices[0]
    revealed = story.scenes[knock.goto]
    assert [p.text for p in revealed.text] == ["The door.", "A voice answers."]
    assert revealed.title == "Start" and revealed.choices[0].goto == "hall"


def test_harlowe_print_restart_and_markup():
    result, story = story_of(HARLOWE + ":: Start\n(set: $coins to 3)\n''Coins'': (print: $coins) and $coins. "
                                        "//Soft// *em* **strong** ~~gone~~\n[[On->End]]\n\n:: End\n###The end\n"
                                        "(link: \"Again\")[(restart:)]\n")
    assert paragraph(story, "start", "Coins").text == "Coins: ((coins)) and ((coins)). Soft em strong gone"
    assert story.scenes["end"].ending is not None and story.scenes["end"].text[0].text == "The end"


def test_harlowe_put_and_unknown_macros():
    result, story = story_of(HARLOWE + ":: Start\n(put: 4 into $n)(either: \"a\", \"b\")(live: 2s)[Ticking.]\n"
                                        "(after: 2s)[(t8n: \"dissolve\")[[[On->End]]]]\n\n:: End\nE.\n")
    assert str(story.scenes["start"].on_enter.meters[0]) == "n =4"
    assert kinds(result)["macro (either:)"] == 1 and kinds(result)["macro (live:)"] == 1
    assert kinds(result)["timing (after:)"] == 1                   # shown at once, its link too
    assert [(c.text, c.goto) for c in story.scenes["start"].choices] == [("On", "end")]
    assert "Ticking" not in result.yaml.split("scenes:")[1].split("# untranslated")[-1]


def test_links_to_web_pages_and_link_macros_with_apostrophes():
    result, story = story_of(SUGAR + ":: Start\n[[Our site|https://example.org]]\n<<link [[Something's wrong|End]]>>"
                                     "<</link>>\n\n:: End\nE.\n")
    assert [(c.text, c.goto) for c in story.scenes["start"].choices] == [("Something's wrong", "end")]
    assert kinds(result)["link to a web page (left out)"] == 1


# --- the report and the published HTML --------------------------------------------------------------


def test_reachability_words():
    assert reachability(160, 142, 30, True) == "142 of 160 scenes unreachable until the untranslated macros are handled"
    assert reachability(10, 2, 0, True) == "2 of 10 scenes unreachable"
    assert reachability(10, 0, 5, True) == "all 10 scenes reachable"
    assert "not known" in reachability(10, 0, 5, False)


def test_twine_2_published_html():
    html = ('<html><body><tw-storydata name="Tiny &amp; Tall" startnode="2" format="Harlowe" format-version="3.3.8" '
            'ifid="ABC">\n<style type="text/twine-css">body {}</style>\n'
            '<script type="text/twine-javascript">window.x = 1;</script>\n'
            '<tw-passagedata pid="1" name="End" tags="">Done.</tw-passagedata>\n'
            '<tw-passagedata pid="2" name="Begin" tags="">(set: $n to 1)(if: $n &gt; 0)[Yes.]\n'
            '[[Go-&gt;End]]</tw-passagedata>\n</tw-storydata></body></html>')
    result, story = story_of(html)
    assert story.title == "Tiny & Tall" and story.start == "begin"
    assert paragraph(story, "begin", "Yes.").condition.source == "n > 0"
    assert story.scenes["begin"].choices[0].goto == "end"
    assert "#   window.x = 1;" in result.yaml


def test_visits_to_the_current_passage():
    result, _ = story_of(HARLOWE + ":: Start\n(if: visits is 1)[First time.](else:)[Again.]\n[[Stay->Start]]\n"
                                   "[[Go->End]]\n\n:: End\nE.\n")
    assert "((if visits(start) == 1: First time.))((if visits(start) != 1: Again.))" in result.yaml
    result, _ = story_of(SUGAR + ":: Start\n<<if visited() gt 1>>Back again.<</if>>\n[[Stay->Start]]\n"
                                 "[[Go->End]]\n\n:: End\nE.\n")
    assert "if: visits(start) > 1" in result.yaml


def test_a_condition_too_long_for_the_format_is_reported_not_written():
    branches = "".join(f"<<elseif $n is {i}>>Branch {i}." for i in range(2, 60))
    result, story = story_of(SUGAR + f":: StoryInit\n<<set $n to 1>>\n\n:: Start\n<<if $n is 1>>One.{branches}"
                                     "<</if>>\n[[Go->End]]\n\n:: End\nE.\n")
    assert kinds(result)["condition too long for this format"] == 1
    assert all(len(p.condition.source) <= 500 for p in story.scenes["start"].text if p.condition)


def test_style_and_script_elements_in_a_passage_are_left_out():
    _, story = story_of(SUGAR + ":: Start\n<style>\n.x {display: none}\n</style>Hello.<script>go()</script>\n"
                                "[[On->End]]\n\n:: End\nE.\n")
    assert [p.text for p in story.scenes["start"].text] == ["Hello."]


def test_a_goto_behind_an_untranslated_condition_closes_nothing():
    result, story = story_of(SUGAR + ':: Start\n<<if $B.phase == "move">><<goto "End">><</if>>\n[[Wait->Start]]\n\n'
                                     ":: End\nE.\n")
    assert [c.text for c in story.scenes["start"].choices] == ["Continue.", "Wait"]
    assert story.scenes["start"].choices[1].condition is None


@pytest.mark.parametrize("body", [
    "<<x " + '"a' * 40 + "\n",                         # quotes that never close: no runaway backtracking
    "[" * 3000 + "deep" + "]" * 3000,                 # hooks in hooks
    "<<if $a>>" * 300 + "deep" + "<</if>>" * 300,     # macros in macros
    "(set: " * 2000 + "\n",                           # macros that never close
    "<<if " + "(" * 500 + "$a" + ")" * 500 + ">>x<</if>>",
    '(link: "in")[Deeper. ' * 60 + "[[Out->End]]" + "]" * 60,   # links that reveal links, 60 deep
])
def test_hostile_passages_import_without_error(body):
    for header in (SUGAR, HARLOWE):
        result = import_twee(header + f":: Start\n{body}\n[[On->End]]\n\n:: End\nE.\n", "t.twee")
        parse_story(result.yaml, "imported.yaml")


def test_passage_names_that_look_like_codes_are_a_decision_to_check(tmp_path, capsys):
    result, story = story_of(SUGAR + ":: Start\nGo.\n[[On->S1Ra]]\n\n:: S1Ra\nE.\n")
    assert story.scenes["s1_ra"].title == "S1Ra"
    assert "1 passage names (the first: 'S1Ra')" in next(n.detail for n in result.notes
                                                         if n.kind == "scene titles that look like codes")


def test_the_command_reads_published_html(tmp_path, capsys):
    page = tmp_path / "story.html"
    page.write_text('<tw-storydata name="Door" startnode="1" format="SugarCube"><tw-passagedata pid="1" name="Hall">'
                    '&lt;&lt;set $open to true&gt;&gt;&lt;&lt;if $open&gt;&gt;[[Out]]&lt;&lt;/if&gt;&gt;'
                    '</tw-passagedata><tw-passagedata pid="2" name="Out">Air.</tw-passagedata></tw-storydata>')
    from game.cli import main
    assert main(["import", str(page), "-o", str(tmp_path / "door.yaml")]) == 0
    story = parse_story((tmp_path / "door.yaml").read_text(), "door.yaml")
    assert story.scenes["hall"].choices[0].condition.source == "open"
    assert "all 2 scenes reachable" in capsys.readouterr().err


def test_each_way_through_a_link_body_is_a_choice_with_its_condition():
    result, story = story_of(SUGAR + ':: StoryInit\n<<set $brave to false>><<set $hp to 3>>\n\n:: Start\n'
                                     '<<link "Jump">><<if $brave>><<set $hp -= 1>><<goto "Far">><<else>>'
                                     '<<goto "Near">><</if>><</link>>\n\n:: Far\nF.\n\n:: Near\nN.\n')
    far, near = story.scenes["start"].choices
    assert (far.text, far.goto, far.condition.source, str(far.effects.meters[0])) == ("Jump", "far", "brave", "hp -1")
    assert (near.text, near.goto, near.condition.source, near.effects.meters) == ("Jump", "near", "not brave", ())
    assert result.stats["conditionals kept"] == 1


def test_a_harlowe_link_with_a_conditional_set_before_its_goto():
    _, story = story_of(HARLOWE + ':: Start\n(set: $n to 0)(link: "Knock")[(if: $n > 2)[(set: $angry to true)]'
                                  '(goto: "Door")]\n\n:: Door\nD.\n')
    angry, calm = story.scenes["start"].choices
    assert angry.condition.source == "n > 2" and angry.effects.set == ("angry",) and angry.goto == "door"
    assert calm.condition.source == "n <= 2" and calm.effects.set == () and calm.goto == "door"


def test_a_branch_that_starts_with_a_space_keeps_the_word_before_it():
    result, story = story_of(HARLOWE + ":: Start\n(set: $hurt to true)You were robbed(if: $hurt)[ and hurt], "
                                       "sadly.\n[[On->End]]\n\n:: End\nE.\n")
    assert "You were ((if hurt: robbed and hurt | robbed)), sadly." in result.yaml


def test_punctuation_beside_links_is_decoration():
    _, story = story_of(SUGAR + ":: Start\nWhere now?\n[[North]] | [[South]] |\n> [[West]]\n\n:: North\nN.\n\n"
                                ":: South\nS.\n\n:: West\nW.\n")
    assert [p.text for p in story.scenes["start"].text] == ["Where now?"]
    assert len(story.scenes["start"].choices) == 3


def test_sugarcube_switch_is_an_if_chain():
    result, story = story_of(SUGAR + ':: StoryInit\n<<set $mood to "calm">>\n\n:: Start\n<<switch $mood>>\n'
                                     '<<case "calm">>\nQuiet.\n<<case "angry" "upset">>\nLoud.\n<<default>>\nUnsure.\n'
                                     "<</switch>>\n[[Rage|Start][$mood to \"angry\"]]\n[[Go->End]]\n\n:: End\nE.\n")
    assert paragraph(story, "start", "Quiet.").condition.source == "mood_calm"
    assert paragraph(story, "start", "Loud.").condition.source == "not mood_calm and (mood_angry or mood_upset)"
    assert paragraph(story, "start", "Unsure.").condition.source == \
        "not mood_calm and not (mood_angry or mood_upset)"
    assert result.stats["conditionals kept"] == 1
