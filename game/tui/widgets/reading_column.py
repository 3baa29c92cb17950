"""The play screen's reading column: the scene's text, then (at once) what follows it.

A vertical layout, except where the column is too short for all of it: then the scene's text
(its SceneScroll) gives up the rows that are missing, down to a few, and scrolls; whatever follows
it (the cue line, the feedback, the choices) moves up and stays in view. So short text has its
choices right below it, and long text scrolls above choices that never leave the screen, in one
layout pass (TCSS has no "as tall as the content, but no taller than the room left").
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.geometry import Size
from textual.layout import ArrangeResult, Layout
from textual.layouts.vertical import VerticalLayout
from textual.widget import Widget

from game.tui.widgets.scene_scroll import SceneScroll

MIN_TEXT_ROWS = 3  # the text keeps at least this many rows, however tall what follows it


class ReadingLayout(VerticalLayout):
    name = "reading"

    def arrange(self, parent: Widget, children: list[Widget], size: Size, greedy: bool = True) -> ArrangeResult:
        placements = super().arrange(parent, children, size, greedy)
        flow = [p for p in placements if not p.overlay and not p.absolute]
        text = next((p for p in flow if isinstance(p.widget, SceneScroll)), None)
        if text is None or not flow:
            return placements
        bottom = max(p.region.bottom + p.margin.bottom for p in flow)
        cut = min(bottom - size.height, text.region.height - MIN_TEXT_ROWS)
        if cut <= 0:
            return placements
        below = text.region.bottom
        return [
            p._replace(region=p.region._replace(height=p.region.height - cut)) if p is text
            else p._replace(region=p.region._replace(y=p.region.y - cut)) if p in flow and p.region.y >= below
            else p
            for p in placements
        ]


class ReadingColumn(Vertical):
    """A Vertical whose SceneScroll gives way when the column is too short (see ReadingLayout)."""

    _reading_layout = ReadingLayout()

    @property
    def layout(self) -> Layout:
        return self._reading_layout
