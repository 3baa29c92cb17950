"""Each visible meter's path across a playthrough, as a small chart for the ending screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from game.export import sparkline
from game.story import Meter


class MeterChart(Vertical):
    """One row per meter: label, a sparkline of every step, and where it started and ended; under
    it, what the meter means (the story's description), indented to the sparkline's column so a
    wrapped line keeps its place."""

    DEFAULT_CSS = """
    MeterChart {
        height: auto;
        width: 100%;
    }
    MeterChart > .meter-chart--row {
        height: auto;
    }
    MeterChart > .meter-chart--about {
        height: auto;
        color: $text-muted;
        text-style: italic;
        margin: 0 0 1 0;
    }
    MeterChart > .meter-chart--about:last-child {
        margin: 0;
    }
    MeterChart > .meter-chart--line {
        color: $accent;
    }
    """
    COMPONENT_CLASSES = {"meter-chart--line"}

    def __init__(self, meters: list[Meter], history: dict[str, list[int]], *, id: str | None = None):
        super().__init__(id=id)
        self.meters = meters
        self.history = history

    @property
    def label_width(self) -> int:
        return max((len(m.label) for m in self.meters), default=0)

    def compose(self) -> ComposeResult:
        if not self.meters:
            yield Static(Content("No meters to show in this story."), classes="meter-chart--row")
        for meter in self.meters:
            yield Static(classes="meter-chart--row", name=meter.name)
            if meter.description:
                about = Static(Content(" ".join(meter.description.split())), classes="meter-chart--about")
                about.styles.padding = (0, 0, 0, self.label_width + 2)
                yield about

    def on_mount(self) -> None:
        line_style = self.get_visual_style("meter-chart--line", partial=True)
        rows = self.query(".meter-chart--row").results(Static)
        for meter, row in zip(self.meters, rows):
            row.update(self.row(meter, line_style))

    def row(self, meter: Meter, line_style=None) -> Content:
        values = self.history.get(meter.name) or [meter.start]
        spark = sparkline(values, meter.min, meter.max)
        return Content.assemble(
            (meter.label.ljust(self.label_width), "bold"), "  ", (spark, line_style or ""),
            f"  {values[0]} → {values[-1]} (of {meter.max})",
        )
