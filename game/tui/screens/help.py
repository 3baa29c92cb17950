"""Help: the keys, how the game works, and the plain player for screen-reader users."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.story import Meter
from game.tui.widgets.hanging_list import HangingList
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

ABOUT = ("There are no right answers. Some choices are struck through: you can see them, but you can't "
         "make yourself say them yet. Pressing one tells you why. What you choose can open or close them later.")

METERS = ("The bars beside the story are not a score, and there is nothing to win. They give a sense of "
          "how things stand, and they move with what you choose.")

PLAIN = ("Textual can't talk to screen readers. If you use one, the plain player reads line by line and "
         "works well with them: understood --plain, or understood play STORY --plain.")


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", key_display="esc")]

    def _meters(self) -> list[Meter]:
        """The visible meters of the story being played (hidden ones stay a secret)."""
        game = getattr(self.app, "current_game", None)
        return [] if game is None else [m for m in game.story.meters.values() if not m.hidden]

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog wide tall"):
            yield Static("How to play", classes="screen-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield HangingList(KEYS, marker_style="bold $accent", id="help-keys")
                yield Static(ABOUT, classes="help-para")
                meters = self._meters()
                if meters:
                    yield Static("What the meters mean", classes="section")
                    yield Static(METERS, classes="help-para")
                    described = [(m.label, " ".join(m.description.split())) for m in meters if m.description]
                    if described:
                        yield HangingList(described, marker_style="bold", id="help-meters")
                yield Static(PLAIN, classes="help-para", id="help-plain")
        yield KeyFooter()
