"""One `transitions` state machine per story, shared by every playthrough of it.

Scenes are states. Each choice is a transition on one of nine triggers, `choose_0`..`choose_8`
(its position in the scene). The machine decides nothing itself: its guard asks whether the rules
core offered the choice open (`Live.offers`, computed once per state by `rules.offered`), its
`before` callback is `rules.take` (the choice's effects) and each scene's `on_enter` is
`rules.enter`. "Skip this scene" is a `skip` transition along the scene's skip route (`skip_to`, or its `skip: true` choice's goto).

The machine holds no model: each live game's `Live` is passed to `Event.trigger` directly, the
shared, model-less pattern from the `transitions` FAQ, so starting a playthrough costs nothing.
"""

from __future__ import annotations

from typing import Callable

from game.engine import rules
from game.engine.rules import Option, State
from game.story.load import gc_paused
from game.story.model import Choice, Scene, Story

TRIGGERS = tuple(f"choose_{i}" for i in range(9))
SKIP = "skip"


class Live:
    """What the machine moves for one game: `state` is the scene id (the attribute `transitions`
    reads and sets), `current` the rules core's state, `offers` what that state offers."""

    __slots__ = ("state", "current", "offers", "middle", "skipping")

    def __init__(self, current: State, offers: tuple[Option, ...]):
        self.state = current.scene
        self.current = current
        self.offers = offers
        self.middle: State | None = None  # after a choice's effects, before the next scene's entry
        self.skipping = False

    def allows(self, choice: Choice) -> bool:
        for option in self.offers:
            if option.choice is choice:
                return option.available
        return False


class StoryMachine:
    def __init__(self, story: Story):
        from transitions import Machine, State as MachineState  # on first use: the title screen needs none

        self.story = story
        states = [MachineState(scene.id, on_enter=[self._enter_callback(scene)]) for scene in story.scenes.values()]
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
            if scene.skip_route:
                self.machine.add_transition(SKIP, scene.id, scene.skip_route, before=[_mark_skipping])

    @staticmethod
    def _guard(choice: Choice) -> Callable:
        return lambda event: event.model.allows(choice)

    def _effects(self, choice: Choice) -> Callable:
        story = self.story

        def run(event) -> None:
            live: Live = event.model
            live.current = live.middle = rules.take(story, live.current, choice)

        return run

    def _enter_callback(self, scene: Scene) -> Callable:
        story = self.story
        scene_id = scene.id

        def enter(event) -> None:
            live: Live = event.model
            live.current = rules.enter(story, live.current, scene_id, skipped=live.skipping)
            live.skipping = False

        return enter

    def choose(self, live: Live, choice: Choice) -> bool:
        """Fire the choice's transition; False when its guard refused."""
        return self.machine.events[TRIGGERS[choice.index]].trigger(live)

    def skip(self, live: Live) -> bool:
        return self.machine.events[SKIP].trigger(live) if SKIP in self.machine.events else False


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
