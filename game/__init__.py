"""Understood: a terminal empathy game about what men often can't say."""

__version__ = "0.1.0"
