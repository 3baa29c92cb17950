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
from game.story.model import Choice, Scene, Story

TRIGGERS = tuple(f"choose_{i}" for i in range(9))
SKIP = "skip"


class Live:
    """What the machine moves for one game: `state` is the scene id (the attribute `transitions`
    reads and sets), `current` the rules core's state, `offers` what that state offers."""

    __slots__ = ("state", "current", "offers", "middle", "skipping", "event_data")

    def __init__(self, current: State, offers: tuple[Option, ...]):
        self.state = current.scene
        self.current = current
        self.offers = offers
        self.middle: State | None = None  # after a choice's effects, before the next scene's entry
        self.skipping = False
        self.event_data = None  # the transitions EventData this game's moves reuse (see StoryMachine.fire)

    def allows(self, choice: Choice) -> bool:
        for option in self.offers:
            if option.choice is choice:
                return option.available
        return False


def _machine_classes():
    """The `transitions` classes this engine uses (imported on first use: the title screen needs
    none): a Machine whose states and transitions run their callbacks directly.

    `transitions`' own `State.enter`/`exit` and `Transition.execute` resolve each callback by
    name (a story machine registers callables only) and write a log line per step; with nine
    such calls a move, that was half the cost of a choice. These subclasses do the same steps in
    the same order (prepare, conditions, before, exit, set the state, enter, after), without them.
    """
    global _CLASSES
    if _CLASSES is not None:
        return _CLASSES
    from transitions import Machine, State as MachineState, Transition
    from transitions.core import EventData

    class SceneState(MachineState):
        def enter(self, event_data) -> None:
            for func in self.on_enter:
                func(event_data)

        def exit(self, event_data) -> None:
            for func in self.on_exit:
                func(event_data)

    class MoveTransition(Transition):
        def execute(self, event_data) -> bool:
            machine = event_data.machine
            for func in self.prepare:
                func(event_data)
            for condition in self.conditions:
                if condition.func(event_data) != condition.target:
                    return False
            for func in machine.before_state_change:
                func(event_data)
            for func in self.before:
                func(event_data)
            if self.dest:
                self._change_state(event_data)
            for func in self.after:
                func(event_data)
            for func in machine.after_state_change:
                func(event_data)
            return True

        def _change_state(self, event_data) -> None:
            machine = event_data.machine
            ends = self.__dict__.get("_ends")
            if ends is None:  # a machine's states are only ever added: look its two up once
                ends = self._ends = (machine.states[self.source], machine.states[self.dest])
            source, dest = ends
            if source.on_exit:
                source.exit(event_data)
            setattr(event_data.model, machine.model_attribute, self.dest)  # a scene's state is named by its id
            event_data.state = dest
            dest.enter(event_data)
            if dest.final:
                for func in machine.on_final:
                    func(event_data)

    class SceneMachine(Machine):
        state_cls = SceneState
        transition_cls = MoveTransition

    _CLASSES = (SceneMachine, SceneState, EventData)
    return _CLASSES


_CLASSES = None


class StoryMachine:
    """The story's machine, grown scene by scene: a scene's state and its transitions are added
    the first time a game stands in it (`reach`), so a game of a 5,000-scene story starts as
    soon as its first scene is in, and builds only the scenes players reach."""

    def __init__(self, story: Story):
        Machine, MachineState, EventData = _machine_classes()
        self.story = story
        self._state_class = MachineState
        self._event_data = EventData
        self._states: set[str] = set()      # scenes that are states of the machine
        self._reached: set[str] = set()     # ...whose transitions are in too
        self._moves: dict[str, tuple] = {}  # choice id, or (SKIP, scene id) -> (its Event, its one Transition)
        self.machine = Machine(
            model=None,
            states=[self._state(story.scenes[story.start])],
            initial=story.start,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )
        self._states.add(story.start)

    def _state(self, scene: Scene):
        return self._state_class(scene.id, on_enter=[self._enter_callback(scene)])

    def _add_state(self, scene_id: str) -> None:
        if scene_id not in self._states:
            self.machine.add_state(self._state(self.story.scenes[scene_id]))
            self._states.add(scene_id)

    def reach(self, scene_id: str) -> None:
        """Make sure the scene's state and its transitions (and the states they lead to) exist."""
        if scene_id in self._reached:
            return
        scene = self.story.scenes[scene_id]
        self._add_state(scene_id)
        for choice in scene.choices:
            self._add_state(choice.goto)
            self.machine.add_transition(TRIGGERS[choice.index], scene.id, choice.goto,
                                        conditions=[self._guard(choice)], before=[self._effects(choice)])
            event = self.machine.events[TRIGGERS[choice.index]]
            self._moves[choice.id] = (event, event.transitions[scene.id][-1])
        if scene.skip_route:
            self._add_state(scene.skip_route)
            self.machine.add_transition(SKIP, scene.id, scene.skip_route, before=[_mark_skipping])
            event = self.machine.events[SKIP]
            self._moves[(SKIP, scene.id)] = (event, event.transitions[scene.id][-1])
        self._reached.add(scene_id)

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
        """Fire the choice's transition; False when its guard refused.

        `Transition.execute` (public API) runs exactly what `Event.trigger` would for this choice:
        the guard, the before callback, the exit and entry of states. `Event.trigger` would first
        look the transition up again and wrap it in machine-wide hooks (prepare, finalize,
        exception callbacks, queueing) that this machine does not use; skipping them halves the
        cost of a move.
        """
        if live.state not in self._reached:
            self.reach(live.state)
        return self.fire(live, *self._moves[choice.id])

    def fire(self, live: Live, event, transition) -> bool:
        """Run a transition for one game: what `Event.trigger` does for it, with one `EventData`
        per game, reset for each move (a move never keeps it)."""
        data = live.event_data
        machine = self.machine
        if data is None:
            data = live.event_data = self._event_data(machine.states[live.state], event, machine, live, (), {})
        else:
            data.state, data.event, data.transition, data.error, data.result = \
                machine.states[live.state], event, None, None, False
        data.transition = transition
        return transition.execute(data)

    def skip(self, live: Live) -> bool:
        """Fire the scene's `skip` transition (the same way as `choose`); False when it has none."""
        self.reach(live.state)
        found = self._moves.get((SKIP, live.state))
        if found is None:
            return False
        return self.fire(live, *found)


def _mark_skipping(event) -> None:
    event.model.skipping = True


def machine_for(story: Story) -> StoryMachine:
    """The story's machine, built once and reused across playthroughs.

    It is kept in the story object's own dictionary (the way `functools.cached_property` keeps
    values on frozen dataclasses), so it lives and dies with the story.
    """
    machine = story.__dict__.get("_engine_machine")
    if machine is None:
        machine = story.__dict__["_engine_machine"] = StoryMachine(story)
    return machine
