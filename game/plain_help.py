"""The plain player's help texts, alone in a module: `understood play --help` shows them, and
building that parser must not import the player (the game's start-up runs through it)."""

HELP = """\
Type the number of a choice and press Enter. Other commands:
  undo        take back your last choice (repeat to go further back)
  skip        skip this scene; it never costs you anything
  save NAME   save your place in a slot called NAME
  load NAME   load a saved slot of this story
  support     free support lines, if something stirred things up
  quit        stop here (your place is saved)"""

MENU_HELP = "Type a story's number and press Enter (or 'quit')."
