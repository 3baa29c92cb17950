"""One `transitions` state machine per story, shared by every playthrough of it.

Scenes are states. Each choice is a transition on one of nine triggers, `choose_0`..`choose_8`
(its position in the scene), guarded by the choice's compiled condition; its effects run as the
transition's `before` callback, and a scene's `on_enter` effects run when the scene is entered.
"Skip this scene" is a `skip` transition to the scene's `skip_to`.

The machine holds no model: playthroughs are passed to `Event.trigger` directly, the shared,
model-less pattern from the `transitions` FAQ, so starting a playthrough costs nothing.
"""

from __future__ import annotations

from typing import Callable

from game.engine.state import Playthrough
from game.story.load import gc_paused
from game.story.model import Choice, Scene, Story

TRIGGERS = tuple(f"choose_{i}" for i in range(9))
SKIP = "skip"


class StoryMachine:
    def __init__(self, story: Story):
        from transitions import Machine, State  # imported on first use: the title screen needs no machine

        self.story = story
        states = [State(scene.id, on_enter=[self._enter_callback(scene)]) for scene in story.scenes.values()]
        self.machine = Machine(
            model=None,
            states=states,
            initial=story.start,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )
        for scene in story.scenes.values():
            for choice in scene.choices:
                self.machine.add_transition(
                    TRIGGERS[choice.index], scene.id, choice.goto,
                    conditions=[self._guard(choice)], before=[self._effects(choice)],
                )
            if scene.skip_route:  # its skip_to, or the goto of its `skip: true` choice, without effects
                self.machine.add_transition(SKIP, scene.id, scene.skip_route, before=[_mark_skipping])

    def _guard(self, choice: Choice) -> Callable:
        condition = choice.condition
        if condition is None:
            return lambda event: True
        return lambda event: condition(event.model)

    def _effects(self, choice: Choice) -> Callable:
        story = self.story
        effects = choice.effects
        remember = choice.remember

        def run(event) -> None:
            model: Playthrough = event.model
            model.apply(effects, story)
            model.after_effects = dict(model.meters)  # before the next scene's on_enter
            if remember:
                model.remembered.append(remember)

        return run

    def _enter_callback(self, scene: Scene) -> Callable:
        story = self.story
        effects = scene.on_enter
        scene_id = scene.id

        def enter(event) -> None:
            model: Playthrough = event.model
            model.visits[scene_id] = model.visits.get(scene_id, 0) + 1
            model.apply(effects, story, meters=not model.skipping)
            model.skipping = False

        return enter

    def enter_start(self, model: Playthrough) -> None:
        """Run the first scene's entry, which a machine does not do for its initial state."""
        scene = self.story.scenes[model.state]
        model.visits[scene.id] = model.visits.get(scene.id, 0) + 1
        model.apply(scene.on_enter, self.story)

    def choose(self, model: Playthrough, choice: Choice) -> bool:
        """Fire the choice's transition; False when its guard refused."""
        return self.machine.events[TRIGGERS[choice.index]].trigger(model)

    def skip(self, model: Playthrough) -> bool:
        return self.machine.events[SKIP].trigger(model) if SKIP in self.machine.events else False


def _mark_skipping(event) -> None:
    event.model.skipping = True


def machine_for(story: Story) -> StoryMachine:
    """The story's machine, built once and reused across playthroughs.

    It is kept in the story object's own dictionary (the way `functools.cached_property` keeps
    values on frozen dataclasses), so it lives and dies with the story.
    """
    machine = story.__dict__.get("_engine_machine")
    if machine is None:
        with gc_paused():
            machine = StoryMachine(story)
        story.__dict__["_engine_machine"] = machine
    return machine
