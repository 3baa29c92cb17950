"""Settings: theme, text speed, reduced motion and high contrast; saved as they change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Select, Static

from game.settings import TEXT_SPEEDS, Settings
from game.tui.widgets.key_footer import KeyFooter
from game.tui.widgets.setting_toggle import SettingToggle

SPEED_LABELS = {"instant": "Instant (no typing effect)", "fast": "Fast", "normal": "Normal", "slow": "Slow"}


class SettingsScreen(ModalScreen[None]):
    """Posts `Changed` on every change; the app applies the settings and writes the file."""

    BINDINGS = [Binding("escape", "dismiss", "Done", key_display="esc")]

    class Changed(Message):
        def __init__(self, settings: Settings):
            super().__init__()
            self.settings = settings

    def __init__(self, settings: Settings, themes: list[str]):
        super().__init__()
        self.settings = settings
        self.themes = themes

    def compose(self) -> ComposeResult:
        s = self.settings
        with Vertical(id="settings", classes="dialog"):
            yield Static("Settings", classes="screen-title")
            with VerticalScroll(classes="dialog-scroll"):
                with Horizontal(classes="setting"):
                    yield Static("Theme", classes="setting-label")
                    yield Select([(name, name) for name in self.themes], value=s.theme, allow_blank=False,
                                 id="theme", disabled=s.high_contrast, compact=True)
                with Horizontal(classes="setting"):
                    yield Static("Text speed", classes="setting-label")
                    yield Select([(SPEED_LABELS.get(k, k), k) for k in TEXT_SPEEDS], value=s.text_speed,
                                 allow_blank=False, id="text-speed", compact=True)
                yield SettingToggle("Reduced motion (no typing effect, no gliding)", s.reduced_motion,
                               id="reduced-motion", compact=True)
                yield SettingToggle("High contrast (black and white, nothing dim)", s.high_contrast,
                               id="high-contrast", compact=True)
        yield KeyFooter()

    def _change(self, **changes) -> None:
        updated = self.settings.updated(**changes)
        if updated != self.settings:
            self.settings = updated
            self.query_one("#theme", Select).disabled = updated.high_contrast
            self.post_message(self.Changed(updated))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "theme":
            self._change(theme=str(event.value))
        elif event.select.id == "text-speed":
            self._change(text_speed=str(event.value))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if event.checkbox.id == "reduced-motion":
            self._change(reduced_motion=event.value)
        elif event.checkbox.id == "high-contrast":
            self._change(high_contrast=event.value)
