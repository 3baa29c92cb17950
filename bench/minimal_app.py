"""The baseline for bench/tui_startup.py: the smallest Textual app, one Static, one key."""

from textual.app import App
from textual.widgets import Static


class Minimal(App):
    BINDINGS = [("1", "pressed", "Press")]
    presses = 0

    def compose(self):
        yield Static("The baseline is ready.", id="line")

    def action_pressed(self) -> None:
        self.presses += 1
        self.query_one("#line", Static).update(f"The baseline took {self.presses} keys.")


if __name__ == "__main__":
    Minimal().run()
