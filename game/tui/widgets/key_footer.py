"""Textual's Footer, composed with its screen and rebuilt only when the keys it shows change.

The stock Footer starts empty and fills in its keys after the first frame, then rebuilds all of
them on every change of focus or bindings, which on the play screen happens several times per
scene; each rebuild restyles a dozen widgets (~13 ms). This one has its keys in the first frame,
and compares what it would show (bindings with `show`, and the command palette key) before
rebuilding: focus moving between choices changes only hidden bindings. Same look, less work.

On a narrow terminal it shows the keys that fit, dropping the least needed first (the command
palette key, then the screen's keys from the right), never Help, Support or the way out (Esc).
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Footer

try:  # private module: Footer's key widget is not exported by textual.widgets; guarded below
    from textual.widgets._footer import FooterKey
except ImportError:  # a Textual that moved it: the keys then start as its Footer starts them
    FooterKey = None

KEEP_ACTIONS = {"app.help", "help", "pause", "app.support"}  # never dropped, nor the action Esc does


def key_width(key_display: str, description: str) -> int:
    """Cells a footer key takes: ` k ` and `description `, as FooterKey pads them."""
    return len(key_display) + 2 + (len(description) + 1 if description else 0)


def fit_keys(keys: list[tuple[str, str, str, str]], width: int, palette: tuple[str, str] | None
             ) -> tuple[frozenset[str], bool]:
    """Which keys (key, key_display, description, action) fit in `width` cells, and whether the
    palette key does: drop the palette key first, then keys from the right, never an essential one."""
    kept = list(keys)
    used = sum(key_width(k[1], k[2]) for k in kept)
    palette_cells = len(palette[0]) + 1 + len(palette[1]) + 2 if palette else 0  # compact, with its border
    if used + palette_cells <= width:
        return frozenset(k[3] for k in kept), palette is not None
    for key in reversed(keys):
        if used <= width:
            break
        if key[3] in KEEP_ACTIONS or key[0] == "escape":
            continue
        kept.remove(key)
        used -= key_width(key[1], key[2])
    return frozenset(k[3] for k in kept), False


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self._pending = False
        self._bindings_ready = True  # the screen's bindings are known when it composes us

    def compose(self):
        self._shown = self._keys()
        kept, palette_kept = self._shown[-1]
        for widget in super().compose():
            if FooterKey is not None and isinstance(widget, FooterKey):
                if widget.has_class("-command-palette"):
                    if not palette_kept:
                        continue
                elif widget.action not in kept:
                    continue
                else:
                    # A key starts compact and is then bound to our `compact`: each switch restyles
                    # it. Start it at our value (the palette key is not bound, and keeps its own).
                    widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def _keys(self) -> tuple:
        """What the footer shows, as Footer.compose reads it."""
        bindings = self.screen.active_bindings
        shown = tuple((binding.key, binding.key_display, binding.description, binding.action, binding.group,
                       enabled, tooltip)
                      for _, binding, enabled, tooltip in bindings.values() if binding.show)
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return (shown, self.show_command_palette, palette and (palette[1].key, palette[2], palette[3]),
                self._fit(bindings, palette))

    def _fit(self, bindings, palette) -> tuple[frozenset[str], bool]:
        keys, actions = [], set()
        escape = {binding.action for key, (_, binding, _, _) in bindings.items() if key == "escape"}
        for _, binding, _, _ in bindings.values():
            if binding.show and binding.action not in actions:  # the footer shows one key per action
                actions.add(binding.action)
                key = "escape" if binding.action in escape else binding.key
                keys.append((key, self.app.get_key_display(binding), binding.description, binding.action))
        shows_palette = palette is not None and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
        palette_key = (self.app.get_key_display(palette[1]), palette[1].description) if shows_palette else None
        return fit_keys(keys, self.app.size.width, palette_key)

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None and not self._pending and self._keys() != self._shown:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

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
