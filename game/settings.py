"""Player settings: a small JSON file in the config folder, read at start and written on change.

UI-free on purpose: the Textual app applies these, but reading and writing them is plain Python,
so tests and other front ends can use it. A damaged file never stops the game: it falls back to
the defaults and says so calmly.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from game.dirs import user_dir
from game.safe_text import clean_line

SETTINGS_FILE = "settings.json"
MAX_SETTINGS_BYTES = 64 * 1024

# Characters per second for the typewriter reveal; "instant" shows the text at once.
TEXT_SPEEDS: dict[str, int] = {"instant": 0, "fast": 160, "normal": 80, "slow": 40}
DEFAULT_THEME = "understood"


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = DEFAULT_THEME
    text_speed: str = "instant"
    reduced_motion: bool = False
    high_contrast: bool = False

    @property
    def chars_per_second(self) -> int:
        """How fast scene text is revealed; 0 means at once (always so under reduced motion)."""
        return 0 if self.reduced_motion else TEXT_SPEEDS.get(self.text_speed, 0)

    def updated(self, **changes) -> "Settings":
        return replace(self, **changes)


def config_dir() -> Path:
    """$UNDERSTOOD_CONFIG, else $XDG_CONFIG_HOME/understood, else ~/.config/understood."""
    return user_dir("UNDERSTOOD_CONFIG", "XDG_CONFIG_HOME", ".config")


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def _from_json(data: object) -> tuple[Settings, list[str]]:
    """Settings from parsed JSON, keeping every good value and naming the ones that were not."""
    if not isinstance(data, dict):
        return Settings(), ["it is not a settings file"]
    defaults = Settings()
    values = {}
    bad = []
    for f in fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        expected = type(getattr(defaults, f.name))
        if expected is bool and not isinstance(value, bool) or expected is str and not isinstance(value, str):
            bad.append(f.name)
            continue
        if f.name == "text_speed" and value not in TEXT_SPEEDS:
            bad.append(f.name)
            continue
        if isinstance(value, str):
            value = clean_line(value)[:64]  # from a file: no control character goes any further
        values[f.name] = value
    return Settings(**values), bad


def load_settings(path: str | Path | None = None) -> tuple[Settings, str | None]:
    """The saved settings (or the defaults) and, when the file was damaged, a calm notice."""
    from game.safe_files import UnreadableFile, read_limited
    from game.safe_json import BadJSON, loads_bounded

    path = Path(path) if path else settings_path()
    if not path.exists() and not path.is_symlink():
        return Settings(), None
    try:
        raw = read_limited(path, MAX_SETTINGS_BYTES)  # never from a pipe or a device
    except UnreadableFile as exc:
        if "over the limit" in exc.reason:
            return Settings(), "Your settings file was too large to be real, so the defaults are in use."
        return Settings(), f"Your settings could not be read ({exc}), so the defaults are in use."
    try:
        data = loads_bounded(raw, max_bytes=MAX_SETTINGS_BYTES)
    except BadJSON:
        return Settings(), ("Your settings file was damaged, so the defaults are in use. "
                            "Changing a setting will write a fresh one.")
    settings, bad = _from_json(data)
    if bad:
        return settings, f"Some settings could not be read ({', '.join(bad)}), so those are back to their defaults."
    return settings, None


def save_settings(settings: Settings, path: str | Path | None = None) -> Path:
    """Write atomically (temp file, then rename), so a crash never leaves half a file."""
    path = Path(path) if path else settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(settings), handle, indent=1)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
