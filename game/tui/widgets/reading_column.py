"""The play screen's reading column: the scene's text, then (at once) what follows it.

A vertical layout, except where the column is too short for all of it: then the scene's text
(its SceneScroll) gives up the rows that are missing, down to a few, and scrolls; whatever follows
it (the cue line, the feedback, the choices) moves up and stays in view. On a very small screen
the choices' list (which scrolls too, and keeps the focused choice in view) gives way after it. So short text has its
choices right below it, and long text scrolls above choices that never leave the screen, in one
layout pass (TCSS has no "as tall as the content, but no taller than the room left").
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.geometry import Size
from textual.layout import ArrangeResult, Layout
from textual.layouts.vertical import VerticalLayout
from textual.widget import Widget

from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.scene_scroll import SceneScroll

MIN_TEXT_ROWS = 3  # the text keeps at least this many rows, however tall what follows it


class ReadingLayout(VerticalLayout):
    name = "reading"

    def arrange(self, parent: Widget, children: list[Widget], size: Size, greedy: bool = True) -> ArrangeResult:
        placements = super().arrange(parent, children, size, greedy)
        flow = [p for p in placements if not p.overlay and not p.absolute]
        if not flow:
            return placements
        over = max(p.region.bottom + p.margin.bottom for p in flow) - size.height
        # The text gives way first, down to a few rows; on a very small screen the choices (a
        # scrolling list that keeps the focused one in view) give way after it, down to one row.
        for gives_way, keeps in ((SceneScroll, MIN_TEXT_ROWS), (ChoiceList, 1)):
            index = next((i for i, p in enumerate(placements) if isinstance(p.widget, gives_way)), None)
            if over <= 0 or index is None:
                continue
            cut = min(over, placements[index].region.height - keeps)
            if cut > 0:
                placements = _shrink(placements, index, cut)
                over -= cut
        return placements


def _shrink(placements: list, index: int, cut: int) -> list:
    """`placements[index]` loses `cut` rows; whatever stands below it moves up by as many."""
    below = placements[index].region.bottom
    moved = []
    for i, p in enumerate(placements):
        if i == index:
            p = p._replace(region=p.region._replace(height=p.region.height - cut))
        elif not p.overlay and not p.absolute and p.region.y >= below:
            p = p._replace(region=p.region._replace(y=p.region.y - cut))
        moved.append(p)
    return moved


class ReadingColumn(Vertical):
    """A Vertical whose SceneScroll gives way when the column is too short (see ReadingLayout)."""

    _reading_layout = ReadingLayout()

    @property
    def layout(self) -> Layout:
        return self._reading_layout
