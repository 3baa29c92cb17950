"""What the class server knows: the students who joined, where each one is, the facilitator's
message, and whether the session has ended. No names and no addresses: a student is a random
session id and a key only their browser holds.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

STAGES = ("notes", "playing", "sat_out", "ended")
MAX_STUDENTS = 1000  # joins per server run; a school's class is far below it
MAX_MESSAGE = 200  # characters in a facilitator's message
MAX_PLACE = 120


@dataclass
class Student:
    """One browser: its public session id, the key that proves it, and its latest progress."""

    session: str
    key: str
    joined: datetime
    stage: str = "notes"
    place: str = ""
    moves: int = 0
    seen: float = field(default_factory=time.monotonic)
    summary: dict | None = None  # the latest summary accepted from this browser

    def owns(self, key: object) -> bool:
        return isinstance(key, str) and hmac.compare_digest(self.key.encode(), key.encode())


class ClassFull(Exception):
    """More browsers joined than one session takes."""


class ClassState:
    """The live session: every student by id, and what the facilitator said."""

    def __init__(self, story_id: str, *, limit: int = MAX_STUDENTS):
        self.story_id = story_id
        self.limit = limit
        self.students: dict[str, Student] = {}
        self.message: str | None = None
        self.closed = False
        self.started = datetime.now(timezone.utc)

    def join(self) -> Student:
        if len(self.students) >= self.limit:
            raise ClassFull(f"this session already has {self.limit} students")
        while True:
            session = secrets.token_hex(6)
            if session not in self.students:
                break
        student = Student(session, secrets.token_hex(16), datetime.now(timezone.utc))
        self.students[session] = student
        return student

    def student(self, session: object, key: object) -> Student | None:
        """The student whose session and key these are, or None (a wrong key looks like no session)."""
        student = self.students.get(session) if isinstance(session, str) else None
        if student is None or not student.owns(key):
            return None
        return student

    def progress(self, student: Student, stage: str, place: str, moves: int) -> None:
        student.stage, student.place, student.moves = stage, place, moves
        student.seen = time.monotonic()

    def say(self, text: str) -> None:
        self.message = text

    def end(self) -> None:
        self.closed = True

    # --- what the facilitator's live view shows ------------------------------------------------

    def counts(self) -> dict:
        """How many are where: stage totals, and the places of those playing."""
        stages = Counter(s.stage for s in self.students.values())
        places = Counter(s.place or "Somewhere in the story" for s in self.students.values()
                         if s.stage == "playing")
        return {
            "joined": len(self.students),
            "notes": stages["notes"],
            "playing": stages["playing"],
            "sat_out": stages["sat_out"],
            "ended": stages["ended"],
            "places": sorted(places.items(), key=lambda item: (-item[1], item[0])),
            "summaries": sum(1 for s in self.students.values() if s.summary is not None),
        }

    def summaries(self) -> list[dict]:
        return [s.summary for s in self.students.values() if s.summary is not None]
