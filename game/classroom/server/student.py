"""The page every student gets: the web player, told about this server (docs/web-protocol.md)."""

from __future__ import annotations

from game.story.model import Story
from game.web.page import build_page


def student_page(story: Story, *, classroom: str | None) -> str:
    """The player in classroom mode (content notes first, with "sit this one out") even when the
    server keeps no class folder: a class server is for a class."""
    return build_page(story, classroom=classroom or "class", server={"api": "/api", "join": None})
