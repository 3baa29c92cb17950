"""A labelled bar for one meter; it glides to a new value unless reduced motion is on."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

EIGHTHS = " ▏▎▍▌▋▊▉█"
EMPTY = "░"


def bar(fraction: float, width: int) -> str:
    """A bar `width` cells wide, filled to `fraction` in eighths of a cell."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text + EMPTY * (width - len(text))


def numbers_text(value: int, low: int, high: int) -> str:
    """`5/10`, right-aligned to the widest value the meter can hold, so every bar is one length."""
    widest = max(len(str(low)), len(str(high)))
    return f"{value}/{high}".rjust(widest + 1 + len(str(high)))


class MeterBar(Widget):
    """`Label  +1` over `█████░░░░░ 5/10`; in compact mode, `Label 5/10` on one line."""

    DEFAULT_CSS = """
    MeterBar {
        height: 2;
        width: 100%;
        margin: 0 0 1 0;
    }
    MeterBar.-compact {
        height: 1;
        width: auto;
        margin: 0 2 0 0;
    }
    MeterBar > .meter-bar--fill {
        color: $accent;
    }
    /* A change is shown, not judged: the same neutral colour up and down (green would read as good). */
    MeterBar > .meter-bar--up, MeterBar > .meter-bar--down {
        color: $secondary;
    }
    """
    COMPONENT_CLASSES = {"meter-bar--fill", "meter-bar--up", "meter-bar--down"}

    level: reactive[float] = reactive(0.0)
    compact: reactive[bool] = reactive(False, layout=True)

    def __init__(self, name: str, label: str, low: int, high: int, value: int, description: str = ""):
        super().__init__(name=name)
        self.label = label
        self.description = description
        if description:
            self.tooltip = Content(f"{label}: {description}")
        self.low = low
        self.high = high
        self.value = value
        self.delta = 0
        self.set_reactive(MeterBar.level, float(value))

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")

    def set_value(self, value: int, *, animate: bool) -> None:
        """Move to `value`, remembering the change so the bar can say +N or -N."""
        self.delta = value - self.value
        self.value = value
        if animate:
            self.animate("level", float(value), duration=0.6, easing="out_cubic", level="full")
        else:
            self.level = float(value)
        self.refresh(layout=self.compact)

    def clear_delta(self) -> None:
        if self.delta:
            self.delta = 0
            self.refresh(layout=self.compact)

    def _delta_text(self) -> tuple[str, str]:
        if not self.delta:
            return "", ""
        style = "meter-bar--up" if self.delta > 0 else "meter-bar--down"
        return f"{'▲' if self.delta > 0 else '▼'}{abs(self.delta)}", style

    def render(self) -> Content:
        delta, delta_class = self._delta_text()
        delta_style = self.get_visual_style(delta_class, partial=True) if delta else None
        numbers = numbers_text(round(self.level), self.low, self.high)
        if self.compact:
            parts = [(f"{self.label} ", "bold"), numbers.lstrip()]
            if delta:
                parts += [" ", (delta, delta_style)]
            return Content.assemble(*parts)
        width = self.content_region.width or 20
        bar_width = max(4, width - len(numbers) - 1)
        fraction = (self.level - self.low) / max(1, self.high - self.low)
        label = self.label[: max(1, width - len(delta) - 1)]
        gap = " " * max(1, width - len(label) - len(delta))
        return Content.assemble(
            (label, "bold"), gap, (delta, delta_style) if delta else "", "\n",
            (bar(fraction, bar_width), self.get_visual_style("meter-bar--fill", partial=True)), " ", numbers,
        )
