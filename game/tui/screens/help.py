"""Help: the keys, how the game works, and the plain player for screen-reader users."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.widgets.key_footer import KeyFooter

KEYS = [
    ("1-9", "take a choice (or the arrows and Enter, or the mouse)"),
    ("pgup, pgdn", "scroll a long scene (or the mouse wheel)"),
    ("u, ctrl+z", "undo; press again to go further back"),
    ("j", "journal: the story so far, which you can export"),
    ("s / l", "save / load"),
    ("esc, p", "pause: resume, skip this scene, support lines, title"),
    ("ctrl+p", "command palette"),
    ("?", "this help"),
]

ABOUT = ("There are no right answers and no scores. Some choices are struck through: you can see them, "
         "but you can't make yourself say them yet. Pressing one tells you why. What you choose can open "
         "or close them later.")

PLAIN = ("Textual can't talk to screen readers. If you use one, the plain player reads line by line and "
         "works well with them: understood --plain, or understood play STORY --plain.")


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", key_display="esc")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog wide"):
            yield Static("How to play", classes="screen-title")
            with VerticalScroll(classes="dialog-scroll"):
                width = max(len(k) for k, _ in KEYS)
                yield Static(Content("\n").join(
                    Content.assemble((key.ljust(width), "bold $accent"), "  ", what) for key, what in KEYS))
                yield Static(ABOUT, classes="section")
                yield Static(PLAIN, classes="section", id="help-plain")
        yield KeyFooter()
