"""The visible meters: a side panel of bars, or one line on narrow terminals."""

from __future__ import annotations

from textual.containers import Vertical
from textual.reactive import reactive

from game.story import Meter
from game.tui.widgets.meter_bar import MeterBar


class MeterPanel(Vertical):
    """Holds one MeterBar per visible meter (hidden meters never reach it)."""

    DEFAULT_CSS = """
    MeterPanel {
        dock: right;
        width: 26;
        height: 100%;
        padding: 1 2;
        border-left: vkey $panel-lighten-2;
    }
    MeterPanel.-line {
        dock: none;
        width: 100%;
        height: 1;
        padding: 0 1;
        border-left: none;
        layout: horizontal;
        background: $panel;
    }
    MeterPanel.-empty {
        display: none;
    }
    """

    line: reactive[bool] = reactive(False)

    def __init__(self, meters: list[tuple[Meter, int]] = (), *, line: bool = False, id: str | None = None):
        super().__init__(id=id, classes=("-line" if line else "") + ("" if meters else " -empty"))
        self._bars = {m.name: self._bar(m, value, line) for m, value in meters}
        self.set_reactive(MeterPanel.line, line)

    @staticmethod
    def _bar(meter: Meter, value: int, compact: bool) -> MeterBar:
        bar = MeterBar(meter.name, meter.label or meter.name.capitalize(), meter.min, meter.max, value,
                       meter.description)
        bar.set_reactive(MeterBar.compact, compact)
        bar.set_class(compact, "-compact")
        return bar

    def compose(self):
        return list(self._bars.values())

    def watch_line(self, line: bool) -> None:
        self.set_class(line, "-line")
        for meter_bar in self._bars.values():
            meter_bar.compact = line

    def show(self, meters: list[tuple[Meter, int]], *, animate: bool = False) -> None:
        """Show these meters at these values; bars that exist glide, new ones appear."""
        names = [m.name for m, _ in meters]
        if names != list(self._bars):
            self.remove_children()
            self._bars = {m.name: self._bar(m, value, self.line) for m, value in meters}
            self.mount_all(self._bars.values())
        else:
            for meter, value in meters:
                meter_bar = self._bars[meter.name]
                if meter_bar.value != value:
                    meter_bar.set_value(value, animate=animate)
                else:
                    meter_bar.clear_delta()
        self.set_class(not meters, "-empty")

    def values(self) -> dict[str, int]:
        return {name: meter_bar.value for name, meter_bar in self._bars.items()}
