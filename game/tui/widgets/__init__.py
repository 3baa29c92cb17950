"""Widgets of the Textual player, one per module; each keeps its own look in DEFAULT_CSS."""
