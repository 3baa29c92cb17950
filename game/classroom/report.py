"""The class report: what a class folder of anonymous summaries says, story by story.

`build_report(folder)` reads every file once, skips (and lists) what is not a summary, and counts
per story: how many played, the endings, each decision point in story order, the meters' average
path and the tags. Renderers (Markdown, HTML, the TUI view, the debrief slides) only lay this
model out.

Anonymity: every count is of students (sessions). A count of 1 to threshold - 1 is shown as
"fewer than N", and every split whose total is shown is protected so that no hidden count can be
worked out by subtraction (see `game.classroom.suppress`). No total of summaries is shown, and
"sat it out" is a count with no share, so it cannot be worked back from the players. Averages
over fewer than threshold students are not shown at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from game.classroom.summaries import MAX_SUMMARY_BYTES, Skipped  # noqa: F401  (Skipped: part of the model)
from game.classroom.summaries import read_folder as read_summaries
from game.classroom.suppress import DEFAULT_THRESHOLD, GUARD, SHOWN, SMALL, Count, counts
from game.story.model import Story, TextPart
from game.story.names import place_name_of
MAX_POINTS = 11  # points on a meter's average path (start, 10%, ..., end)
STEPPED_AWAY_TITLE = "You stepped away"
TAG_STEP = 5  # tag shares are rounded to this many percent, so they give back no exact count


def fewer(threshold: int) -> str:
    return f"fewer than {threshold}"


@dataclass(frozen=True, slots=True)
class Bucket:
    """One row of a split: a label (escaped by renderers), its count, and optional details."""

    label: str
    count: Count
    detail: str = ""  # e.g. an ending's tone, a choice's tags
    note: str = ""  # e.g. "not in this version of the story"


@dataclass(frozen=True, slots=True)
class ChoiceRow:
    choice_id: str
    text: str
    tags: tuple[str, ...]
    chose: Count
    couldnt: Count  # students shown this choice locked: "wanted but couldn't"
    known: bool = True  # False: the choice is not in the story file here


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision point (a scene with choices) and how the class chose there."""

    scene: str  # the scene id: for links inside a page, never shown
    title: str  # the place's name, as players know it
    excerpt: str
    reached: int
    choices: tuple[ChoiceRow, ...]
    skipped: Count
    stopped: Count
    returned: bool  # some students came back to this point (a student may count in several rows)
    known: bool = True
    reached_shown: bool = True  # False: all but a few players reached it, and "a few" stays hidden
    hidden: bool = False  # too few students, or no way to show the split without giving someone away
    threshold: int = DEFAULT_THRESHOLD

    @property
    def suppressed(self) -> bool:
        return self.hidden

    @property
    def shows_excerpt(self) -> bool:
        """The opening words, under a title that is not already made of them."""
        return bool(self.excerpt) and not self.excerpt.startswith(self.title.rstrip("…"))

    def reached_text(self, played: int) -> str:
        if self.reached_shown:
            return f"{self.reached} student{'s' * (self.reached != 1)} reached this point."
        return f"All but {fewer(self.threshold)} of the {played} who played reached this point."


@dataclass(frozen=True, slots=True)
class MeterPath:
    """A meter's class average at evenly spaced points from the start of the story to the end
    (None throughout when fewer than 5 students played)."""

    name: str
    label: str
    low: int
    high: int
    hidden: bool
    averages: tuple[float | None, ...]
    students: int

    @property
    def shown(self) -> bool:
        return all(a is not None for a in self.averages)

    @property
    def start(self) -> float | None:
        return self.averages[0]

    @property
    def end(self) -> float | None:
        return self.averages[-1]


@dataclass(frozen=True, slots=True)
class TagCount:
    tag: str
    times: int  # choices carrying the tag, over every student's choices
    students: int  # students who chose it at least once
    share: float  # percent of all choices
    threshold: int = DEFAULT_THRESHOLD

    @property
    def suppressed(self) -> bool:
        return 0 < self.students < self.threshold

    @property
    def rounded(self) -> int:
        """The share rounded to TAG_STEP percent (an exact share would give back exact counts)."""
        return max(TAG_STEP, TAG_STEP * round(self.share / TAG_STEP)) if self.share else 0

    def text(self) -> str:
        if self.suppressed:
            return f"chosen by {fewer(self.threshold)} students"
        return f"about {self.rounded}% of choices"


@dataclass(frozen=True, slots=True)
class StoryReport:
    story_id: str
    title: str
    found: bool  # the story file is here, so labels and order come from it
    summaries: int
    played: int
    sat_out: Count
    finished: Count
    endings: tuple[Bucket, ...]
    decisions: tuple[Decision, ...]
    meters: tuple[MeterPath, ...]
    tags: tuple[TagCount, ...]
    total_choices: int
    reflections: tuple[tuple[str, tuple[str, ...]], ...]  # (question, shared answers), answers de-linked
    notes: tuple[str, ...]
    questions: tuple[str, ...] = ()  # the story's debrief questions, shown whatever was shared
    threshold: int = DEFAULT_THRESHOLD

    @property
    def suppressed(self) -> bool:
        """Too few students for any split to be shown."""
        return self.played < self.threshold

    def played_text(self) -> str:
        """How many played: a small number is a small count like any other."""
        return Count(self.played, None, SMALL if 0 < self.played < self.threshold else SHOWN, self.threshold).text()


@dataclass(frozen=True, slots=True)
class ClassReport:
    folder: Path
    name: str
    stories: tuple[StoryReport, ...]
    skipped: tuple[Skipped, ...]
    started: str | None = None  # the earliest and latest minute in the summaries
    finished: str | None = None
    threshold: int = DEFAULT_THRESHOLD

    @property
    def fewer(self) -> str:
        return fewer(self.threshold)


# --- reading the folder -----------------------------------------------------------------------


def read_folder(folder: Path):
    """Every summary in `folder`; anything else is skipped with a reason, never fatal (summaries.py)."""
    return read_summaries(folder)


# --- building the report ----------------------------------------------------------------------


def build_report(folder: str | Path, find_story=None, *, threshold: int = DEFAULT_THRESHOLD) -> ClassReport:
    """The report for a class folder. `find_story(story_id)` returns the Story or None; without it,
    stories are looked up in the default story folders."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"there is no class folder at {folder}")
    contents = read_folder(folder)
    return report_from(folder.resolve().name, contents.summaries, find_story, folder=folder,
                       skipped=contents.skipped, threshold=threshold)


def report_from(name: str, summaries: list[dict], find_story=None, *, folder: Path | None = None,
                skipped: list[Skipped] | tuple[Skipped, ...] = (), threshold: int = DEFAULT_THRESHOLD
                ) -> ClassReport:
    """The report for summaries already read and checked (a class folder's, or a server's)."""
    find_story = find_story or default_story_finder()
    by_story: dict[str, list[dict]] = defaultdict(list)
    for data in summaries:
        by_story[data["story_id"]].append(data)
    if threshold < 2:
        raise ValueError("the threshold must be at least 2")
    stories = tuple(_story_report(story_id, by_story[story_id], find_story(story_id), threshold)
                    for story_id in sorted(by_story))
    minutes = sorted(m for d in summaries for m in (d.get("started"), d.get("finished"))
                     if isinstance(m, str))
    return ClassReport(folder or Path(name), name, stories, tuple(skipped),
                       minutes[0] if minutes else None, minutes[-1] if minutes else None, threshold)


def default_story_finder(story_dirs: list[str] | None = None):
    """Look stories up by id in the story folders; a missing or broken story gives None."""
    from game.story import StoryLoadError, StoryNotFound, default_story_dirs, find_story, load_story

    dirs = default_story_dirs(story_dirs)

    def find(story_id: str) -> Story | None:
        try:
            return load_story(find_story(story_id, dirs))
        except (StoryNotFound, StoryLoadError, OSError):
            return None

    return find


def _played(data: dict) -> bool:
    return not data.get("opted_out") and bool(data["choices"] or data.get("ending"))


def _story_report(story_id: str, summaries: list[dict], story: Story | None, threshold: int) -> StoryReport:
    played = [d for d in summaries if _played(d)]
    count = len(played)
    notes = _version_notes(story_id, summaries, story, threshold)
    sat_out = sum(1 for d in summaries if d.get("opted_out"))
    title = story.title if story else story_id
    endings, finished = _endings(played, story, threshold)
    return StoryReport(
        story_id=story_id, title=title, found=story is not None, summaries=len(summaries), played=count,
        sat_out=Count(sat_out, None, SMALL if 0 < sat_out < threshold else SHOWN, threshold), finished=finished,
        endings=endings, decisions=_decisions(played, story, threshold), meters=_meters(played, story, threshold),
        tags=_tags(played, threshold), total_choices=sum(1 for d in played for c in d["choices"] if not c.get("skip")),
        reflections=_reflections(summaries, story), notes=tuple(notes),
        questions=tuple(" ".join(q.split()) for q in story.debrief) if story else (), threshold=threshold,
    )


def _version_notes(story_id: str, summaries: list[dict], story: Story | None, threshold: int) -> list[str]:
    notes = []
    hashes = Counter(d["story_hash"] for d in summaries)
    if story is None:
        notes.append(f"The story file for '{story_id}' wasn't found here, so choices are shown by their ids, "
                     "in the order students met them.")
    elif story.content_hash not in hashes or len(hashes) > 1:
        other = sum(n for h, n in hashes.items() if h != story.content_hash)
        some = "Some summaries were" if other < threshold else f"{other} summaries were"
        notes.append(f"{some} made with a different version of this story than the one here; "
                     "anything no longer in the story is marked.")
    if len(hashes) > 1:
        notes.append(f"These summaries come from {len(hashes)} versions of the story.")
    return notes


def _endings(played: list[dict], story: Story | None, threshold: int) -> tuple[tuple[Bucket, ...], Count]:
    """The endings, with "didn't reach an ending" as one more count of the same split (so that
    "reached an ending" is shown only when the count it leaves over is), and that total."""
    total = len(played)
    tally: Counter[str] = Counter()
    tones: dict[str, str] = {}
    for data in played:
        ending = data.get("ending")
        if ending:
            tally[ending["title"]] += 1
            tones.setdefault(ending["title"], str(ending.get("tone", "")))
    order: list[str] = []
    if story is not None:
        for scene in story.endings:
            order.append(scene.ending.title)
            tones[scene.ending.title] = scene.ending.tone
    known = set(order)
    order += [t for t in sorted(tally) if t not in known and t != STEPPED_AWAY_TITLE]
    if tally[STEPPED_AWAY_TITLE]:
        order.append(STEPPED_AWAY_TITLE)
    titles = list(dict.fromkeys(order))
    unfinished = sum(1 for d in played if not d.get("ending"))
    shown, _ = counts([tally[t] for t in titles] + [unfinished], threshold, of=total)
    buckets = [Bucket(title, shown[i], tones.get(title, ""),
                      "" if story is None or title in known or title == STEPPED_AWAY_TITLE
                      else "not in this version of the story")
               for i, title in enumerate(titles)]
    if unfinished:
        buckets.append(Bucket("Didn't reach an ending", shown[-1]))
    finished = total - unfinished
    status = SHOWN if not shown[-1].hidden else (SMALL if 0 < finished < threshold else GUARD)
    return tuple(buckets), Count(finished, total, status, threshold)


def _words(parts: tuple[TextPart, ...]) -> str:
    """A text as a report can show it with no player's state: the first part that needs no
    condition (else the first), its literal words outside inline forms, on one line."""
    chosen = next((p for p in parts if p.condition is None), parts[0] if parts else None)
    if chosen is None:
        return ""
    tree = getattr(chosen, "tree", None)
    text = chosen.text if tree is None else "".join(node for node in tree if isinstance(node, str))
    return " ".join((text or chosen.text).split())


def _excerpt(story: Story | None, scene_id: str, width: int = 90) -> str:
    if story is None or scene_id not in story.scenes:
        return ""
    text = _words(story.scenes[scene_id].text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def place_title(story: Story | None, scene_id: str) -> str:
    """The name a person knows a place by (game.story.names), never a raw id while the story is at
    hand; without the story file only the id is known."""
    return place_name_of(story, scene_id) if story is not None else scene_id


def _decisions(played: list[dict], story: Story | None, threshold: int) -> tuple[Decision, ...]:
    reached: dict[str, set[int]] = defaultdict(set)
    chose: dict[str, set[int]] = defaultdict(set)
    couldnt: dict[tuple[str, str], set[int]] = defaultdict(set)
    skipped: dict[str, set[int]] = defaultdict(set)
    stopped: dict[str, set[int]] = defaultdict(set)
    visits: dict[str, int] = Counter()
    returned: set[str] = set()
    first_seen: dict[str, tuple[int, int]] = {}  # scene -> (earliest step position, order met)
    choice_scene: dict[str, str] = {}
    seen_choices: dict[str, list[str]] = defaultdict(list)
    for student, data in enumerate(played):
        per_scene: Counter[str] = Counter()
        for position, step in enumerate(data["choices"]):
            scene = step["scene"]
            per_scene[scene] += 1
            reached[scene].add(student)
            old = first_seen.get(scene)
            first_seen[scene] = (min(position, old[0]) if old else position, old[1] if old else len(first_seen))
            if step.get("skip"):
                skipped[scene].add(student)
            else:
                chose[step["choice"]].add(student)
                choice_scene.setdefault(step["choice"], scene)
                if step["choice"] not in seen_choices[scene]:
                    seen_choices[scene].append(step["choice"])
        for lock in data.get("locked", []):
            couldnt[(lock["scene"], lock["choice"])].add(student)
            if lock["choice"] not in seen_choices[lock["scene"]]:
                seen_choices[lock["scene"]].append(lock["choice"])
        stop = data.get("stopped_at")
        if stop:
            stopped[stop].add(student)
            reached[stop].add(student)
            first_seen.setdefault(stop, (len(data["choices"]), len(first_seen)))
        returned.update(scene for scene, n in per_scene.items() if n > 1)
        visits.update(per_scene)

    scene_order: list[str] = []
    if story is not None:
        scene_order = [s.id for s in story.scenes.values() if s.choices]
    scene_order += sorted((s for s in first_seen if s not in scene_order), key=lambda s: first_seen[s])

    decisions = []
    played_count = len(played)
    for scene_id in scene_order:
        if not reached.get(scene_id):
            continue
        total = len(reached[scene_id])
        scene = story.scenes.get(scene_id) if story is not None else None
        ids = [c.id for c in scene.choices] if scene is not None else []
        ids += [c for c in seen_choices[scene_id] if c not in ids]
        values = [len(chose[c] & reached[scene_id]) for c in ids]
        values += [len(skipped[scene_id]), len(stopped[scene_id]), played_count - total]
        cells, safe = counts(values, threshold, of=total)
        reached_shown = not cells[-1].hidden
        if not reached_shown:  # the total stays hidden, so no count is a share of it
            cells = [Count(c.value, None, c.hidden, threshold) for c in cells]
        rows = []
        for index, choice_id in enumerate(ids):
            choice = story.choice(choice_id) if story is not None else None
            known = choice is not None and choice.scene == scene_id
            lock = len(couldnt[(scene_id, choice_id)])
            lock_cells, lock_safe = counts([lock, total - lock], threshold, of=total if reached_shown else None,
                                           total_shown=reached_shown)
            wanted = lock_cells[0] if lock_safe else Count(lock, None, GUARD if lock >= threshold else SMALL,
                                                           threshold)
            rows.append(ChoiceRow(choice_id, _words(choice.texts) if known else choice_id, choice.tags if known else (),
                                  cells[index], wanted, known or story is None))
        decisions.append(Decision(scene_id, place_title(story, scene_id), _excerpt(story, scene_id), total,
                                  tuple(rows), cells[-3], cells[-2], scene_id in returned,
                                  scene is not None or story is None, reached_shown,
                                  total < threshold or not safe, threshold))
    return tuple(decisions)


def _meters(played: list[dict], story: Story | None, threshold: int) -> tuple[MeterPath, ...]:
    """Each meter's average over the story, from start to end: every student's path is spread over
    the same points (their first value at the start, their last at the end), so every student counts
    at every point, however many steps they took."""
    names: list[str] = list(story.meters) if story is not None else []
    for data in played:
        names += [n for n in data.get("meters", {}) if n not in names]
    paths = []
    for name in names:
        series = [data["meters"][name] for data in played if data.get("meters", {}).get(name)]
        if not series:
            continue
        points = max(2, min(MAX_POINTS, max(len(s) for s in series)))
        averages = []
        for index in range(points):
            fraction = index / (points - 1)
            values = [s[round(fraction * (len(s) - 1))] for s in series]
            averages.append(sum(values) / len(values) if len(values) >= threshold else None)
        meter = story.meters.get(name) if story is not None else None
        every = [v for s in series for v in s]
        paths.append(MeterPath(name, (meter.label or name) if meter else name,
                               meter.min if meter else min(0, min(every)), meter.max if meter else max(every),
                               meter.hidden if meter else False, tuple(averages), len(series)))
    return tuple(paths)


def _tags(played: list[dict], threshold: int) -> tuple[TagCount, ...]:
    times: Counter[str] = Counter()
    who: dict[str, set[int]] = defaultdict(set)
    total = 0
    for student, data in enumerate(played):
        for step in data["choices"]:
            if step.get("skip"):
                continue
            total += 1
            for tag in step.get("tags", []):
                times[tag] += 1
                who[tag].add(student)
    return tuple(TagCount(tag, n, len(who[tag]), 100.0 * n / total if total else 0.0, threshold)
                 for tag, n in sorted(times.items(), key=lambda item: (-item[1], item[0])))


def _reflections(summaries: list[dict], story: Story | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Shared answers per question, sorted so that the order says nothing about who wrote them."""
    shared = [d["reflection"] for d in summaries if d.get("reflection")]
    if not shared:
        return ()
    questions = list(story.debrief) if story is not None else []
    width = max(len(r) for r in shared)
    questions += [f"Question {i + 1}" for i in range(len(questions), width)]
    result = []
    for index, question in enumerate(questions):
        answers = sorted([r[index].strip() for r in shared if index < len(r) and r[index].strip()],
                         key=str.casefold)
        if answers:
            result.append((question, tuple(answers)))
    return tuple(result)
