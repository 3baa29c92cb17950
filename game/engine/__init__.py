"""The engine: plays a Story. Front ends use only what is exported here.

    game = Game(story)
    game.scene, game.paragraphs(), game.thought, game.options()
    game.choose(1) / game.choose("dinner.1"), game.skip(), game.undo()
    game.is_over, game.ending, game.history, game.meter_history(), game.locked_met()
    journal(game) -> [JournalEntry]; last_turning_point(game) -> TurningPoint | None
    SaveStore(directory).save(slot, game) / .load(slot) / .restore(save, story) / .slots()
"""

from game.engine.game import (
    STEPPED_AWAY,
    ChoiceLocked,
    Game,
    GameError,
    GameOver,
    NoSuchChoice,
    Option,
    Outcome,
    Replayed,
    same_choice_text,
)
from game.engine.rules import State
from game.engine.saves import (
    BadSave,
    Replay,
    SaveData,
    SaveError,
    SaveStore,
    SlotInfo,
    default_saves_dir,
    replay,
)
from game.engine.journal import JournalEntry, journal
from game.engine.state import LockedChoice, Snapshot, Step
from game.engine.turning import TurningPoint, last_turning_point

__all__ = [
    "STEPPED_AWAY", "BadSave", "ChoiceLocked", "Game", "GameError", "GameOver", "LockedChoice", "NoSuchChoice",
    "Option", "Outcome", "Replay", "Replayed", "State", "SaveData", "SaveError", "SaveStore", "SlotInfo", "Snapshot", "Step",
    "default_saves_dir", "replay", "same_choice_text",
    "JournalEntry", "TurningPoint", "journal", "last_turning_point",
]
