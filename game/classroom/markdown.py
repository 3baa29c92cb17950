"""The class report as Markdown: tables with text bars, for notes, wikis and printing."""

from __future__ import annotations

import re

from game.classroom.report import ClassReport, Count, Decision, StoryReport

BAR_WIDTH = 20
SPARKS = "▁▂▃▄▅▆▇█"
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Untrusted text (story or student) made inert in Markdown: one line, specials escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def bar(count: Count, width: int = BAR_WIDTH) -> str:
    percent = count.percent
    if percent is None or count.value == 0:
        return ""
    return "█" * max(1, round(percent / 100 * width))


def spark(values: tuple[float | None, ...], low: float, high: float) -> str:
    span = (high - low) or 1
    return "".join(" " if v is None else SPARKS[min(len(SPARKS) - 1, max(0, int((v - low) / span * len(SPARKS))))]
                   for v in values)


def when(report: ClassReport) -> str:
    if not report.started:
        return ""
    start, end = report.started.replace("T", " ").rstrip("Z"), report.finished.replace("T", " ").rstrip("Z")
    return f", {start} to {end} UTC" if start != end else f", {start} UTC"


def promise(report: ClassReport) -> str:
    """The line that says how the report protects students, in every format."""
    return (f"Any count of 1 to {report.threshold - 1} students is shown as \"{report.fewer}\", and counts that "
            "would give one back by subtraction are \"not shown\", so that no one can be singled out.")


def render_markdown(report: ClassReport) -> str:
    lines = [f"# Class report: {md(report.name)}", ""]
    span = when(report).removeprefix(", ")
    lines += [(f"Summaries from {span}. " if span else "") + promise(report), ""]
    if not report.stories:
        lines += ["No summaries yet. They appear here as students finish or stop playing.", ""]
    for story in report.stories:
        lines += story_section(story)
    if report.skipped:
        lines += ["## Files skipped", "", "These files in the class folder are not summaries and were left out:", ""]
        lines += [f"- `{md(s.name)}`: {md(s.reason)}" for s in report.skipped]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def story_section(story: StoryReport) -> list[str]:
    lines = [f"## {md(story.title)} (`{md(story.story_id)}`)", ""]
    lines += [f"> {md(note)}" for note in story.notes]
    if story.notes:
        lines.append("")
    lines += [f"- Played: {story.played_text()}",
              f"- Sat it out: {story.sat_out.text()}",
              f"- Reached an ending: {story.finished.text()}", ""]
    if story.suppressed:
        lines += [f"With fewer than {story.threshold} students playing, nothing more is shown, so that no one can "
                  "be singled out.", ""]
        return lines + questions_section(story)
    lines += ["### Endings", "", "| Ending | Tone | Students | |", "|---|---|---|---|"]
    for bucket in story.endings:
        label = md(bucket.label) + (f" _({md(bucket.note)})_" if bucket.note else "")
        lines.append(f"| {label} | {md(bucket.detail)} | {bucket.count.text()} | {bar(bucket.count)} |")
    lines.append("")
    if story.decisions:
        lines += ["### Decisions, in story order", ""]
        for number, decision in enumerate(story.decisions, 1):
            lines += decision_section(number, decision, story.played)
    shown = [m for m in story.meters if m.shown]
    if shown:
        lines += ["### Meters, on average from start to end", "",
                  "| Meter | Start | Path | End |", "|---|---|---|---|"]
        for meter in shown:
            label = md(meter.label) + (" _(hidden from players)_" if meter.hidden else "")
            lines.append(f"| {label} | {meter.start:.1f} | `{spark(meter.averages, meter.low, meter.high)}` "
                         f"| {meter.end:.1f} |")
        lines.append("")
    if story.tags:
        lines += ["### Tags over all choices", "", "| Tag | Share of choices | |", "|---|---|---|"]
        for tag in story.tags:
            width = 0 if tag.suppressed else max(1, round(tag.rounded / 100 * BAR_WIDTH))
            lines.append(f"| {md(tag.tag)} | {tag.text()} | {'█' * width} |")
        lines.append("")
    lines += questions_section(story)
    if story.reflections:
        lines += ["### Reflections students chose to share", "",
                  "_Shared with no name attached, sorted so their order says nothing about who wrote them._", ""]
        for question, answers in story.reflections:
            lines += [f"**{md(question)}**", ""] + [f"- {md(a)}" for a in answers] + [""]
    return lines


def questions_section(story: StoryReport) -> list[str]:
    if not story.questions:
        return []
    return (["### Questions for the debrief", ""] + [f"{n}. {md(q)}" for n, q in enumerate(story.questions, 1)]
            + [""])


def decision_section(number: int, decision: Decision, played: int) -> list[str]:
    lines = [f"#### {number}. {md(decision.title)}", ""]
    if decision.shows_excerpt:
        lines += [f"_{md(decision.excerpt)}_", ""]
    if not decision.known:
        lines += ["_This point is not in this version of the story._", ""]
    if decision.suppressed:
        return lines + [hidden_line(decision), ""]
    lines += [decision.reached_text(played)
              + (" Some came back to it, so a student may count in more than one row." if decision.returned else ""),
              "", "| Choice | Tags | Chose | | Wanted but couldn't |", "|---|---|---|---|---|"]
    for row in decision.choices:
        text = md(row.text) + ("" if row.known else " _(not in this version of the story)_")
        lines.append(f"| {text} | {md(', '.join(row.tags))} | {row.chose.text()} | {bar(row.chose)} "
                     f"| {row.couldnt.text()} |")
    for label, count in (("Skipped this scene", decision.skipped), ("Stopped here", decision.stopped)):
        if count.value:
            lines.append(f"| _{label}_ | | {count.text()} | {bar(count)} | |")
    return lines + [""]


def hidden_line(decision: Decision) -> str:
    if decision.reached < decision.threshold:
        return f"Fewer than {decision.threshold} students reached this point."
    return "Too few students made some of these choices to show this point without giving someone away."
