"""The class report as one self-contained HTML page: inline CSS and SVG charts, no scripts, no
external assets (it opens offline and prints cleanly). Every piece of story or student text is
escaped with `html.escape`.

Bars are SVG rather than CSS backgrounds because browsers drop backgrounds when printing.
"""

from __future__ import annotations

from html import escape

from game.classroom.markdown import hidden_line, promise, when
from game.classroom.report import ClassReport, Count, Decision, MeterPath, StoryReport

CSS = """
:root { --ink: #111; --soft: #555; --line: #ccc; --bar: #1f5f8b; --bar2: #b5651d; --bg: #fff; --note: #fff7e0; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 18px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; }
h2 { font-size: 1.6rem; margin: 2.5rem 0 .5rem; padding-top: 1rem; border-top: 3px solid var(--ink); }
h3 { font-size: 1.25rem; margin: 1.75rem 0 .5rem; }
h4 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85em; color: var(--soft); }
.meta, .excerpt, .small { color: var(--soft); }
.excerpt { font-style: italic; margin: 0 0 .5rem; }
.note { background: var(--note); border-left: 4px solid var(--bar2); padding: .5rem .75rem; margin: .5rem 0; }
.facts { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: .5rem 0 1rem; padding: 0; }
.facts div { min-width: 8rem; }
.facts dt { color: var(--soft); font-size: .85rem; }
.facts dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
table { width: 100%; border-collapse: collapse; margin: .25rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem .3rem 0; border-bottom: 1px solid var(--line); }
th { font-size: .85rem; color: var(--soft); font-weight: 600; }
td.num { white-space: nowrap; width: 8.5rem; }
td.barcell { width: 28%; }
table.decide td.barcell { width: 13%; }
table.decide td.num { width: 7rem; }
table.decide td:first-child { width: 40%; }
svg.bar { display: block; width: 100%; height: 1rem; margin-top: .2rem; }
svg.bar .track { fill: #eee; }
svg.bar .fill { fill: var(--bar); }
svg.bar .fill2 { fill: var(--bar2); }
.tags { color: var(--soft); font-size: .85rem; }
.unknown { color: var(--bar2); font-size: .85rem; }
figure { margin: .5rem 0 1rem; }
figcaption { color: var(--soft); font-size: .9rem; }
svg.lines { width: 100%; height: auto; max-height: 22rem; }
svg.lines text { font: 13px system-ui, sans-serif; fill: var(--soft); }
svg.lines .grid { stroke: var(--line); stroke-width: 1; }
blockquote { margin: .25rem 0; padding: .25rem .75rem; border-left: 3px solid var(--line); }
.skipped li { margin: .2rem 0; }
@media print {
  body { font-size: 12pt; }
  main { max-width: none; padding: 0; }
  h2 { break-before: page; border-top: none; }
  section.story:first-of-type h2 { break-before: auto; }
  figure, table, .decision { break-inside: avoid; }
}
"""

# On a projector: large type, black on white at full contrast, thick bars, one decision a screen.
PROJECTOR_CSS = """
:root { --ink: #000; --soft: #222; --line: #000; --bar: #003d73; --bar2: #8a3b00; --note: #fff3b0; }
body { font-size: 28px; line-height: 1.35; font-weight: 500; }
main { max-width: 72rem; padding: 1.5rem 2rem 4rem; }
h1 { font-size: 2.4rem; } h2 { font-size: 2rem; border-top-width: 6px; }
h3 { font-size: 1.6rem; } h4 { font-size: 1.4rem; margin-top: 2.5rem; }
.meta, .excerpt, .small, .tags, th, figcaption { color: var(--soft); }
th { font-size: 1rem; }
svg.bar { height: 1.6rem; }
svg.bar .track { fill: #d9d9d9; }
svg.lines text { font-size: 16px; fill: #000; }
table.decide td:first-child { width: 46%; }
.decision { min-height: 90vh; padding-top: 1rem; border-top: 2px solid var(--line); }
@media print { body { font-size: 16pt; } .decision { min-height: 0; } }
"""

LINE_STYLES = [("#1f5f8b", ""), ("#b5651d", "8 4"), ("#2e7d32", "2 4"), ("#6a1b9a", "12 4 2 4"),
               ("#c62828", "4 2"), ("#37474f", "1 3")]


def render_html(report: ClassReport, *, projector: bool = False) -> str:
    """The page; with `projector`, styled to be read from the back of a room."""
    span = when(report).removeprefix(", ")
    style = CSS + (PROJECTOR_CSS if projector else "")
    body_class = ' class="projector"' if projector else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Class report: {escape(report.name)}</title>",
        f"<style>{style}</style></head><body{body_class}><main>",
        f"<header><h1>Class report: {escape(report.name)}</h1>",
        f'<p class="meta">{escape(f"Summaries from {span}. " if span else "")}{escape(promise(report))}</p>'
        "</header>",
    ]
    if not report.stories:
        parts.append("<p>No summaries yet. They appear here as students finish or stop playing.</p>")
    for story in report.stories:
        parts.append(story_section(story))
    if report.skipped:
        parts.append('<section class="skipped"><h2>Files skipped</h2>'
                     "<p>These files in the class folder are not summaries and were left out:</p><ul>")
        parts += [f"<li><code>{escape(s.name)}</code>: {escape(s.reason)}</li>" for s in report.skipped]
        parts.append("</ul></section>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def bar_svg(count: Count, css: str = "fill") -> str:
    percent = count.percent
    if percent is None or count.value == 0:
        return ""
    return (f'<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
            f'aria-label="{percent:.0f}%"><rect class="track" width="100" height="10"/>'
            f'<rect class="{css}" width="{max(percent, 0.8):.1f}" height="10"/></svg>')


def story_section(story: StoryReport) -> str:
    out = [f'<section class="story" id="story-{escape(story.story_id)}">',
           f"<h2>{escape(story.title)} <code>{escape(story.story_id)}</code></h2>"]
    out += [f'<p class="note">{escape(note)}</p>' for note in story.notes]
    out.append('<dl class="facts">'
               f"<div><dt>Played</dt><dd>{escape(story.played_text())}</dd></div>"
               f"<div><dt>Sat it out</dt><dd>{escape(story.sat_out.text())}</dd></div>"
               f"<div><dt>Reached an ending</dt><dd>{escape(story.finished.text())}</dd></div></dl>")
    if story.suppressed:
        out.append(f"<p>With fewer than {story.threshold} students playing, nothing more is shown, so that no one "
                   "can be singled out.</p>")
        out.append(questions_section(story))
        out.append("</section>")
        return "\n".join(out)

    out.append("<h3>Endings</h3><table><thead><tr><th>Ending</th><th>Tone</th><th>Students</th><th></th></tr>"
               "</thead><tbody>")
    for bucket in story.endings:
        note = f' <span class="unknown">({escape(bucket.note)})</span>' if bucket.note else ""
        out.append(f"<tr><td>{escape(bucket.label)}{note}</td><td>{escape(bucket.detail)}</td>"
                   f'<td class="num">{escape(bucket.count.text())}</td>'
                   f'<td class="barcell">{bar_svg(bucket.count)}</td></tr>')
    out.append("</tbody></table>")

    if story.decisions:
        out.append("<h3>Decisions, in story order</h3>")
        out += [decision_section(n, d, story.played) for n, d in enumerate(story.decisions, 1)]

    shown = [m for m in story.meters if m.shown]
    if shown:
        out.append("<h3>Meters, on average from start to end</h3>")
        out.append(meters_figure(shown))

    if story.tags:
        out.append("<h3>Tags over all choices</h3>"
                   "<table><thead><tr><th>Tag</th><th>Share of choices</th><th></th></tr></thead><tbody>")
        for tag in story.tags:
            share = Count(tag.rounded, 100)
            out.append(f"<tr><td>{escape(tag.tag)}</td><td class=\"num\">{escape(tag.text())}</td>"
                       f'<td class="barcell">{"" if tag.suppressed else bar_svg(share, "fill2")}</td></tr>')
        out.append("</tbody></table>")

    out.append(questions_section(story))
    if story.reflections:
        out.append("<h3>Reflections students chose to share</h3>"
                   '<p class="small">Shared with no name attached, sorted so their order says nothing about who '
                   "wrote them.</p>")
        for question, answers in story.reflections:
            out.append(f"<h4>{escape(question)}</h4>")
            out += [f"<blockquote>{escape(answer)}</blockquote>" for answer in answers]
    out.append("</section>")
    return "\n".join(out)


def questions_section(story: StoryReport) -> str:
    if not story.questions:
        return ""
    items = "".join(f"<li>{escape(q)}</li>" for q in story.questions)
    return f'<h3>Questions for the debrief</h3><ol class="questions">{items}</ol>'


def decision_section(number: int, decision: Decision, played: int) -> str:
    out = [f'<div class="decision" id="point-{number}"><h4>{number}. {escape(decision.title)}</h4>']
    if decision.shows_excerpt:
        out.append(f'<p class="excerpt">{escape(decision.excerpt)}</p>')
    if not decision.known:
        out.append('<p class="unknown">This point is not in this version of the story.</p>')
    if decision.suppressed:
        out.append(f"<p>{escape(hidden_line(decision))}</p></div>")
        return "\n".join(out)
    again = " Some came back to it, so a student may count in more than one row." if decision.returned else ""
    out.append(f'<p class="small">{escape(decision.reached_text(played))}{again}</p>')
    out.append('<table class="decide"><thead><tr><th>Choice</th><th>Chose</th><th></th>'
               "<th>Wanted but couldn’t</th><th></th></tr></thead><tbody>")
    for row in decision.choices:
        tags = f'<div class="tags">{escape(", ".join(row.tags))}</div>' if row.tags else ""
        unknown = "" if row.known else '<div class="unknown">not in this version of the story</div>'
        out.append(f"<tr><td>{escape(row.text)}{tags}{unknown}</td>"
                   f'<td class="num">{escape(row.chose.text())}</td><td class="barcell">{bar_svg(row.chose)}</td>'
                   f'<td class="num">{escape(row.couldnt.text())}</td>'
                   f'<td class="barcell">{bar_svg(row.couldnt, "fill2")}</td></tr>')
    for label, count in (("Skipped this scene", decision.skipped), ("Stopped here", decision.stopped)):
        if count.value:
            out.append(f'<tr><td><em>{label}</em></td><td class="num">{escape(count.text())}</td>'
                       f'<td class="barcell">{bar_svg(count)}</td><td></td><td></td></tr>')
    out.append("</tbody></table></div>")
    return "\n".join(out)


def meters_figure(meters: list[MeterPath]) -> str:
    """One line chart per meter, each scaled to its own range; drawn as small multiples."""
    width, height, left, right, top, bottom = 300, 150, 34, 10, 22, 26
    charts = []
    for index, meter in enumerate(meters):
        colour, dash = LINE_STYLES[index % len(LINE_STYLES)]
        span = (meter.high - meter.low) or 1
        steps = len(meter.averages) - 1 or 1

        def x(i: int) -> float:
            return left + (width - left - right) * i / steps

        def y(v: float) -> float:
            return top + (height - top - bottom) * (1 - (v - meter.low) / span)

        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(meter.averages))
        label = meter.label + (" (hidden from players)" if meter.hidden else "")
        described = f"{label}: {meter.start:.1f} at the start, {meter.end:.1f} at the end, out of {meter.high}"
        charts.append(
            f'<svg class="lines" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(described)}">'
            f"<title>{escape(described)}</title>"
            f'<text x="{left}" y="14" style="font-weight:600;fill:#111">{escape(label)}</text>'
            f'<line class="grid" x1="{left}" y1="{y(meter.low):.1f}" x2="{width - right}" y2="{y(meter.low):.1f}"/>'
            f'<line class="grid" x1="{left}" y1="{y(meter.high):.1f}" x2="{width - right}" y2="{y(meter.high):.1f}"/>'
            f'<text x="{left - 6}" y="{y(meter.high) + 4:.1f}" text-anchor="end">{meter.high}</text>'
            f'<text x="{left - 6}" y="{y(meter.low) + 4:.1f}" text-anchor="end">{meter.low}</text>'
            f'<text x="{left}" y="{height - 6}">start</text>'
            f'<text x="{width - right}" y="{height - 6}" text-anchor="end">end</text>'
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3" '
            f'stroke-dasharray="{dash}" stroke-linejoin="round"/>'
            f'<text x="{x(0) + 2:.1f}" y="{y(meter.start) - 6:.1f}">{meter.start:.1f}</text>'
            f'<text x="{x(steps) - 2:.1f}" y="{y(meter.end) - 6:.1f}" text-anchor="end">{meter.end:.1f}</text>'
            "</svg>")
    grid = "".join(f'<div style="flex:1 1 18rem;min-width:16rem">{c}</div>' for c in charts)
    return (f'<figure><div style="display:flex;flex-wrap:wrap;gap:1rem">{grid}</div>'
            "<figcaption>Each student's path is spread from the start of the story to its end, then averaged "
            "across the class.</figcaption></figure>")
