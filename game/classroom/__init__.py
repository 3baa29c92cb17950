"""Classroom mode: anonymous session summaries, the class report, and serving in a browser."""

from game.classroom.session import ClassroomSession, SummaryError, classes_dir

__all__ = ["ClassroomSession", "SummaryError", "classes_dir"]
