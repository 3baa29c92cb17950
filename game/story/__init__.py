"""The story format: YAML files → validated, frozen model objects.

Public API:
    load_story(path)      -> Story   (cached; raises StoryLoadError with every error)
    parse_story(text)     -> Story   (no cache)
    check_file(path)      -> (Story | None, list[StoryError])
    find_story(ref, dirs) -> Path    (a story id in the story directories, or a file path)
    discover(paths)       -> list[Path]
"""

from game.story.errors import StoryError, StoryLoadError
from game.story.library import default_story_dirs, discover, find_story, StoryNotFound
from game.story.load import check_file, load_story
from game.story.model import TONES, Choice, Effects, Ending, Meter, Scene, Story, TextPart

__all__ = [
    "TONES", "Choice", "Effects", "Ending", "Meter", "Scene", "Story", "StoryError", "StoryLoadError",
    "StoryNotFound", "TextPart", "check_file", "default_story_dirs", "discover", "find_story", "load_story",
    "parse_story",
]


def __getattr__(name: str):
    # `parse_story` pulls in the YAML side; import it only when asked, so a game that loads its
    # stories from the compiled cache starts without it.
    if name == "parse_story":
        from game.story.loader import parse_story

        return parse_story
    raise AttributeError(f"module 'game.story' has no attribute {name!r}")
