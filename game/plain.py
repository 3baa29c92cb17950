"""The plain player: scenes as plain text, choices read as numbers from a line of input.

No colour, no box drawing, no cursor tricks: it serves screen readers, pipes and tests. On a
terminal it wraps paragraphs to a comfortable width; through a pipe each paragraph is one line.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import TextIO

from game.engine import BadSave, ChoiceLocked, Game, GameError, SaveError, SaveStore, last_turning_point, replay
from game.engine.saves import SaveData, autosave_slot
from game.safe_text import clean_line, guarded
from game.story.model import Story
from game.plain_help import HELP
from game.support import support_text

MAX_LINE = 4096  # characters of one typed line that are read; the rest of a longer line is dropped
MAX_NUMBER_DIGITS = 4
QUIT_WORDS = ("quit", "q", "exit")



class PlainPlayer:
    def __init__(self, story: Story, *, saves: SaveStore, stdin: TextIO | None = None,
                 stdout: TextIO | None = None, game: Game | None = None, width: int | None = None):
        self.story = story
        self.saves = saves
        self.stdin = readable(stdin or sys.stdin)
        self.out = guarded(stdout or sys.stdout)  # the final guard: nothing unsafe reaches the terminal
        self.game = game or Game(story)
        if width is None and self.out.isatty():
            width = min(72, shutil.get_terminal_size((80, 24)).columns - 2)
        self.width = width

    # --- output -----------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        if self.width and text:
            text = "\n".join(textwrap.fill(line, self.width) if line else "" for line in text.split("\n"))
        print(text, file=self.out)

    def intro(self) -> None:
        story = self.story
        self.say(f"== {story.title} ==")
        about = f"You are {story.perspective}."
        if story.minutes:
            about += f" About {story.minutes} minutes."
        self.say(about)
        self.say(story.summary)
        if story.content_notes:
            self.say(f"Content notes: {', '.join(story.content_notes)}.")
        self.say("Type 'help' for commands at any time.")

    def show_scene(self) -> None:
        game = self.game
        self.say()
        for paragraph in game.paragraphs():
            self.say(paragraph)
            self.say()
        if game.thought:
            self.say(f"Inner voice: {game.thought}")
            self.say()
        if game.is_over:
            return
        meters = game.visible_meters()
        if meters:
            self.say("  ".join(f"{m.label}: {value}/{m.max}" for m, value in meters))
        for option in game.options():
            if option.available:
                self.say(f"{option.number}. {option.text}")
            else:
                self.say(f"{option.number}. (locked) {option.text} - {option.locked_reason}")

    def show_ending(self) -> None:
        game = self.game
        ending = game.ending
        self.say(f"== Ending: {ending.title} ({ending.tone}) ==")
        if game.remembered:
            self.say()
            self.say("What was remembered:")
            for line in game.remembered:
                self.say(f"- {line}")
        locked = game.locked_met()
        if locked:
            self.say()
            self.say("What you couldn't say:")
            for lock in locked:
                self.say(f"- {lock.text} ({lock.reason})")
        point = last_turning_point(game)
        if point is not None:
            self.say()
            self.say(point.ending_line())
        if self.story.debrief:
            self.say()
            self.say("Questions to sit with:")
            for number, question in enumerate(self.story.debrief, 1):
                self.say(f"{number}. {question}")
        self.say()
        if ending.support:
            self.say(support_text())
        else:
            self.say("If anything here stirred something up, free support lines are one command away: "
                     "understood support")

    # --- input ------------------------------------------------------------------------------

    def autosave(self) -> SaveData | None:
        try:
            return self.saves.autosave(self.game)
        except SaveError as exc:
            self.say(f"(Could not autosave: {exc})")
            return None

    def prompt(self) -> str | None:
        count = len(self.game.options())
        return self.ask(f"Choose 1-{count} (or help): " if count > 1 else "Choose 1 (or help): " if count else "> ")

    def ask(self, prompt: str) -> str | None:
        """One line of input after `prompt`, cleaned to one line of plain text; None when input has
        ended. Any line will do: very long ones are cut at MAX_LINE, bytes that are not UTF-8 read
        as replacement characters, control characters are dropped."""
        self.out.write(prompt)
        self.out.flush()
        line = read_line(self.stdin)
        if line is None:
            self.say()
            return None
        line = clean_line(line).strip()
        if not self.stdin.isatty():
            self.out.write(line + "\n")  # a transcript shows what was typed
        return line

    def run(self) -> int:
        self.intro()
        self.show_scene()
        while not self.game.is_over:
            line = self.prompt()
            if line is None:
                saved = self.autosave()
                if saved:
                    self.say(f"Input ended. Your place is saved. Continue with: understood play {self.story.id} "
                             f"--plain --load {saved.slot}")
                return 0
            if not self.handle(line):
                return 0
        self.show_ending()
        self.autosave()
        return 0

    def handle(self, line: str) -> bool:
        """Act on one line of input; False means the player quit."""
        word, _, rest = line.partition(" ")
        word = word.lower()
        rest = rest.strip()
        if not word:
            self.say("Type a choice number, or 'help'.")
        elif word.isascii() and word.isdigit():  # "²" and "①" are digits to isdigit(), not to int()
            if len(word) > MAX_NUMBER_DIGITS:
                self.say("There is no choice with that number here. Type a number from the list, or 'help'.")
            else:
                self.take(int(word))
        elif word in ("undo", "u"):
            if self.game.undo():
                self.say("(You take that back.)")
                self.autosave()
                self.show_scene()
            else:
                self.say("There is nothing to undo yet.")
        elif word == "skip":
            from game.engine.skipping import skip_words

            words = skip_words(self.game.story, self.game.scene)
            self.game.skip()
            self.say(f"({words.done})")
            self.autosave()
            self.show_scene()
        elif word == "save":
            self.save(rest)
        elif word == "load":
            self.load(rest)
        elif word in ("help", "?", "h"):
            self.say(HELP)
        elif word == "support":
            self.say(support_text())
        elif word in QUIT_WORDS:
            saved = self.autosave()
            self.say("Your place is saved." if saved else "Goodbye.")
            return False
        else:
            self.say(f"'{line[:40]}' isn't a choice. Type a number from the list, or 'help'.")
        return True

    def take(self, number: int) -> None:
        try:
            outcome = self.game.choose(number)
        except ChoiceLocked as exc:
            self.say(f"Not yet. {exc}")
            return
        except GameError as exc:
            self.say(str(exc))
            return
        self.say(f"You chose: {outcome.step.choice_text}")
        for meter, before, after in outcome.changes:
            self.say(f"({meter.label}: {before} to {after})")  # words, not "->": a screen reader reads arrows aloud
        if outcome.remembered:
            self.say(f"Remembered: {outcome.remembered}")
        self.autosave()
        self.show_scene()

    def save(self, slot: str) -> None:
        if not slot:
            self.say("Name the slot: save NAME")
            return
        try:
            self.saves.save(slot, self.game)
            self.say(f"Saved to '{slot}'.")
        except SaveError as exc:
            self.say(str(exc))

    def load(self, slot: str) -> None:
        if not slot:
            self.say("Name the slot: load NAME")
            return
        try:
            data = self.saves.load(slot)
        except (BadSave, SaveError) as exc:
            self.say(str(exc))
            return
        if data.story_id != self.story.id:
            self.say(f"Save '{slot}' is from another story ({data.story_title}).")
            return
        result = replay(self.story, data)
        self.game = result.game
        self.say(result.message or f"Loaded '{slot}'.")
        self.show_scene()


def is_quit(line: str | None) -> bool:
    """True for a line that asks to stop (quit works at every prompt)."""
    return line is not None and line.strip().lower() in QUIT_WORDS


def readable(stream: TextIO) -> TextIO:
    """`stream`, reading bytes that are not UTF-8 as replacement characters instead of failing."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and getattr(stream, "errors", "replace") == "strict":
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
    return stream


def read_line(stream: TextIO) -> str | None:
    """One line from `stream`, at most MAX_LINE characters (the rest is read and dropped); None at
    the end of input, or when input cannot be read at all."""
    try:
        line = stream.readline(MAX_LINE)
        if len(line) >= MAX_LINE and not line.endswith("\n"):
            rest = line
            while rest and not rest.endswith("\n"):
                rest = stream.readline(MAX_LINE)
    except UnicodeDecodeError:
        return ""  # a stream we could not make forgiving: this line is unreadable, the next may not be
    except (OSError, ValueError):
        return None
    return line or None


def start_game(story: Story, saves: SaveStore, slot: str | None, say) -> Game | None:
    """A game from a save slot (with replay notices), or a new one; None when the slot is unusable."""
    if not slot:
        return Game(story)
    try:
        data = saves.load(slot)
    except SaveError as exc:
        say(str(exc))
        return None
    if data.story_id != story.id:
        say(f"Save '{slot}' is from another story ({data.story_title}).")
        return None
    result = replay(story, data)
    if result.message:
        say(result.message)
    return result.game


def play_plain(story: Story, saves: SaveStore, *, load: str | None = None, stdin: TextIO | None = None,
               stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    game = start_game(story, saves, load, lambda text: print(text, file=out))
    if game is None:
        return 1
    return PlainPlayer(story, saves=saves, stdin=stdin, stdout=out, game=game).run()


__all__ = ["PlainPlayer", "autosave_slot", "is_quit", "play_plain", "read_line", "readable", "start_game"]
