"""What the Textual app is asked to do at start: a small value the command line fills in.

Front ends and later modes (classroom, projector) extend this rather than the app's signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.settings import Settings


@dataclass
class AppOptions:
    story_dirs: list[str] = field(default_factory=list)  # --stories DIR (may repeat)
    only_these_dirs: bool = False                      # True: skip stories/ and the bundled stories
    saves_dir: str | None = None                       # --saves DIR
    story: str | None = None                           # open straight into this story (id or path)
    load_slot: str | None = None                       # ...or straight into this save slot
    watch: bool = False                                # reload the story file when it is saved
    start: str | None = None                           # --from SCENE (playtesting)
    overrides: dict[str, int | bool] = field(default_factory=dict)  # --set NAME=VALUE
    moves: tuple[str, ...] = ()                        # choice ids to play first (--path)
    settings: Settings | None = None                   # fixed settings (tests); None reads the file
    settings_file: Path | None = None                  # None: $UNDERSTOOD_CONFIG/settings.json
    calm_errors: bool = True                           # show unexpected errors calmly (off in tests)
    watch_interval: float = 0.5                        # seconds between checks of the story file
    classroom: str | None = None                       # --classroom NAME: class mode (game/classroom/app.py)
    classes: str | None = None                         # --classes DIR: where class folders live
    projector: bool = False                            # --projector: large text, high contrast
