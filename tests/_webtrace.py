"""The Python side of the web conformance suite: traces of playthroughs through the public `Game`
API, in the shape tests/web_trace.js builds from the web runtime, and the moves to play.

Only `game.engine` (the public API) is used here, so the engine's internals can change freely.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path


from game.engine import ChoiceLocked, Game, GameError, NoSuchChoice, GameOver, journal


def _changes(changes) -> list:
    return [[meter.name, before, after] for meter, before, after in changes]


def _state(game: Game) -> dict:
    ending = game.ending
    return {
        "scene": game.scene_id,
        "text": game.paragraphs(),
        "thought": game.thought,
        "options": [[o.number, o.id, o.text, o.available, o.locked_reason] for o in game.options()],
        "meters": game.meters,
        "flags": sorted(game.flags),
        "visits": [list(item) for item in sorted(game.visits.items())],
        "remembered": list(game.remembered),
        "over": game.is_over,
        "ending": None if ending is None else [ending.title, ending.tone, ending.support],
        "can_undo": game.can_undo,
    }


def _error_kind(exc: GameError) -> str:
    if isinstance(exc, ChoiceLocked):
        return "locked"
    if isinstance(exc, NoSuchChoice):
        return "no-such-choice"
    if isinstance(exc, GameOver):
        return "over"
    return "game"


def trace(story, moves, *, with_journal: bool = True) -> list[dict]:
    """Play `moves` (choice ids, "skip" or "undo") and record the state after every one."""
    given = iter(moves)
    return _play(story, lambda game: next(given, None), with_journal)[1]


def _play(story, next_move, with_journal: bool) -> tuple[list[str], list[dict]]:
    """Play the moves `next_move(game)` gives until it gives None; returns (moves, trace)."""
    game = Game(story)
    out = [_state(game)]
    moves: list[str] = []
    while (move := next_move(game)) is not None:
        moves.append(move)
        try:
            if move == "skip":
                outcome = game.skip()
            elif move == "undo":
                out.append({"undone": game.undo(1)})
                continue
            else:
                outcome = game.choose(move)
        except GameError as exc:
            out.append({"error": _error_kind(exc)})
            continue
        entry = _state(game)
        entry["outcome"] = [outcome.remembered, _changes(outcome.changes), _changes(outcome.arrival), outcome.ended]
        out.append(entry)
    end = {
        "record": game.record(),
        "meter_history": game.meter_history(),
        "locked_met": [[lock.scene, lock.choice_id, lock.text, lock.reason] for lock in game.locked_met()],
    }
    if with_journal:
        end["journal"] = [[e.scene, list(e.paragraphs), e.thought, None if e.step is None else e.step.kind]
                          for e in journal(game)]
    out.append(end)
    return moves, out


def random_playthrough(story, seed: int, *, limit: int = 120, with_journal: bool = True):
    """A seeded random playthrough, traced as it is played: mostly open choices, sometimes a skip,
    an undo, or a try at a locked choice (which both engines must refuse), to an ending or `limit`
    moves; one in five then undoes twice from the ending. Returns (moves, trace)."""
    rng = random.Random(f"{story.id}:{seed}")
    made = [0]
    tail: list[str] = []

    def next_move(game):
        if tail:
            return tail.pop()
        if game.is_over or made[0] >= limit:
            if made[0] <= limit and game.is_over and game.can_undo and rng.random() < 0.2:
                made[0] = limit + 1
                tail.append("undo")
                return "undo"
            return None
        made[0] += 1
        roll = rng.random()
        options = game.options()
        if roll < 0.05 and game.can_undo:
            return "undo"
        if roll < 0.09:
            return "skip"
        locked = [o.id for o in options if not o.available]
        if roll < 0.13 and locked:
            return rng.choice(locked)
        open_ = [o.id for o in options if o.available]
        return rng.choice(open_) if open_ else "skip"

    return _play(story, next_move, with_journal)


def recorded_moves(path: Path, story) -> list[str]:
    """The moves of a recorded playthrough (stories/tests/...), as choice ids and "skip", as
    `understood test` makes them."""
    from game.tools.playthrough import run_file

    result = run_file(path, story=story)
    if not result.passed:
        raise AssertionError("\n".join(f.format() for f in result.failures))
    return result.moves


def random_states(story, per_scene: int, seed: int = 7) -> list[dict]:
    """States to read every scene's text in: visits 0 to 5, meters anywhere in range, any flags."""
    rng = random.Random(seed)
    scene_ids = list(story.scenes)
    states = []
    for scene_id in scene_ids:
        for n in range(per_scene):
            visits = {s: rng.randint(0, 3) for s in scene_ids if rng.random() < 0.5}
            visits[scene_id] = n % 6
            states.append({
                "story": story.id, "scene": scene_id,
                "meters": {m.name: rng.randint(m.min, m.max) for m in story.meters.values()},
                "flags": sorted(f for f in story.flags if rng.random() < 0.5),
                "visits": visits,
            })
    return states


def render_scene(story, state: dict) -> dict:
    """Every text of a scene read in `state`, by the Python renderer (game/engine/text.py)."""
    from types import SimpleNamespace

    from game.engine.text import Context, shown

    view = SimpleNamespace(meters=state["meters"], flags=set(state["flags"]), visits=state["visits"])
    context = Context(view, story.id, state["scene"])
    scene = story.scenes[state["scene"]]

    def listed(parts, present=True):
        return shown(parts, context) if present else None

    return {
        "text": listed(scene.text),
        "thought": listed(scene.thoughts, bool(scene.thoughts)),
        "choices": [[listed(c.texts), listed(c.lockeds, bool(c.lockeds)), listed(c.remembers, bool(c.remembers))]
                    for c in scene.choices],
        "ending": None if scene.ending is None else listed(scene.ending.titles),
    }


def digest(trace_: list) -> str:
    """The SHA-1 of a trace's compact JSON: the same bytes JSON.stringify writes in the driver."""
    text = json.dumps(trace_, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
