"""The ending: its title and tone, what was remembered, the meters' paths, what you couldn't say,
the debrief questions, and what next."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from game.engine import STEPPED_AWAY, Game, TurningPoint, last_turning_point
from game.export import summary_markdown, write_markdown
from game.story.names import place_name_of
from game.tui.widgets.hanging_list import HangingList, bullets
from game.tui.widgets.key_footer import KeyFooter
from game.tui.widgets.meter_chart import MeterChart


class EndingScreen(Screen):
    BINDINGS = [
        Binding("a", "play_again", "Play again"),
        Binding("r", "rewind", "Turning point"),
        Binding("j", "journal", "Journal"),
        Binding("e", "export", "Export"),
        Binding("h", "app.support", "Support"),
        Binding("t,escape", "title", "Title", key_display="t"),
    ]

    class PlayAgain(Message):
        def __init__(self, game: Game):
            super().__init__()
            self.game = game

    class Rewind(Message):
        """Play on from before the choice that decided the ending."""

        def __init__(self, game: Game, point: TurningPoint):
            super().__init__()
            self.game = game
            self.point = point

    class LeaveToTitle(Message):
        pass

    def __init__(self, game: Game, export_dir: Path):
        super().__init__()
        self.game = game
        self.export_dir = Path(export_dir)
        self.turning_point: TurningPoint | None = None
        self._searched = False

    def compose(self) -> ComposeResult:
        game = self.game
        story = game.story
        ending = game.ending or STEPPED_AWAY
        with VerticalScroll(id="ending-scroll"):
            with Vertical(id="ending"):
                yield Static(Content(story.title), classes="eyebrow")
                yield Static(Content(ending.title), classes="screen-title", id="ending-title")
                yield Static(Content(f"An ending that feels {ending.tone}."),
                             classes="muted", id="ending-tone")
                paragraphs = ["You stepped away from the story here. That's allowed, and it's sometimes "
                              "the wisest choice there is."] if ending is STEPPED_AWAY else game.paragraphs()
                yield Static(Content("\n\n".join(" ".join(p.split()) for p in paragraphs)), id="ending-text")
                if ending.support:
                    yield Static(Content.assemble(
                        ("If this one sits heavy, ", ""), ("press h", "bold $accent"),
                        " for free, confidential people to talk to. You don't need a reason to call."),
                        id="ending-support")
                if game.remembered:
                    yield Static("What was remembered", classes="section")
                    yield bullets(list(game.remembered), id="ending-remembered")
                meters = [m for m in story.meters.values() if not m.hidden]
                if meters:
                    yield Static("How things moved", classes="section")
                    yield MeterChart(meters, game.meter_history())
                locked = game.locked_met()
                if locked:
                    yield Static("What you couldn't say", classes="section")
                    yield bullets([Content.assemble((lock.text, "italic"),
                                                    (f"  ({place_name_of(story, lock.scene)})", "$text-muted"))
                                   for lock in locked], id="ending-unsaid")
                if story.debrief:
                    yield Static("Questions to sit with", classes="section")
                    yield HangingList([(f"{n}.", " ".join(q.split())) for n, q in enumerate(story.debrief, 1)],
                                      gap=1, id="ending-debrief")
                yield Static("What next", classes="section")
                yield Static(self._next_text(), id="ending-next")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#ending-scroll").focus()
        self._find_turning_point()

    @work(thread=True, exclusive=True)
    def _find_turning_point(self) -> None:
        point = last_turning_point(self.game)
        self.app.call_from_thread(self._found, point)

    def _found(self, point: TurningPoint | None) -> None:
        self.turning_point = point
        self._searched = True
        self.query_one("#ending-next", Static).update(self._next_text())
        self.refresh_bindings()

    def _next_text(self) -> Content:
        rows = [("a", "Play again from the start")]
        point = self.turning_point
        if point is not None:
            rows.append(("r", f"Play again from the choice that changed the ending:\n   {point.choice_text}"))
        elif self._searched:
            rows.append(("", "No single choice along the way changed this ending."))
        rows += [("j", "Read the journal"), ("e", "Export a summary to Markdown"), ("h", "Support lines"),
                 ("t", "Back to the title")]
        return Content("\n").join(
            Content.assemble((key.ljust(2), "bold $accent"), " ", what) for key, what in rows)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rewind":
            return self.turning_point is not None
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Play again", "Start this story again", self.action_play_again)
        if self.turning_point is not None:
            yield SystemCommand("Play from the turning point", "Go back to the choice that changed the ending",
                                self.action_rewind)
        yield SystemCommand("Journal", "The story as you played it", self.action_journal)
        yield SystemCommand("Export summary", "Write this ending's summary to a Markdown file",
                            self.action_export)

    def action_play_again(self) -> None:
        self.post_message(self.PlayAgain(self.game))

    def action_rewind(self) -> None:
        if self.turning_point is not None:
            self.post_message(self.Rewind(self.game, self.turning_point))

    def action_journal(self) -> None:
        from game.tui.screens.journal import JournalScreen

        self.app.push_screen(JournalScreen(self.game, self.export_dir))

    def action_export(self) -> None:
        try:
            path = write_markdown(summary_markdown(self.game), self.export_dir, self.game.story.id, "summary")
        except OSError as exc:
            self.notify(f"Couldn't write the summary: {exc.strerror or exc}", severity="warning", timeout=8)
            return
        self.notify(f"Written to {path}", title="Summary exported", timeout=10)

    def action_title(self) -> None:
        self.post_message(self.LeaveToTitle())
