"""A story that cannot be played: its problems, compiler-style, instead of a traceback."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from game.story import Story, StoryError
from game.tui.text import plural
from game.tui.watch import FileWatch
from game.tui.widgets.key_footer import KeyFooter
from game.tui.widgets.story_problems import StoryProblems


class StoryErrorsScreen(Screen):
    """Lists every error as `path:line:col: error: message`. With `watch`, reopens once fixed."""

    BINDINGS = [
        Binding("t,escape", "title", "Title", key_display="t"),
        Binding("q", "app.quit", "Quit"),
    ]

    class Fixed(Message):
        """The watched file now loads cleanly."""

        def __init__(self, story: Story):
            super().__init__()
            self.story = story

    class LeaveToTitle(Message):
        pass

    def __init__(self, path: Path | str, errors: list[StoryError] | tuple[StoryError, ...], *,
                 watch: bool = False, watch_interval: float = 0.5):
        super().__init__()
        self.path = Path(path)
        self.errors = list(errors)
        self.watch = watch
        self.watch_interval = watch_interval

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="errors-scroll"):
            with Vertical(id="errors"):
                yield Static("This story can't be played yet", classes="screen-title")
                yield Static(self._summary(), classes="muted", id="errors-summary")
                yield StoryProblems(id="errors-list")
                yield Static(Content.assemble(
                    "Every problem is listed as ", ("path:line:col", "bold"),
                    ", so your editor can jump to it. ",
                    "Fix them and save the file; the game will open it as soon as it loads."
                    if self.watch else "Run  understood check  on the file to see them again."),
                    classes="muted", id="errors-hint")
        yield KeyFooter()

    def _summary(self) -> Content:
        count = sum(1 for e in self.errors if e.severity == "error")
        return Content(f"{self.path} has {plural(count, 'problem')} that {'stops' if count == 1 else 'stop'} it from loading.")

    def on_mount(self) -> None:
        self.query_one(StoryProblems).show(self.errors)
        self.query_one("#errors-scroll").focus()
        if self.watch:
            watch = FileWatch(self.path)
            self.set_interval(self.watch_interval, lambda: watch.changed() and self._reload())

    @work(thread=True, exclusive=True)
    def _reload(self) -> None:
        from game.story import check_file

        story, errors = check_file(self.path)
        self.app.call_from_thread(self._reloaded, story, errors)

    def _reloaded(self, story: Story | None, errors: list[StoryError]) -> None:
        if story is not None:
            self.post_message(self.Fixed(story))
            return
        self.errors = errors
        self.query_one(StoryProblems).show(errors)
        self.query_one("#errors-summary", Static).update(self._summary())

    def action_title(self) -> None:
        self.post_message(self.LeaveToTitle())
