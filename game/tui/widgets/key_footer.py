"""Textual's Footer, composed with its screen and rebuilt only when the keys it shows change.

The stock Footer starts empty and fills in its keys after the first frame, then rebuilds all of
them on every change of focus or bindings, which on the play screen happens several times per
scene; each rebuild restyles a dozen widgets (~13 ms). This one has its keys in the first frame,
and compares what it would show (bindings with `show`, and the command palette key) before
rebuilding: focus moving between choices changes only hidden bindings. Same look, less work.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

try:  # private module: Footer's key widget is not exported by textual.widgets; guarded below
    from textual.widgets._footer import FooterKey
except ImportError:  # a Textual that moved it: the keys then start as its Footer starts them
    FooterKey = None


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self._pending = False
        self._bindings_ready = True  # the screen's bindings are known when it composes us

    def compose(self):
        self._shown = self._keys()
        for widget in super().compose():
            if FooterKey is not None and isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # A key starts compact and is then bound to our `compact`: each switch restyles it.
                # Start it at our value (the palette key is not bound, and keeps its own).
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def _keys(self) -> tuple:
        """What the footer shows, as Footer.compose reads it."""
        bindings = self.screen.active_bindings
        shown = tuple((binding.key, binding.key_display, binding.description, binding.action, binding.group,
                       enabled, tooltip)
                      for _, binding, enabled, tooltip in bindings.values() if binding.show)
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return shown, self.show_command_palette, palette and (palette[1].key, palette[2], palette[3])

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
        if self._keys() != self._shown:
            await self.recompose()
