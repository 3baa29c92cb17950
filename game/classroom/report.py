"""The class report: what a class folder of anonymous summaries says, story by story.

`build_report(folder)` reads every file once, skips (and lists) what is not a summary, and counts
per story: how many played, the endings, each decision point in story order, the meters' average
path and the tags. Renderers (Markdown, HTML, the TUI view) only lay this model out.

Anonymity: every count is of students (sessions), and any count from 1 to 4 is shown as
"fewer than 5" (`Count.suppressed`); averages over fewer than 5 students are not shown at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from game.classroom.summaries import MAX_SUMMARY_BYTES, Skipped  # noqa: F401  (Skipped: part of the model)
from game.classroom.summaries import read_folder as read_summaries
from game.story.model import Story

SMALL = 5  # any split with fewer students than this is shown as "fewer than 5"
FEWER = f"fewer than {SMALL}"
MAX_POINTS = 11  # points on a meter's average path (start, 10%, ..., end)
STEPPED_AWAY_TITLE = "You stepped away"


@dataclass(frozen=True, slots=True)
class Count:
    """How many students, out of how many who could have: shown only when it protects no one."""

    value: int
    of: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.value < SMALL

    @property
    def percent(self) -> float | None:
        """The share in percent, or None when it must not be shown."""
        if self.suppressed or not self.of:
            return None
        return 100.0 * self.value / self.of

    def text(self) -> str:
        if self.value == 0:
            return "none"
        if self.suppressed:
            return FEWER
        return f"{self.value} ({self.percent:.0f}%)"


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

    scene: str
    excerpt: str
    reached: int
    choices: tuple[ChoiceRow, ...]
    skipped: Count
    stopped: Count
    returned: bool  # some students came back to this point (a student may count in several rows)
    known: bool = True

    @property
    def suppressed(self) -> bool:
        return self.reached < SMALL


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

    @property
    def suppressed(self) -> bool:
        return 0 < self.students < SMALL

    def text(self) -> str:
        if self.suppressed:
            return FEWER
        return f"{self.times} ({self.share:.0f}%)"


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

    @property
    def suppressed(self) -> bool:
        """Too few students for any split to be shown."""
        return self.played < SMALL


@dataclass(frozen=True, slots=True)
class ClassReport:
    folder: Path
    name: str
    stories: tuple[StoryReport, ...]
    skipped: tuple[Skipped, ...]
    started: str | None = None  # the earliest and latest minute in the summaries
    finished: str | None = None


# --- reading the folder -----------------------------------------------------------------------


def read_folder(folder: Path):
    """Every summary in `folder`; anything else is skipped with a reason, never fatal (summaries.py)."""
    return read_summaries(folder)


# --- building the report ----------------------------------------------------------------------


def build_report(folder: str | Path, find_story=None) -> ClassReport:
    """The report for a class folder. `find_story(story_id)` returns the Story or None; without it,
    stories are looked up in the default story folders."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"there is no class folder at {folder}")
    find_story = find_story or default_story_finder()
    contents = read_folder(folder)
    by_story: dict[str, list[dict]] = defaultdict(list)
    for data in contents.summaries:
        by_story[data["story_id"]].append(data)
    stories = tuple(_story_report(story_id, by_story[story_id], find_story(story_id))
                    for story_id in sorted(by_story))
    minutes = sorted(m for d in contents.summaries for m in (d.get("started"), d.get("finished"))
                     if isinstance(m, str))
    return ClassReport(folder, folder.resolve().name, stories, tuple(contents.skipped),
                       minutes[0] if minutes else None, minutes[-1] if minutes else None)


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


def _story_report(story_id: str, summaries: list[dict], story: Story | None) -> StoryReport:
    played = [d for d in summaries if _played(d)]
    count = len(played)
    notes = _version_notes(story_id, summaries, story)
    sat_out = sum(1 for d in summaries if d.get("opted_out"))
    finished = sum(1 for d in played if d.get("completed"))
    title = story.title if story else story_id
    tag_counts = _tags(played)
    return StoryReport(
        story_id=story_id, title=title, found=story is not None, summaries=len(summaries), played=count,
        sat_out=Count(sat_out, len(summaries)), finished=Count(finished, count),
        endings=_endings(played, story), decisions=_decisions(played, story), meters=_meters(played, story),
        tags=tag_counts, total_choices=sum(1 for d in played for c in d["choices"] if not c.get("skip")),
        reflections=_reflections(summaries, story), notes=tuple(notes),
    )


def _version_notes(story_id: str, summaries: list[dict], story: Story | None) -> list[str]:
    notes = []
    hashes = Counter(d["story_hash"] for d in summaries)
    if story is None:
        notes.append(f"The story file for '{story_id}' wasn't found here, so choices are shown by their ids, "
                     "in the order students met them.")
    elif story.content_hash not in hashes or len(hashes) > 1:
        other = sum(n for h, n in hashes.items() if h != story.content_hash)
        noun = "summary was" if other == 1 else "summaries were"
        notes.append(f"{other} {noun} made with a different version of this story than the one here; "
                     "anything no longer in the story is marked.")
    if len(hashes) > 1:
        notes.append(f"These summaries come from {len(hashes)} versions of the story.")
    return notes


def _endings(played: list[dict], story: Story | None) -> tuple[Bucket, ...]:
    total = len(played)
    counts: Counter[str] = Counter()
    tones: dict[str, str] = {}
    for data in played:
        ending = data.get("ending")
        if ending:
            counts[ending["title"]] += 1
            tones.setdefault(ending["title"], str(ending.get("tone", "")))
    order: list[str] = []
    if story is not None:
        for scene in story.endings:
            order.append(scene.ending.title)
            tones[scene.ending.title] = scene.ending.tone
    known = set(order)
    order += [t for t in sorted(counts) if t not in known and t != STEPPED_AWAY_TITLE]
    if counts[STEPPED_AWAY_TITLE]:
        order.append(STEPPED_AWAY_TITLE)
    buckets = [Bucket(title, Count(counts[title], total), tones.get(title, ""),
                      "" if story is None or title in known or title == STEPPED_AWAY_TITLE
                      else "not in this version of the story")
               for title in dict.fromkeys(order)]
    unfinished = sum(1 for d in played if not d.get("ending"))
    if unfinished:
        buckets.append(Bucket("Didn't reach an ending", Count(unfinished, total)))
    return tuple(buckets)


def _excerpt(story: Story | None, scene_id: str, width: int = 90) -> str:
    if story is None or scene_id not in story.scenes:
        return ""
    parts = [p.text for p in story.scenes[scene_id].text if p.condition is None] or \
        [p.text for p in story.scenes[scene_id].text]
    text = " ".join(parts[0].split()) if parts else ""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _decisions(played: list[dict], story: Story | None) -> tuple[Decision, ...]:
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
    for scene_id in scene_order:
        if not reached.get(scene_id):
            continue
        total = len(reached[scene_id])
        scene = story.scenes.get(scene_id) if story is not None else None
        ids = [c.id for c in scene.choices] if scene is not None else []
        ids += [c for c in seen_choices[scene_id] if c not in ids]
        rows = []
        for choice_id in ids:
            choice = story.choice(choice_id) if story is not None else None
            known = choice is not None and choice.scene == scene_id
            rows.append(ChoiceRow(choice_id, choice.text if known else choice_id, choice.tags if known else (),
                                  Count(len(chose[choice_id] & reached[scene_id]), total),
                                  Count(len(couldnt[(scene_id, choice_id)]), total), known or story is None))
        decisions.append(Decision(scene_id, _excerpt(story, scene_id), total, tuple(rows),
                                  Count(len(skipped[scene_id]), total), Count(len(stopped[scene_id]), total),
                                  scene_id in returned, scene is not None or story is None))
    return tuple(decisions)


def _meters(played: list[dict], story: Story | None) -> tuple[MeterPath, ...]:
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
            averages.append(sum(values) / len(values) if len(values) >= SMALL else None)
        meter = story.meters.get(name) if story is not None else None
        every = [v for s in series for v in s]
        paths.append(MeterPath(name, (meter.label or name) if meter else name,
                               meter.min if meter else min(0, min(every)), meter.max if meter else max(every),
                               meter.hidden if meter else False, tuple(averages), len(series)))
    return tuple(paths)


def _tags(played: list[dict]) -> tuple[TagCount, ...]:
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
    return tuple(TagCount(tag, n, len(who[tag]), 100.0 * n / total if total else 0.0)
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
