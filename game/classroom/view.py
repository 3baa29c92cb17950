"""The class report in the terminal: one scrolling page of bar charts, story by story.

`report_renderables(report)` turns the report model into Rich renderables (testable without a
screen); `ReportApp` shows them. All story and student text goes through `Text` objects, never
markup, so it cannot inject styles.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from game.classroom.markdown import hidden_line, promise, spark, when
from game.classroom.report import ClassReport, Count, Decision, StoryReport
from game.tui import textual_fixes

textual_fixes.install()  # the final output guard for the report view too

BAR = 24


@dataclass(frozen=True, slots=True)
class Palette:
    """Bar colours, matching the game's calm theme (and its high-contrast one on a projector)."""

    chose: str = "bold #8DB3C7"
    couldnt: str = "bold #E0A36E"
    tag: str = "bold #9CC5A1"
    track: str = "#4A5366"


NORMAL = Palette()
PROJECTOR = Palette(chose="bold #FFFFFF", couldnt="bold #FFE14D", tag="bold #7CFF7C", track="#666666")



def bar(count: Count, style: str, width: int = BAR, track: str = NORMAL.track) -> Text:
    percent = count.percent
    if percent is None or count.value == 0:
        return Text("")
    filled = max(1, round(percent / 100 * width))
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style=track)


def split_table(*headers: str) -> Table:
    table = Table(box=None, pad_edge=False, expand=False, show_edge=False, padding=(0, 2, 0, 0),
                  header_style="bold")
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def heading(text: str, style: str = "bold") -> Text:
    return Text(text, style=style)


def report_renderables(report: ClassReport, *, bar_width: int = BAR, palette: Palette = NORMAL
                       ) -> list[RenderableType]:
    span = when(report).removeprefix(", ")
    parts: list[RenderableType] = [
        Text(f"Class report: {report.name}", style="bold reverse"),
        Text((f"Summaries from {span}. " if span else "") + promise(report)),
    ]
    if not report.stories:
        parts.append(Text("\nNo summaries yet. They appear here as students finish or stop playing."))
    for story in report.stories:
        parts += story_renderables(story, bar_width, palette)
    if report.skipped:
        parts.append(heading("\nFiles skipped (not summaries)", "bold underline"))
        for skipped in report.skipped:
            parts.append(Text.assemble("  ", (skipped.name, "bold"), f": {skipped.reason}"))
    return parts


def story_renderables(story: StoryReport, width: int, palette: Palette = NORMAL) -> list[RenderableType]:
    parts: list[RenderableType] = [Text(""), Text.assemble((story.title, "bold reverse"), f"  ({story.story_id})")]
    parts += [Text(f"! {note}", style="italic") for note in story.notes]
    parts.append(Text.assemble("Played: ", (story.played_text(), "bold"),
                               "   Sat it out: ", (story.sat_out.text(), "bold"),
                               "   Reached an ending: ", (story.finished.text(), "bold")))
    if story.suppressed:
        parts.append(Text(f"With fewer than {story.threshold} students playing, nothing more is shown, so that no "
                          "one can be singled out."))
        return parts + questions_renderables(story)

    parts.append(heading("\nEndings", "bold underline"))
    table = split_table("Ending", "Tone", "Students", "")
    for bucket in story.endings:
        label = Text(bucket.label) + (Text(f" ({bucket.note})", style="italic") if bucket.note else Text(""))
        table.add_row(label, Text(bucket.detail), Text(bucket.count.text()),
                      bar(bucket.count, palette.chose, width, palette.track))
    parts.append(table)

    if story.decisions:
        parts.append(heading("\nDecisions, in story order", "bold underline"))
        for number, decision in enumerate(story.decisions, 1):
            parts.append(decision_renderable(number, decision, width, palette, story.played))

    shown = [m for m in story.meters if m.shown]
    if shown:
        parts.append(heading("\nMeters, on average from start to end", "bold underline"))
        table = split_table("Meter", "Start", "Path", "End")
        for meter in shown:
            label = Text(meter.label) + (Text(" (hidden from players)", style="italic") if meter.hidden else Text(""))
            table.add_row(label, f"{meter.start:.1f}", Text(spark(meter.averages, meter.low, meter.high),
                                                             style=palette.tag), f"{meter.end:.1f}")
        parts.append(table)

    if story.tags:
        parts.append(heading("\nTags over all choices", "bold underline"))
        table = split_table("Tag", "Share of choices", "")
        for tag in story.tags:
            share = Text("") if tag.suppressed else bar(Count(tag.rounded, 100), palette.tag, width, palette.track)
            table.add_row(Text(tag.tag), Text(tag.text()), share)
        parts.append(table)

    parts += questions_renderables(story)

    if story.reflections:
        parts.append(heading("\nReflections students chose to share", "bold underline"))
        for question, answers in story.reflections:
            parts.append(Text(question, style="bold"))
            parts += [Text(f"  “{answer}”") for answer in answers]
    return parts


def questions_renderables(story: StoryReport) -> list[RenderableType]:
    if not story.questions:
        return []
    return [heading("\nQuestions for the debrief", "bold underline")] + [
        Text(f"{n}. {q}") for n, q in enumerate(story.questions, 1)]


def decision_renderable(number: int, decision: Decision, width: int, palette: Palette = NORMAL,
                        played: int = 0) -> RenderableType:
    lines: list[RenderableType] = [Text(f"\n{number}. {decision.title}", style="bold")]
    if decision.shows_excerpt:
        lines.append(Text(decision.excerpt, style="italic"))
    if not decision.known:
        lines.append(Text("This point is not in this version of the story.", style="italic"))
    if decision.suppressed:
        lines.append(Text(hidden_line(decision)))
        return Group(*lines)
    again = " Some came back to it, so a student may count in more than one row." if decision.returned else ""
    lines.append(Text(f"{decision.reached_text(played)}{again}"))
    table = split_table("Choice", "Chose", "", "Wanted but couldn't", "")
    table.columns[0].max_width = 44
    half = max(8, width // 2)
    for row in decision.choices:
        text = Text(row.text)
        if row.tags:
            text.append(f"  [{', '.join(row.tags)}]", style="dim")
        if not row.known:
            text.append("  (not in this version)", style="italic")
        table.add_row(text, Text(row.chose.text()), bar(row.chose, palette.chose, width, palette.track),
                      Text(row.couldnt.text()), bar(row.couldnt, palette.couldnt, half, palette.track))
    for label, count in (("Skipped this scene", decision.skipped), ("Stopped here", decision.stopped)):
        if count.value:
            table.add_row(Text(label, style="italic"), Text(count.text()),
                          bar(count, palette.chose, width, palette.track), "", "")
    lines.append(table)
    return Group(*lines)


class ReportApp(App):
    """A read-only, scrolling view of the class report."""

    TITLE = "Understood: class report"
    CSS = """
    VerticalScroll { padding: 1 2; }
    App.projector VerticalScroll { padding: 1 4; }
    App.projector Static { text-style: bold; }
    """
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("escape", "quit", "Quit", show=False),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
        Binding("space,pagedown", "page(1)", "Page down"),
        Binding("b,pageup", "page(-1)", "Page up"),
    ]

    def __init__(self, report: ClassReport, *, projector: bool = False):
        super().__init__()
        self.report = report
        self.projector = projector

    def on_mount(self) -> None:
        from game.tui.app import CALM_THEME, CONTRAST_THEME  # the game's own look

        theme = CONTRAST_THEME if self.projector else CALM_THEME
        self.register_theme(theme)
        self.theme = theme.name
        self.set_class(self.projector, "projector")

    def compose(self) -> ComposeResult:
        width = 36 if self.projector else BAR
        with VerticalScroll(id="report"):
            palette = PROJECTOR if self.projector else NORMAL
            for part in report_renderables(self.report, bar_width=width, palette=palette):
                yield Static(part)
        yield Footer()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#report", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        scroller = self.query_one("#report", VerticalScroll)
        scroller.scroll_relative(y=pages * max(1, scroller.size.height - 2), animate=False)


def run_report_view(report: ClassReport, *, projector: bool = False) -> int:
    ReportApp(report, projector=projector).run()
    return 0
