"""The scroll that holds a scene's text and inner voice, and knows whether more is below."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.message import Message


class SceneScroll(VerticalScroll, can_focus=False):
    """As tall as its text (up to the max-height the screen gives it), then it scrolls.

    Posts `MoreBelow` whenever some of the text goes out of sight below, or comes into it:
    on scrolling, when the text grows (typing), and when the room for it changes.

    A stable scrollbar gutter keeps the text's width, so its line breaks, the same whether or not
    the scrollbar shows. Textual 8.2.8 measures an auto height without taking that gutter off the
    width (the text then wraps to more lines than were measured, and its last line or two hide
    below the fold), and adds the horizontal scrollbar's size to it; the text never scrolls
    sideways, so that size is 0, and the height is measured at the width the text is drawn at.
    """

    DEFAULT_CSS = """
    SceneScroll {
        height: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 0;
    }
    """

    class MoreBelow(Message):
        def __init__(self, more: bool):
            super().__init__()
            self.more = more

    def __init__(self, *children, id: str | None = None):
        super().__init__(*children, id=id)
        self.more_below = False

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.styles.scrollbar_gutter == "stable" or self.show_vertical_scrollbar:
            width -= self.styles.scrollbar_size_vertical
        return super().get_content_height(container, viewport, width)

    def on_mount(self) -> None:
        self.watch(self, "virtual_size", self._check, init=False)

    def on_resize(self) -> None:
        self._check()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._check()

    def _check(self) -> None:
        more = self.max_scroll_y > 0 and round(self.scroll_y) < self.max_scroll_y
        if more != self.more_below:
            self.more_below = more
            self.post_message(self.MoreBelow(more))
