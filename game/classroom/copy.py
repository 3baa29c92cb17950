"""The words classroom mode says to a student, shared by the plain player and the TUI.

Calm and plain: a student can always sit a story out, pause, or skip, and is never asked why.
"""

from __future__ import annotations

from game.story.model import Story

PLAY = "Play the story"
SIT_OUT = "Sit this one out"
NO_REASON = "You can sit this one out. You don't have to say why."
MODE_LINE = ("In class mode you can pause or skip a scene at any time. Your choices are counted with "
             "the class's, with no name attached.")
SAT_OUT = "That's fine. Nobody will ask why."
QUIET_ALTERNATIVE = ("While the others play, here are the questions the class will talk about afterwards. "
                     "You can read them, think, or just sit. You don't have to answer anything.")
NO_QUESTIONS = "This story has no discussion questions. Take the time for yourself."
PAUSED = "Paused. Take as long as you need."
STOPPED = "You've stopped here, and that's fine. Your choices so far are counted with the class's, with no name."
FINISHED = "Your choices are counted with the class's, with no name attached."
REFLECT_OFFER = ("If you'd like, you can write a few words for each question. Your answers stay with you "
                 "unless you choose to share them.")
SHARE_LABEL = "Share my reflection with the class (no name attached)"
SHARED = "Shared. Your answers go to the class with no name attached."
NOT_SHARED = "Not shared. Your answers stay with you."


def content_notes_line(story: Story) -> str:
    """What the story touches on, always said in class mode (even when the story lists nothing)."""
    notes = [n.strip() for n in story.content_notes if n.strip()]
    if not notes:
        return "Before you start: this story lists no content notes, but it is about feelings that can run deep."
    if len(notes) == 1:
        return f"Before you start: this story touches on {notes[0]}."
    return f"Before you start: this story touches on {', '.join(notes[:-1])} and {notes[-1]}."
