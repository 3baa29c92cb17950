"""Work-arounds for Textual bugs, each one small, each naming the Textual version it was seen in.

Installed once by `install()` (game.tui.app and game.classroom.view call it at import). Remove a
fix when the pinned Textual no longer has the bug: its test (tests/test_tui_hardening.py) will
keep passing without it.
"""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets import OptionList

from game.safe_text import UNSAFE

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    _fix_option_list_page_keys()
    _guard_strip_text()


def _fix_option_list_page_keys() -> None:
    """Textual 8.2.8: `OptionList._move_page` reads `_index_to_line[highlighted]` before the list
    has been laid out, so PageDown or PageUp pressed while the command palette is still opening
    (Ctrl+P then PageDown at once) raises `KeyError: 0` and closes the app. Textual's own
    `scroll_to_highlight` already guards the same lookup with `except KeyError`. Until upstream
    fixes `_move_page` (reported against textual 8.2.8, widgets/_option_list.py), a page key
    before the first layout moves to the first or last option instead."""
    original = OptionList._move_page

    def _move_page(self: OptionList, direction) -> None:
        if self.option_count and (self.highlighted or 0) not in self._index_to_line:
            if direction > 0:
                self.action_last()
            else:
                self.action_first()
            return
        original(self, direction)

    OptionList._move_page = _move_page  # type: ignore[method-assign]


def _guard_strip_text() -> None:
    """The TUI's final output guard. Every character a Textual app (the game, class mode, the
    report view, in a terminal or a browser) puts on screen passes `Strip.render_style`, which
    wraps it in Textual's own style codes. The text itself must never hold a control character
    (game/safe_text.py): where one slipped past the cleaning at the door, it is removed here.
    Only the control characters themselves go (they take no cells), so the layout is unchanged."""
    original = Strip.render_style.__func__  # a classmethod

    def render_style(cls, style, text: str, color_system) -> str:
        if UNSAFE.search(text) is not None:
            text = UNSAFE.sub("", text)  # these take no cells, so the screen's layout is unchanged
        return original(cls, style, text, color_system)

    Strip.render_style = classmethod(render_style)  # type: ignore[method-assign]
