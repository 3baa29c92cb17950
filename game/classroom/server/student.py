"""The page every student gets: the web player, told about this server (docs/web-protocol.md)."""

from __future__ import annotations

from html import escape

from game.story.model import Story


def student_page(story: Story, *, classroom: str | None) -> str:
    """The player in classroom mode (content notes first, with "sit this one out") even when the
    server keeps no class folder: a class server is for a class."""
    server = {"api": "/api", "join": None}
    try:
        from game.web.page import build_page
    except ImportError:  # the web player has not landed on this branch yet
        return _waiting_page(story)
    return build_page(story, classroom=classroom or "class", server=server)


def _waiting_page(story: Story) -> str:
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(story.title)}</title></head><body><main><h1>{escape(story.title)}</h1>"
            "<p>The web player is not part of this build yet.</p></main></body></html>")
