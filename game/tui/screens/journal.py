"""The journal: the story so far, as scenes and the choices taken; exportable to Markdown."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.engine import Game, journal
from game.export import journal_markdown, write_markdown
from game.story.names import place_name_of
from game.tui.widgets.hanging_list import HangingList
from game.tui.widgets.inner_voice import LABEL
from game.tui.widgets.key_footer import KeyFooter


def journal_entries(game: Game) -> ComposeResult:
    """Each scene as it read then, and what the player did there; wrapped lines keep their indent
    (the move's text under its first word, a remembered line under the move)."""
    for number, entry in enumerate(journal(game), 1):
        with Vertical(classes="journal-entry"):
            yield HangingList([(f"{number}.", Content(place_name_of(game.story, entry.scene)))],
                              marker_style="bold $accent", gap=1, classes="journal-heading")
            if entry.paragraphs:
                yield Static(Content("\n").join(Content(" ".join(p.split())) for p in entry.paragraphs))
            if entry.thought:
                yield Static(Content.styled(f"{LABEL}: {' '.join(entry.thought.split())}", "italic $text-muted"))
            step = entry.step
            if step is None:
                yield Static(Content.styled("The end." if game.is_over else "You are here.", "italic"))
            elif step.kind == "skip":
                yield Static(Content.styled("→ You skipped this scene.", "bold"))
            else:
                yield HangingList([("→", Content.assemble(("You chose: ", "bold"), step.choice_text or ""))],
                                  marker_style="bold", gap=1)
                if step.remembered:
                    yield Static(Content.styled(step.remembered, "italic"), classes="journal-remembered")


class JournalScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,j,q", "dismiss", "Close", key_display="esc"),
        Binding("e", "export", "Export to Markdown"),
    ]

    def __init__(self, game: Game, export_dir: Path):
        super().__init__()
        self.game = game
        self.export_dir = Path(export_dir)

    def compose(self) -> ComposeResult:
        with Vertical(id="journal", classes="dialog wide tall"):
            yield Static(Content(f"Journal · {self.game.story.title}"), classes="screen-title")
            with VerticalScroll(id="journal-scroll", classes="dialog-scroll"):
                yield from journal_entries(self.game)
        yield KeyFooter()

    def on_mount(self) -> None:
        scroll = self.query_one("#journal-scroll", VerticalScroll)
        scroll.focus()
        scroll.call_after_refresh(scroll.scroll_end, animate=False)

    def action_export(self) -> None:
        try:
            path = write_markdown(journal_markdown(self.game), self.export_dir, self.game.story.id, "journal")
        except OSError as exc:
            self.notify(f"Couldn't write the journal: {exc.strerror or exc}", severity="warning", timeout=8)
            return
        self.notify(f"Written to {path}", title="Journal exported", timeout=10)
