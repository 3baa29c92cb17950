"""What "skip this scene" does here, in words a player can trust: one place, for every front end.

Skipping never changes a meter. Where it leads depends on the scene: on to its skip route (a
neutral continuation), to an ending the writer chose as that route, or, in a format-1 scene with
no route, to a gentle close ("You stepped away"). Every message about skip says which.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.story.model import Scene, Story


@dataclass(frozen=True, slots=True)
class SkipWords:
    offer: str   # before: beside the "Skip this scene" button, key or command
    done: str    # after: the notice once the player has skipped
    ends: bool   # skipping here ends the story


MOVE_ON = SkipWords("Move on to what comes next. It never costs you anything.",
                    "You skipped this scene. Nothing is lost.", False)
TO_AN_ENDING = SkipWords("Move on: here that brings the story to its close. It never costs you anything.",
                         "You skipped this scene, and the story closes here. Nothing is lost.", True)
STEP_AWAY = SkipWords("Step away: here that ends the story gently. It never costs you anything.",
                      "You stepped away, and the story ends gently here. Nothing is lost.", True)


def skip_words(story: Story, scene: Scene) -> SkipWords:
    route = scene.skip_route
    if route is None:
        return STEP_AWAY
    if story.scenes[route].ending is not None:
        return TO_AN_ENDING
    return MOVE_ON
