"""Continuity: a scene that names someone (or somewhere, or something) the player may never have met.

A proper-noun heuristic. A *name* is a capitalised word the story writes in the middle of a
sentence and never in lower case ("Jo", "Harland", "Cornwall"). For every scene, two forward
data-flows over the scene graph give the names the player has surely read on every way there
(`must`) and on some way there (`may`); a name shown in a scene that is in `may` but not in `must`
leans on a meeting that some paths never had. The story's title, summary and perspective count as
met from the start; a scene that introduces a name on every path is never reported.

Each finding is then confirmed by the engine: the shortest way through the scene graph that never
enters a scene showing the name is played move by move (and when a condition blocks it, a small
breadth-first search over real moves looks for another), giving the `--path` that shows the name
unmet. A finding the engine cannot play is dropped: every report comes with a path that shows it. A writer silences a deliberate case with `# check: ignore
continuity` on the line of the text or the line above it.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from game.story.errors import StoryError
from game.story.inline import literal_text
from game.story.model import NOWHERE, Scene, Span, Story
from game.story.texts import scene_texts
from game.tools.source import Sources

WORD = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*(?![\w-])")
SENTENCE_START = tuple('.!?"“”:;—–…(*')
COMMON = frozenset("""
I Mum Dad Mr Mrs Ms Dr OK Our Sometimes Lead Sides Weight Auntie Queen God Sir Miss
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mondays Tuesdays Wednesdays Thursdays Fridays
Saturdays Sundays January February March April May June July August September October November December
Christmas Easter New Year
""".split())
SEARCH_BUDGET = 4_000  # states per confirming search
# Callbacks: the same five words in two or three scenes ("the man on the wardrobe"), one of them a
# word of five letters or more that is not among these.
PHRASE = 5
PARALLEL = 3  # scenes sharing more phrases than this hold two versions of one passage
FUNCTION_WORDS = frozenset("""
the a an and or but of to in on at for with from by as is was were be been it its it's that this these
those there here you your you're you've you'll he his him he's she her hers she's they them their we our
i i'm me my not no yes just like so then than what when where who how why all one two don't didn't
says said say have has had will would could can can't
""".split())
_WORDS = re.compile(r"[a-z’']+")


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    scene: str
    span: Span          # the text (paragraph, thought, choice…) it is in
    what: str
    sure: bool          # shown whenever the scene is (no condition, not inside a form)
    choice: str | None  # the choice whose text or lines it is in


def story_names(story: Story) -> set[str]:
    texts = [literal_text(p.tree, p.text) for s in story.scenes.values() for t in scene_texts(s) for p in t.parts]
    lower = set(re.findall(r"(?<![A-Za-z])[a-z][a-z-]+", "\n".join(texts)))
    names: set[str] = set()
    for text in texts:
        for match in WORD.finditer(text):
            word = match.group(0)
            before = text[: match.start()].rstrip(" ")
            if before and not before.endswith(SENTENCE_START) and not before.endswith("\n") \
                    and word.lower() not in lower and word not in COMMON:
                names.add(word)
    return names


def _grams(text: str) -> list[str]:
    words = _WORDS.findall(text.lower().replace("’", "'"))
    return [" ".join(words[i:i + PHRASE]) for i in range(len(words) - PHRASE + 1)
            if any(len(w) >= 5 and w not in FUNCTION_WORDS for w in words[i:i + PHRASE])]


def story_phrases(story: Story) -> set[str]:
    """Four-word phrases that two or three scenes share: callbacks."""
    where: dict[str, set[str]] = {}
    for scene in story.scenes.values():
        for text in scene_texts(scene):
            for part in text.parts:
                if text.after_choice:
                    continue
                for gram in _grams(literal_text(part.tree, part.text)):
                    where.setdefault(gram, set()).add(scene.id)
    return {g for g, scenes in where.items() if 2 <= len(scenes) <= 3}


def mentions(story: Story, names: set[str], phrases: set[str] = frozenset()) -> dict[str, list[Mention]]:
    """Every mention of a name (or a shared phrase), by scene."""
    found: dict[str, list[Mention]] = {}
    for scene in story.scenes.values():
        out = found.setdefault(scene.id, [])
        for text in scene_texts(scene):
            for part in text.parts:
                plain_words = part.text if part.tree is None else \
                    "".join(n for n in part.tree if isinstance(n, str))
                words = literal_text(part.tree, part.text)
                # remember lines are formulaic ("Tom will remember that you…"): no callbacks there
                grams = set(_grams(words)) & phrases if phrases and not text.after_choice else set()
                sure_grams = set(_grams(plain_words)) if grams else set()
                at = part.span if part.span != NOWHERE else (text.choice.span if text.choice else scene.span)
                for gram in grams:
                    sure = part.condition is None and gram in sure_grams and not text.after_choice \
                        and (text.choice is None or text.choice.condition is None)
                    out.append(Mention(gram, scene.id, at, text.what, sure,
                                       text.choice.id if text.choice is not None else None))
                for word in set(WORD.findall(words)) & names:
                    sure = part.condition is None and word in set(WORD.findall(plain_words)) \
                        and not text.after_choice and (text.choice is None or text.choice.condition is None)
                    out.append(Mention(word, scene.id, at, text.what, sure,
                                       text.choice.id if text.choice is not None else None))
    return found


def _edges(story: Story):
    for scene in story.scenes.values():
        for choice in scene.choices:
            yield scene.id, choice.goto, choice.id
        if scene.skip_route:
            yield scene.id, scene.skip_route, None


def flows(story: Story, found: dict[str, list[Mention]], known: set[str]):
    """(must, may): for each scene, the names surely / possibly met before it is entered."""
    sure = {sid: {m.name for m in ms if m.sure and m.choice is None} for sid, ms in found.items()}
    seen = {sid: {m.name for m in ms} for sid, ms in found.items()}
    said = {}  # a choice's own text, read when it is taken
    for ms in found.values():
        for m in ms:
            if m.choice is not None and m.sure:
                said.setdefault(m.choice, set()).add(m.name)
    incoming: dict[str, list[tuple[str, str | None]]] = {sid: [] for sid in story.scenes}
    for source, target, choice in _edges(story):
        incoming[target].append((source, choice))
    everything = set().union(*seen.values(), known) if seen else set(known)
    must = {sid: set(everything) for sid in story.scenes}
    must[story.start] = set(known)
    may = {sid: set() for sid in story.scenes}
    may[story.start] = set(known)
    changed = True
    order = list(story.scenes)
    while changed:
        changed = False
        for sid in order:
            ins = incoming[sid]
            if sid == story.start:
                new_must, new_may = set(known), set(known)
            else:
                new_must, new_may = None, set()
            for source, choice in ins:
                carried = must[source] | sure[source] | said.get(choice, set()) if choice is not None else must[source]
                new_must = carried if new_must is None else new_must & carried
                new_may |= may[source] | seen[source]
            if new_must is None:
                new_must = set(known)
            if sid == story.start:
                new_must &= set(known)
            if new_must != must[sid] or new_may != may[sid]:
                must[sid], may[sid] = new_must, new_may
                changed = True
    return must, may


def continuity(story: Story, reached: set[str], sources: Sources) -> list[StoryError]:
    names = story_names(story)
    found = mentions(story, names, story_phrases(story))
    known = {m.group(0) for t in (story.title, story.summary, story.perspective) for m in WORD.finditer(t)}
    must, may = flows(story, found, known)
    met_in: dict[str, set[str]] = {}
    for sid, ms in found.items():
        for m in ms:
            met_in.setdefault(m.name, set()).add(sid)
    moves = KeyMoves(story)
    grams_of = {sid: {m.name for m in ms if " " in m.name} for sid, ms in found.items()}
    out: list[StoryError] = []
    reported: set[tuple[str, str]] = set()
    callbacks: set[tuple[str, Span, frozenset]] = set()  # one finding for overlapping phrases
    for sid, ms in found.items():
        if sid not in reached:
            continue
        before = ancestors(story, sid)
        for m in sorted(ms, key=lambda m: (m.span.line, m.span.col, m.name)):
            if m.name in must[sid] or m.name not in may[sid] or (sid, m.name) in reported:
                continue
            where = sorted((met_in[m.name] - {sid}) & before)
            phrase = " " in m.name
            if not where or (phrase and (sid, m.span) in callbacks):
                continue
            if phrase and all(len(grams_of[sid] & grams_of[w]) > PARALLEL for w in where):
                continue  # two versions of the same passage (alternatives), not a callback
            reported.add((sid, m.name))
            if phrase:
                callbacks.add((sid, m.span))
            path = shortest_unmet_path(story, sid, met_in[m.name] - {sid}, m, moves)
            if path is False or path is None:
                continue  # the conditions on the way introduce it (or no played way shows otherwise)
            scene = story.scenes[sid]
            source = sources.get(story.file_of(scene))
            span = (_find_phrase(source, m.name, m.span) if phrase else source.find_word(m.name, m.span)) or m.span
            also = ", ".join(f"'{w}'" for w in where[:3]) + (" and others" if len(where) > 3 else "")
            how = f"shown unmet by --path {','.join(path)}" if path else "shown unmet at the start"
            said = f"calls back '{m.name}…', which is written in {also}" if phrase else \
                f"names '{m.name}', who (or which) is introduced in {also}"
            out.append(StoryError(
                story.file_of(scene), span.line, span.col,
                f"continuity: {m.what} {said}, and not every way here passes through "
                f"{'it' if len(where) == 1 else 'one of them'}",
                f"{how}; introduce '{m.name}' here, "
                f"vary the text with visited(), or mark it '# check: ignore continuity' if it is meant",
                "warning", "continuity"))
    return out


def shortest_unmet_path(story: Story, target: str, avoid: set[str], mention: Mention, moves=None):
    """The shortest list of moves (choice ids, or 'skip') the rules core plays to reach `target`
    with the mention shown, never entering a scene in `avoid`: [] for the start itself, False when
    no such way exists, None when the search ran out of budget. States are told apart the way the
    explorer tells them apart (`KeyMoves`), so each distinct future is searched once."""
    if story.start in avoid or _graph_way(story, target, avoid) is None:
        return False
    moves = moves or KeyMoves(story)
    start = moves.start
    if target == story.start:
        return [] if _shows(story, moves.state(start), mention) else False
    parent: dict[tuple, tuple[tuple | None, str]] = {start: (None, "")}
    queue = deque([start])
    scenes = story.scenes
    while queue:
        if len(parent) > SEARCH_BUDGET:
            return None
        here = queue.popleft()
        for move, goto, key in moves.of(here):
            if goto in avoid or key in parent:
                continue
            parent[key] = (here, move)
            if goto == target:
                if _shows(story, moves.state(key), mention):
                    path = []
                    at = key
                    while parent[at][0] is not None:
                        at, step = parent[at][0], parent[at][1]
                        path.append(step)
                    return path[::-1]
                continue
            if scenes[goto].ending is None:
                queue.append(key)
    return False


class KeyMoves:
    """The explorer's keys for states (see `game.tools.explore`: only what can still change what
    happens, texts included) and each key's moves by the rules core, memoised for one story, so
    the searches of one `continuity` run, which all start from the start, share what they meet.

    A key's moves are worked out on a state holding the key's values (its meters at the lowest
    value of their class): the key keeps everything the conditions, texts and effects ahead can
    tell apart, so they land on the keys the full state's moves would."""

    def __init__(self, story: Story):
        from game.engine import rules
        from game.tools.explore import liveness, meter_classes, visit_caps

        self.story = story
        self.live, self.classes, self.caps = liveness(story), meter_classes(story), visit_caps(story)
        self.names = tuple(story.meters)
        self.lows = tuple(story.meters[n].min for n in self.names)
        self.watched = rules.watched(story)
        self._moves: dict[tuple, list[tuple[str, str, tuple]]] = {}
        self._landings: dict[object, tuple | None] = {}  # per choice id, and ("skip", scene id)
        self.start = self.key(rules.begin(story))

    def key(self, state) -> tuple:
        live_flags, live_visits = self.live[state.scene]
        rows = self.classes[state.scene]
        values = state.meters
        caps = self.caps
        return (state.scene, tuple([row[values[n] - low] for row, n, low in zip(rows, self.names, self.lows)]),
                state.flags & live_flags,
                frozenset([(s, min(n, caps.get(s, 1))) for s, n in state.visits.items() if s in live_visits]))

    def state(self, key: tuple):
        from game.engine.rules import State

        scene, meters, flags, visits = key
        return State(scene, dict(zip(self.names, meters)), flags, dict(visits))

    def of(self, key: tuple) -> list[tuple[str, str, tuple]]:
        """(move, scene it leads to, key there) for each open choice, then the skip (if any)."""
        found = self._moves.get(key)
        if found is None:
            found = self._moves[key] = self._work_out(key)
        return found

    def _work_out(self, key: tuple) -> list[tuple[str, str, tuple]]:
        from game.engine import rules

        story = self.story
        scene = story.scenes[key[0]]
        if scene.ending is not None:
            return []
        out = []
        for choice in rules.open_choices(story, self.state(key)):
            memo = self._landings.get(choice.id)
            if memo is None:
                effects, entry, goto = rules.landing(story, choice)
                memo = self._landings[choice.id] = (
                    choice.id, goto, lambda values, e=effects, n=entry: n.meter_tuple(e.meter_tuple(values)),
                    lambda flags, e=effects, n=entry: n.flags(e.flags(flags)), {}, {}, {})
            out.append(self._land(memo, key))
        memo = self._landings.get(("skip", key[0]), False)
        if memo is False:
            landing = rules.skip_landing(story, key[0])
            memo = self._landings[("skip", key[0])] = None if landing is None else (
                "skip", landing[1], lambda values: values, landing[0].flags, {}, {}, {})
        if memo is not None:
            out.append(self._land(memo, key))
        return out

    def _land(self, memo: tuple, key: tuple) -> tuple[str, str, tuple]:
        """The move, the scene it leads to and the key there (its visit counted, as `rules.enter`
        does), each part memoised per move."""
        move, goto, meters_after, flags_after, by_meters, by_flags, by_visits = memo
        meters = by_meters.get(key[1])
        if meters is None:
            rows = self.classes[goto]
            meters = by_meters[key[1]] = tuple([row[v - low] for row, v, low in
                                                zip(rows, meters_after(key[1]), self.lows)])
        flags = by_flags.get(key[2])
        if flags is None:
            flags = by_flags[key[2]] = flags_after(key[2]) & self.live[goto][0]
        visits = by_visits.get(key[3])
        if visits is None:
            live_visits = self.live[goto][1]
            counts = dict(key[3])
            if goto in self.watched:
                counts[goto] = counts.get(goto, 0) + 1
            caps = self.caps
            visits = by_visits[key[3]] = frozenset([(s, min(n, caps.get(s, 1))) for s, n in counts.items()
                                                    if s in live_visits])
        return move, goto, (goto, meters, flags, visits)


def _graph_way(story: Story, target: str, avoid: set[str]) -> list[str] | None:
    """The shortest list of scenes from the start to `target` outside `avoid`, conditions ignored."""
    parent: dict[str, str | None] = {story.start: None}
    queue = deque([story.start])
    while queue:
        sid = queue.popleft()
        if sid == target:
            way = [sid]
            while parent[way[-1]] is not None:
                way.append(parent[way[-1]])
            return way[::-1]
        scene = story.scenes[sid]
        for goto in [c.goto for c in scene.choices] + ([scene.skip_route] if scene.skip_route else []):
            if goto not in parent and goto not in avoid:
                parent[goto] = sid
                queue.append(goto)
    return None


def ancestors(story: Story, target: str) -> set[str]:
    leads: dict[str, set[str]] = {sid: set() for sid in story.scenes}
    for source, goto, _ in _edges(story):
        leads[goto].add(source)
    seen: set[str] = set()
    queue = deque([target])
    while queue:
        for before in leads[queue.popleft()]:
            if before not in seen:
                seen.add(before)
                queue.append(before)
    return seen


def _find_phrase(source, phrase: str, near: Span) -> Span | None:
    first = phrase.split(" ")[0]
    pattern = re.compile(r"(?<![\w'’])" + r"\W+".join(re.escape(w).replace("'", "['’]") for w in phrase.split(" ")),
                         re.I)
    for number in range(max(near.line, 1), min(len(source.lines), near.line + 80) + 1):
        match = pattern.search(source.lines[number - 1])
        if match:
            return Span(number, match.start() + 1)
    return source.find_word(first, near)


def _shows(story: Story, state, mention: Mention) -> bool:
    """Whether the mention shows in the state's scene (its text's condition holds there)."""
    scene = story.scenes[state.scene]
    for text in scene_texts(scene):
        if text.choice is not None and text.choice.id != mention.choice:
            continue
        for part in text.parts:
            if text.what == mention.what and (part.span == mention.span or part.span == NOWHERE):
                return part.condition is None or part.condition(state)
    return True
