"""The choices of a scene, chosen with the number keys, the arrows and Enter, or the mouse."""

from __future__ import annotations

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
        return list(self.query_children(ChoiceItem))

    async def set_choices(self, choices: list[tuple[int, str, str | None, bool]]) -> None:
        """Show these choices: (number, text, locked reason, available) for each. The rows on
        screen are reused, their words changed in place; only the difference in number of rows
        is mounted or removed (remounting every row cost more than the rest of a move)."""
        items = self.items
        for item, (n, text, reason, ok) in zip(items, choices):
            item.set_choice(n, text, reason, available=ok)
        if len(items) > len(choices):
            await self.remove_children(items[len(choices):])
        elif len(choices) > len(items):
            await self.mount_all(ChoiceItem(n, text, reason, available=ok)
                                 for n, text, reason, ok in choices[len(items):])

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
