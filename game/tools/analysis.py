"""Story-level diagnostics over the reachable states that `explore` found.

Each finding is a `StoryError` (path, line, col, message, hint, severity, code), printed like a
compiler's. Two are errors, because a player gets stuck: a softlock and a goto cycle with no way
out. The rest are warnings: the story still plays, but something is probably not as meant.

When exploration stopped at its bound, nothing here claims that something is *never* reached:
those findings would be guesses. Softlocks it did find are still real and still reported.
"""

from __future__ import annotations

from game.story.errors import StoryError
from game.story.model import Effects, Scene, Span, Story
from game.story.texts import text_conditions
from game.tools.explore import Exploration
from game.tools.source import Sources, SourceText

ARROW = " → "


def walkthrough(path: tuple[str, ...]) -> str:
    return ARROW.join(path) if path else "(the start)"


def analyse(story: Story, found: Exploration, source: SourceText | Sources | None = None) -> list[StoryError]:
    """Every story-level finding, in file order."""
    source = source or SourceText.empty()
    sources = source if isinstance(source, Sources) else Sources.single(story.path, source)
    source = sources.main
    out: list[StoryError] = []

    def report(span: Span, message: str, hint: str, code: str, severity: str = "warning",
               scene: Scene | None = None) -> None:
        path = story.file_of(scene) if scene is not None else story.path
        out.append(StoryError(path, span.line, span.col, message, hint, severity, code))

    for stuck in found.softlocks.values():
        scene = story.scenes[stuck.scene]
        how = "after a skip, " if stuck.via_skip else ""
        report(scene.span, f"softlock: scene '{scene.id}' can be reached with no choice open",
               f"{how}reached by {walkthrough(stuck.path)}, with {stuck.describe_state()}; give it a choice "
               f"without 'if', or make sure one of its conditions holds there", "softlock", "error", scene)
    for trap in found.traps:
        scene = story.scenes[trap.scenes[0]]
        names = ", ".join(f"'{s}'" for s in trap.scenes)
        report(scene.span, f"goto cycle with no way out: {names} can loop forever without reaching an ending",
               f"reached by {walkthrough(trap.first.path)}, with {trap.first.describe_state()}; add a choice "
               f"that leads on, or one that opens there", "goto-cycle", "error", scene)

    if not found.complete:
        report(Span(1, 1), f"exploration stopped at {found.states:,} states, so nothing here is reported "
                           f"as unreachable or never taken", "raise --max-states to explore further",
               "exploration-incomplete")
    else:
        _reachability(story, found, sources, report)
        _choices(story, found, report)
        _meters(story, found, report)
        _never_shows(story, found, report)
    _skip_routes(story, report)
    for cid, path in found.textless_choices.items():
        choice = story.choice(cid)
        report(choice.span, f"choice '{cid}' can be shown with no text: every item of its text has a condition, "
                            f"and none holds", f"reached by --path {','.join(path) or '(the start)'}; give it one "
                            f"item without 'if:'", "choice-without-text", "error", story.scenes[choice.scene])
    _flags(story, found, source, report)
    return sorted(out, key=lambda e: (e.line, e.col, e.code))


def _reachability(story: Story, found: Exploration, sources: Sources, report) -> None:
    for scene in story.scenes.values():
        if scene.id in found.scenes_reached:
            continue
        only_skip = " except by skipping a scene" if scene.id in found.scenes_reached_by_skip else ""
        if scene.ending is not None:
            report(scene.span, f"ending '{scene.id}' (\"{scene.ending.title}\") can never be reached{only_skip}",
                   "no path of choices leads here; check the gotos and conditions on the way", "unreachable-ending",
                   scene=scene)
        else:
            report(scene.span, f"scene '{scene.id}' can never be reached{only_skip}",
                   "no path of choices leads here; add a goto to it, or remove it", "unreachable-scene", scene=scene)
    for scene in story.scenes.values():
        if scene.skip_to and scene.id in found.scenes_reached and scene.skip_to not in found.scenes_reached:
            span = sources.get(story.file_of(scene)).find_key("skip_to", scene.span) or scene.span
            report(span, f"skip_to leads to '{scene.skip_to}', which play never reaches",
                   "a player who skips lands somewhere the story never goes; skip to a scene that "
                   "follows on naturally", "skip-to-unreachable", scene=scene)


def _choices(story: Story, found: Exploration, report) -> None:
    for choice in found.all_choices:
        if choice.scene not in found.scenes_reached or choice.id in found.choices_taken:
            continue
        condition = choice.condition.source if choice.condition else ""
        if choice.locked:
            report(choice.span, f"locked choice '{choice.id}' can never be unlocked",
                   f"'{condition}' is false every time '{choice.scene}' is reached; loosen it, or change "
                   f"what leads here", "locked-never-unlocked", scene=story.scenes[choice.scene])
        else:
            report(choice.span, f"choice '{choice.id}' is never available",
                   f"'{condition}' is false every time '{choice.scene}' is reached, and the choice is "
                   f"hidden then", "choice-never-available", scene=story.scenes[choice.scene])


def _meters(story: Story, found: Exploration, report) -> None:
    changed_by_effects = {c.meter for c in _all_changes(story)}
    moved = {c.meter for c in found.changes_effective}
    for meter in story.meters.values():
        if meter.name in moved:
            continue
        if meter.name not in changed_by_effects:
            report(meter.span, f"meter '{meter.name}' never changes: no effect names it",
                   f"it stays at {meter.start}; add effects, or remove the meter", "meter-never-changes")
        else:
            report(meter.span, f"meter '{meter.name}' never changes on any reachable path",
                   f"it stays at {meter.start}: the effects on it are unreachable or clamped away",
                   "meter-never-changes")
    for change in sorted(found.changes_applied - found.changes_effective, key=lambda c: (c.span.line, c.span.col)):
        meter = story.meters[change.meter]
        if change.op == "=":
            report(change.span, f"'{change}' never changes anything: '{meter.name}' is always "
                                f"{change.amount} already here", "remove the effect, or move it", "effect-no-op")
        elif change.amount != 0:
            bound = f"its max, {meter.max}" if change.amount > 0 else f"its min, {meter.min}"
            report(change.span, f"'{change}' is always clamped away: '{meter.name}' is already at {bound}, "
                                f"every time this runs", "change the amount, the bounds, or where it applies",
                   "effect-clamped")


def _all_changes(story: Story):
    for scene in story.scenes.values():
        yield from scene.on_enter.meters
        for choice in scene.choices:
            yield from choice.effects.meters


def _flags(story: Story, found: Exploration, source: SourceText, report) -> None:
    read_at: dict[str, Span] = {}
    set_at: dict[str, Span] = {}
    cleared: set[str] = set()

    def note_effects(effects: Effects) -> None:
        for flag in effects.set:
            set_at.setdefault(flag, effects.span)
        cleared.update(effects.clear)

    def note_read(condition, span: Span) -> None:
        if condition is not None:
            for flag in condition.names()[1]:
                read_at.setdefault(flag, span)

    for scene in story.scenes.values():
        note_effects(scene.on_enter)
        for text in text_conditions(scene):  # paragraphs, thought, choice texts, inline ((if …))
            note_read(text.condition, text.span)
        for choice in scene.choices:
            note_read(choice.condition, choice.span)
            note_effects(choice.effects)
    for flag in story.flags:
        if flag in read_at and flag not in set_at:
            report(read_at[flag], f"flag '{flag}' is read but never set",
                   "no effect has 'set: [" + flag + "]', so every test of it is false", "flag-never-set")
        elif flag in set_at and flag not in read_at:
            report(set_at[flag], f"flag '{flag}' is set but never read",
                   "no condition tests it; test it somewhere, or stop setting it", "flag-never-read")
        elif flag not in read_at and flag not in set_at and flag not in cleared:
            span = source.find_word(flag, source.header_key("flags") or Span(1, 1)) or Span(1, 1)
            report(span, f"flag '{flag}' is declared but never used", "remove it from 'flags:'",
                   "flag-unused")
        elif flag in read_at and flag in set_at and found.complete and flag not in found.flags_seen:
            report(set_at[flag], f"flag '{flag}' is read, but no reachable path sets it",
                   "the effects that set it are never reached", "flag-never-set")



def _skip_routes(story: Story, report) -> None:
    """Every scene that is not an ending has somewhere to skip to (format 2: an error)."""
    severity = "error" if story.format >= 2 else "warning"
    for scene in story.scenes.values():
        if scene.ending is not None or scene.skip_route:
            continue
        then = "" if story.format >= 2 else "; today skipping it ends the story (\"You stepped away\")"
        report(scene.span, f"scene '{scene.id}' has no skip route{then}",
               "add 'skip_to: SCENE' (a neutral way on), or mark one choice 'skip: true'; skipping then "
               "moves the story on and never costs a meter", "no-skip-route", severity, scene)


def _never_shows(story: Story, found: Exploration, report) -> None:
    """Conditional text whose condition is false (or, for an else branch, true) every time."""
    for scene in story.scenes.values():
        if scene.id not in found.scenes_reached:
            continue
        for item in text_conditions(scene):
            if item.after_choice or (item.choice is not None and item.choice.id not in found.choices_taken
                                     and item.choice.id not in found.choices_shown_locked):
                continue  # a remember line reads the state after its choice; a hidden choice shows nothing
            key = (scene.id, item.key)
            source = item.condition.source
            if key not in found.text_true:
                form = "an inline ((if …))" if item.inline else "a conditional item"
                report(item.span, f"{form} in {item.what} never shows: '{source}' is false every time "
                                  f"'{scene.id}' is reached", "loosen the condition, or remove the text",
                       "text-never-shows", "warning", scene)
            elif item.has_else and key not in found.text_false:
                report(item.span, f"the second branch of an inline ((if …)) in {item.what} never shows: "
                                  f"'{source}' is true every time '{scene.id}' is reached",
                       "remove the branch, or the condition", "text-never-shows", "warning", scene)
