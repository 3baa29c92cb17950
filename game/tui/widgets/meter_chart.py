"""Each visible meter's path across a playthrough, as a small chart for the ending screen."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from game.export import sparkline
from game.story import Meter


class MeterChart(Static):
    """One row per meter: label, a sparkline of every step, and where it started and ended."""

    DEFAULT_CSS = """
    MeterChart {
        height: auto;
        width: 100%;
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

    def on_mount(self) -> None:
        self.update(self.chart())

    def chart(self) -> Content:
        line_style = self.get_visual_style("meter-chart--line", partial=True)
        width = max((len(m.label) for m in self.meters), default=0)
        rows = []
        for meter in self.meters:
            values = self.history.get(meter.name) or [meter.start]
            spark = sparkline(values, meter.min, meter.max)
            rows.append(Content.assemble(
                (meter.label.ljust(width), "bold"), "  ", (spark, line_style),
                f"  {values[0]} → {values[-1]} (of {meter.max})",
            ))
        return Content("\n").join(rows) if rows else Content("No meters to show in this story.")
