"""After every passage is a scene: restart links and missing passages, meters and flags that
start set, and the decisions the writer should check (endings' tones, skip routes, titles)."""

from __future__ import annotations

import re

from game.tools.twine.model import Note, Passage
from game.tools.twine.scene import Scene, Segment
from game.tools.twine.variables import identifier

MAX_CHOICES = 9


def restart_links(scenes: dict[str, Scene], start: str, notes: list[Note]) -> None:
    """A passage whose only ways on go back to the start ("Play again", "The end.") is an ending:
    the game has its own 'play again', and a loop back would make the ending a goto cycle. Links to
    the start in a passage with other ways on stay (they are a real way on)."""
    for scene in scenes.values():
        if scene.passage.name == start or not scene.choices:
            continue
        if all(c.target == start for c in scene.choices):
            for choice in scene.choices:
                notes.append(Note(choice.line, scene.passage.name, "restart link left out",
                                  f"'{choice.text}' -> '{choice.target}': the passage stays an ending; the game "
                                  f"offers its own way to play again", "note"))
            scene.choices = []


def missing_passages(scenes: dict[str, Scene], taken: set[str], notes: list[Note]) -> None:
    """A placeholder ending for each link to a passage that is not in the file."""
    for scene in list(scenes.values()):
        for choice in scene.choices:
            if choice.target not in scenes:
                missing = Passage(choice.target, [], choice.line, [])
                scenes[choice.target] = Scene(identifier(choice.target, taken), missing, placeholder=True,
                                              paragraphs=[[Segment((), f"[The passage '{choice.target}' was "
                                                                       "missing from the Twine file.]")]])
                notes.append(Note(choice.line, scene.passage.name, "link to a missing passage",
                                  f"'{choice.target}': a placeholder ending stands in"))
        if len(scene.choices) > MAX_CHOICES:
            extra = scene.choices[MAX_CHOICES]
            notes.append(Note(extra.line, scene.passage.name, "more than nine links",
                              f"{len(scene.choices)} links; the rest are comments"))


def starting_flags(scenes: dict[str, Scene], start: str, flags: list[dict], notes: list[Note]) -> None:
    """Flags start off here: one that starts set in Twine is set on entering the start scene."""
    revisited = any(c.target == start for s in scenes.values() for c in s.choices)
    for flag in flags:
        if flag["start"]:
            value = ("text", flag["value"]) if "value" in flag else True
            scenes[start].entry.setdefault(flag["raw"], value)
            again = "; the start passage is linked to, so this happens again on every visit to it" if revisited else ""
            notes.append(Note(1, "", "flag that starts true", f"{flag['name']} ({flag['raw']}): flags start off "
                              f"here, so it is set on entering the start scene{again}",
                              "warning" if revisited else "note"))


def decisions(scenes: dict[str, Scene], notes: list[Note]) -> list[Scene]:
    """The notes on what the writer should decide; the endings."""
    endings = [s for s in scenes.values() if not s.choices and not s.placeholder]
    for scene in endings:
        if scene.comments:
            notes.append(Note(scene.passage.line, scene.passage.name, "ending only because its code did not "
                              "translate", "the passage has no link this format can follow; see its "
                              "'untranslated' comments"))
    if endings:
        notes.append(Note(endings[0].passage.line, "", "endings to give a tone",
                          f"{len(endings)} passage(s) without links became endings with tone 'unresolved'", "note"))
    if any(s.choices for s in scenes.values()):
        notes.append(Note(1, "", "skip routes to check", "each scene's 'skip this scene' leads where its first "
                          "link without a condition does", "note"))
    coded = [s.passage.name for s in scenes.values() if not s.placeholder and not s.title and " " not in
             s.passage.name.strip() and (re.search(r"\d|[a-z][A-Z]|_", s.passage.name) or len(s.passage.name) < 3)]
    if coded:
        notes.append(Note(1, "", "scene titles that look like codes", f"{len(coded)} passage names (the first: "
                          f"'{coded[0]}') are the scenes' titles, which players see in the journal and saves; give "
                          "them human names", "note"))
    notes.append(Note(1, "", "header to fill in", "summary, perspective, content notes, play time and debrief: "
                      "Twine has no place for them", "note"))
    return endings
