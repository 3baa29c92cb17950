"""Screens of the Textual player, one per module. Flow screens post Messages up to the app,
which decides where to go next; modal screens return their answer with `dismiss()`."""
