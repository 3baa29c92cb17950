"""Textual's Footer, rebuilt only when the keys it shows actually change.

The stock Footer rebuilds all of its keys on every change of focus or bindings, which on the play
screen happens several times per scene; each rebuild restyles a dozen widgets. Same look, less work.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self._pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached or not self.screen.is_active:  # the screen has gone meanwhile
            return
        keys = tuple((binding.key, binding.description, binding.show, enabled)
                     for _, binding, enabled, _ in self.screen.active_bindings.values())
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
