"""The plain player in classroom mode: `understood play STORY --plain --classroom NAME`.

Differences from the plain player: the content notes always come first, with a no-reason way to
sit the story out (the quiet alternative is reading the debrief questions); `pause` and `skip`
work at every prompt; nothing is saved on the machine (no autosaves, no save slots); and an
anonymous summary goes to the class folder at the ending, or when the student quits or input
ends. After the ending the student may write a reflection, keep it as Markdown, and share it.
"""

from __future__ import annotations

from typing import TextIO

from game.classroom import copy
from game.classroom.reflection import Reflection
from game.classroom.session import ClassroomSession, SummaryError
from game.classroom.stopping import on_stop_signals
from game.engine import Game, SaveStore
from game.plain import QUIT_WORDS, PlainPlayer, is_quit
from game.story.model import Story
from game.support import support_text

HELP = """\
Type the number of a choice and press Enter. Other commands:
  pause       stop for a moment; nothing moves on until you're ready
  skip        skip this scene; it never costs you anything
  undo        take back your last choice
  support     free support lines, if something stirred things up
  quit        stop here (your choices so far count, with no name)"""

YES = ("y", "yes")


class ClassroomPlainPlayer(PlainPlayer):
    def __init__(self, story: Story, session: ClassroomSession, *, saves: SaveStore, stdin: TextIO | None = None,
                 stdout: TextIO | None = None, width: int | None = None, game: Game | None = None):
        super().__init__(story, saves=saves, stdin=stdin, stdout=stdout, width=width, game=game)
        self.session = session
        self.reflection: Reflection | None = None
        self.written = False
        self.write_failed = False

    # --- the flow ---------------------------------------------------------------------------

    def intro(self) -> None:
        story = self.story
        self.say(f"== {story.title} ==")
        self.say(f"You are {story.perspective}." + (f" About {story.minutes} minutes." if story.minutes else ""))
        self.say(story.summary)

    def run(self) -> int:
        self.intro()
        choice = self.content_gate()
        if choice is None:
            return 0  # input ended before the story began: nothing to count
        if choice == "out":
            self.sit_out()
            return self.exit_code
        try:
            self.say()
            self.say(copy.MODE_LINE)
            self.say("Type 'help' for commands at any time.")
            self.show_scene()
            while not self.game.is_over:
                line = self.prompt()
                if line is None:
                    self.stop()
                    return self.exit_code
                if not self.handle(line):
                    return self.exit_code
            self.show_ending()
            self.write_summary()
            self.say(copy.FINISHED)
            self.reflect()
        except BaseException:
            # Ctrl+C, a closed terminal (SIGHUP/SIGTERM arrive as SystemExit), a broken pipe, a bug:
            # what was played still counts.
            if not self.written:
                self.write_summary(quiet=True)
            raise
        return self.exit_code

    @property
    def exit_code(self) -> int:
        return 1 if self.write_failed else 0

    def content_gate(self) -> str | None:
        """Always show the content notes; 'play', 'out', or None when input ended."""
        self.say()
        self.say(copy.content_notes_line(self.story))
        self.say(copy.NO_REASON)
        self.say(f"1. {copy.PLAY}")
        self.say(f"2. {copy.SIT_OUT}")
        while True:
            line = self.ask("Choose 1 or 2: ")
            if line is None:
                return None
            word = line.lower()
            if word in QUIT_WORDS:
                self.say("You've stopped before the story began. Nothing is counted.")
                return None
            if word in ("1", "play", "p"):
                return "play"
            if word in ("2", "out", "sit out", "sit", "no", "n"):
                return "out"
            if word == "support":
                self.say(support_text())
            else:
                self.say("Type 1 to play, or 2 to sit this one out.")

    def sit_out(self) -> None:
        self.say()
        self.say(copy.SAT_OUT)
        if self.story.debrief:
            self.say(copy.QUIET_ALTERNATIVE)
            self.say()
            for number, question in enumerate(self.story.debrief, 1):
                self.say(f"{number}. {question}")
        else:
            self.say(copy.NO_QUESTIONS)
        self.say()
        self.say("If anything here stirred something up, free support lines are one command away: "
                 "understood support")
        self.write_summary(opted_out=True)

    def stop(self) -> None:
        """The student quit, or input ended: count what was played, say so kindly."""
        self.write_summary()
        self.say(copy.STOPPED)

    # --- commands ---------------------------------------------------------------------------

    def handle(self, line: str) -> bool:
        word, _, _ = line.partition(" ")
        word = word.lower()
        if word == "pause":
            return self.pause()
        if word in QUIT_WORDS:
            self.stop()
            return False
        if word in ("save", "load"):
            self.say("In class mode nothing is saved on this computer. When you stop, your choices are "
                     "counted with the class's, with no name attached.")
            return True
        if word in ("help", "?", "h"):
            self.say(HELP)
            return True
        return super().handle(line)

    def pause(self) -> bool:
        """Wait for Enter; False when the student quit (or input ended) instead."""
        self.say(copy.PAUSED)
        answer = self.ask("Press Enter when you want to go on. ")
        if answer is None or is_quit(answer):
            self.stop()
            return False
        self.show_scene()
        return True

    def autosave(self):
        """Class mode keeps no saves on the machine: the summary is the only record."""
        return None

    # --- after the ending -------------------------------------------------------------------

    def reflect(self) -> None:
        if not self.story.debrief:
            return
        self.say()
        self.say(copy.REFLECT_OFFER)
        answer = self.ask("Write a reflection? (y/n): ")
        if answer is None or is_quit(answer) or answer.lower() not in YES:
            return
        ending = self.game.ending.title if self.game.ending else None
        reflection = self.reflection = Reflection.for_story(self.story, ending)
        self.say("Press Enter on its own to leave a question blank.")
        for index, question in enumerate(reflection.questions):
            self.say()
            self.say(f"{index + 1}. {question}")
            text = self.ask("> ")
            if text is None or is_quit(text):
                break
            reflection.answer(index, text)
        if not reflection.written:
            self.say("Nothing written, and that's fine.")
            return
        self.offer_export(reflection)
        self.offer_share(reflection)

    def offer_export(self, reflection: Reflection) -> None:
        suggested = reflection.default_filename()
        name = self.ask(f"Keep a copy as a Markdown file? Type a file name (or 'y' for {suggested}), "
                        "or press Enter to skip: ")
        while name and not is_quit(name):
            path = suggested if name.lower() in YES else name
            try:
                written = reflection.export(path)
            except FileExistsError:
                name = self.ask(f"There is already a file called {path}. Type another name, or press Enter "
                                "to skip: ")
                continue
            except OSError as exc:
                name = self.ask(f"Couldn't write {path} ({exc.strerror or exc}). Type another name, or press "
                                "Enter to skip: ")
                continue
            self.say(f"Kept: {written}")
            return

    def offer_share(self, reflection: Reflection) -> None:
        answer = self.ask("Share your answers with the class? They go in with no name attached. (y/n): ")
        if answer is not None and not is_quit(answer) and answer.lower() in YES:
            if self.write_summary(reflection=reflection.shared_answers(), share_reflection=True):
                self.say(copy.SHARED)
        else:
            self.say(copy.NOT_SHARED)

    # --- input and the summary --------------------------------------------------------------

    def write_summary(self, *, quiet: bool = False, **options) -> bool:
        try:
            self.session.write(self.game, **options)
        except SummaryError as exc:
            self.write_failed = True
            if not quiet:
                self.say(f"({exc} Please tell your facilitator.)")
            return False
        self.written = True
        return True


def play_classroom_plain(story: Story, session: ClassroomSession, saves: SaveStore, *,
                         stdin: TextIO | None = None, stdout: TextIO | None = None, game: Game | None = None) -> int:
    """`game`: one started by the play setup (--from/--set/--path), else a new one."""
    with stops_as_exit():
        return ClassroomPlainPlayer(story, session, saves=saves, stdin=stdin, stdout=stdout, game=game).run()


def stops_as_exit():
    """A closed terminal (SIGHUP) or a stop request (SIGTERM) ends the player like Ctrl+C does,
    through its own clean-up, so the summary of what was played is still written."""
    def stop(number, frame):
        raise SystemExit(128 + number)

    return on_stop_signals(stop)
