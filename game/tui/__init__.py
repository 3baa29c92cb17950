"""The Textual player: title, content notes, play, pause, journal, saves, settings, ending.

It sits on top of the engine's public API (game.engine) and the story loader (game.story); it
never reads YAML itself and never decides a game rule. `run_app(AppOptions(...))` starts it.
"""
