"""Save and load slots: each shows the story, the scene, the time and a line of text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.engine import Game, SaveError, SaveStore, SlotInfo
from game.tui.text import saved_when
from game.tui.widgets.key_footer import KeyFooter


def slot_name(info: SlotInfo) -> str:
    """A slot as the player knows it: the name they gave it, or "Autosave — The Rock" for the
    game's own (never its file name, `autosave-the-rock`)."""
    save = info.save
    if save is not None and save.is_autosave:
        return f"Autosave — {save.story_title}"
    return info.slot


def slot_label(info: SlotInfo) -> Content:
    if info.save is None:
        return Content.assemble((info.slot, "bold"), "\n", (f"Can't be loaded: {info.problem}", "italic"))
    save = info.save
    where = "the end" if save.ended else save.where
    heading = (slot_name(info), "bold") if save.is_autosave else Content.assemble(
        (info.slot, "bold"), "  ·  " + save.story_title)
    return Content.assemble(
        heading, "\n",
        (f"{where}  ·  {saved_when(save)}", "$text-muted"), "\n",
        (save.excerpt, "italic $text-muted"),
    )


def next_slot_name(existing: set[str]) -> str:
    n = 1
    while f"save-{n}" in existing:
        n += 1
    return f"save-{n}"


class SavesScreen(ModalScreen):
    """mode "save": dismisses with the slot written; mode "load": with the SaveData chosen."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back", key_display="esc")]

    def __init__(self, saves: SaveStore, *, mode: str, game: Game | None = None):
        super().__init__()
        self.saves = saves
        self.mode = mode
        self.game = game
        self.slots = saves.slots()
        if mode == "save":
            self.slots = [s for s in self.slots if not (s.save and s.save.is_autosave)]

    def compose(self) -> ComposeResult:
        saving = self.mode == "save"
        with Vertical(id="saves", classes="dialog wide"):
            yield Static("Save your place" if saving else "Load a saved game", classes="screen-title")
            if saving:
                yield Static("Name this save, then press Enter:", classes="muted")
                yield Input(next_slot_name({s.slot for s in self.slots}), id="slot-name", max_length=64,
                            restrict=r"[A-Za-z0-9_-]*")
                if self.slots:
                    yield Static("Or pick a save below to save over it:", classes="muted")
            options = [Option(slot_label(info), id=info.slot, disabled=info.save is None and not saving)
                       for info in self.slots]
            if options:
                yield OptionList(*options, id="slot-list")
            elif not saving:
                yield Static("There are no saves yet. The game saves by itself after every choice.",
                             classes="muted")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.mode == "save":
            self.query_one("#slot-name", Input).focus()
        elif self.slots:
            self.query_one(OptionList).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save(event.value.strip())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        slot = event.option.id
        if self.mode == "save":
            self.query_one("#slot-name", Input).value = slot
            self._save(slot)
            return
        info = next(i for i in self.slots if i.slot == slot)
        if info.save is not None:
            self.dismiss(info.save)

    def _save(self, slot: str) -> None:
        """Save to `slot`; a slot that holds a save is only written over once the player says yes."""
        if not slot:
            self.notify("Give the save a name first.", timeout=4)
            return
        existing = next((info for info in self.slots if info.slot == slot), None)
        if existing is None:
            self._write(slot)
            return
        from game.tui.screens.confirm import ConfirmScreen

        old = existing.save
        detail = (f"It holds {old.story_title}, at {'the end' if old.ended else old.where} ({saved_when(old)}). "
                  "Saving here replaces it." if old else "Saving here replaces it.")
        self.app.push_screen(ConfirmScreen(f"Save over '{slot}'?", detail, yes="Save over it", no="Keep it"),
                             lambda yes: self._write(slot) if yes else self.query_one("#slot-name", Input).focus())

    def _write(self, slot: str) -> None:
        try:
            self.saves.save(slot, self.game)
        except SaveError as exc:
            self.notify(str(exc), severity="warning", timeout=8)
            return
        self.dismiss(slot)
