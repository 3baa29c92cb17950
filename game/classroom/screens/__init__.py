"""Classroom mode's screens for the Textual app: one screen per file."""
