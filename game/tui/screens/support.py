"""Support resources: free lines to talk to. Data from game/data/support.yaml, not code."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.support import load_support
from game.tui.widgets.key_footer import KeyFooter


class SupportScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,h", "dismiss", "Close", key_display="esc")]

    def compose(self) -> ComposeResult:
        support = load_support()
        with Vertical(id="support", classes="dialog wide"):
            yield Static("You don't have to sit with it alone", classes="screen-title")
            with VerticalScroll(id="support-scroll", classes="dialog-scroll"):
                yield Static(Content(" ".join(support.intro.split())), classes="muted")
                yield Static(Content(support.emergency), id="support-emergency")
                rows = []
                for line in support.lines:
                    rows.append(Content.assemble(
                        (line.name, "bold"), ("  ·  " + line.region, "italic"), "\n",
                        (line.contact, "bold $accent"), (".  " + line.note if line.note else "", "$text-muted"),
                    ))
                yield Static(Content("\n\n").join(rows), id="support-lines")
                yield Static(Content(f"These were last checked on {support.last_checked}."),
                             classes="muted", id="support-checked")
        yield KeyFooter()
