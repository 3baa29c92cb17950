"""The choices of a scene, chosen with the number keys, the arrows and Enter, or the mouse."""

from __future__ import annotations

from typing import Awaitable

from textual.binding import Binding
from textual.containers import VerticalScroll

from game.tui.widgets.choice_item import ChoiceItem


class ChoiceList(VerticalScroll, can_focus=False):
    """A column of ChoiceItems; up and down move between them (locked ones too, to read why)."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        width: 100%;
        padding: 1 0 0 0;
    }
    ChoiceList.-waiting {
        visibility: hidden;
    }
    ChoiceList > ChoiceItem.-spare {
        display: none;
    }
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(-1)", show=False),
    ]

    def __init__(self, choices: list[tuple[int, str, str | None, bool]] = (), *, id: str | None = None):
        super().__init__(id=id)
        self._initial = list(choices)

    def compose(self):
        return [ChoiceItem(n, text, reason, available=ok) for n, text, reason, ok in self._initial]

    @property
    def items(self) -> list[ChoiceItem]:
        """The rows showing a choice now (spare rows, kept for a scene with more, are not)."""
        return [item for item in self.query_children(ChoiceItem) if not item.has_class("-spare")]

    def set_choices(self, choices: list[tuple[int, str, str | None, bool]]) -> Awaitable | None:
        """Show these choices: (number, text, locked reason, available) for each.

        The rows are reused from scene to scene, their words changed in place; rows left over
        are hidden and kept for a scene with more choices, and new rows are mounted only when a
        scene has more choices than any before it (mounting and composing rows cost more than
        the rest of a move, and took extra frames). Returns what to await for rows being mounted
        (None when there are none), so the caller can change the rest of the screen first and
        have it all drawn in one frame."""
        rows = list(self.query_children(ChoiceItem))
        for item, (n, text, reason, ok) in zip(rows, choices):
            item.set_choice(n, text, reason, available=ok)
            item.remove_class("-spare")
        for item in rows[len(choices):]:
            item.add_class("-spare")
        if len(choices) > len(rows):
            return self.mount_all(ChoiceItem(n, text, reason, available=ok)
                                  for n, text, reason, ok in choices[len(rows):])
        return None

    def focus_first(self) -> None:
        items = self.items
        target = next((i for i in items if i.available), items[0] if items else None)
        if target is not None:
            target.focus(scroll_visible=False)

    def action_move(self, delta: int) -> None:
        items = self.items
        if not items:
            return
        focused = self.screen.focused
        index = items.index(focused) if focused in items else -1
        items[max(0, min(len(items) - 1, index + delta))].focus()

    def action_edge(self, index: int) -> None:
        items = self.items
        if items:
            items[index].focus()
