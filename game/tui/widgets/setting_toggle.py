"""A checkbox that shows its state as a mark, not only as a colour (X when on, blank when off)."""

from __future__ import annotations

from textual.widgets import Checkbox


class SettingToggle(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 (the name Textual's ToggleButton reads)
        return "X" if self.value else " "
