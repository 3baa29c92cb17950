"""What a student's browser may send, checked before anything is kept.

A summary is rebuilt from the story rather than trusted: every scene and choice must be in the
story the page was made from (same id and content hash), tags and ending titles come from the
story file, meters are whole numbers in their range, free text is bounded and cleaned of control
characters, and the times are the server's own, rounded to the minute. Unknown keys are dropped.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

from game.classroom.session import SUMMARY_FORMAT, SUMMARY_KIND, minute, summary_problem
from game.classroom.server.state import MAX_MESSAGE, MAX_PLACE, STAGES
from game.engine import STEPPED_AWAY
from game.safe_json import BadJSON, loads_bounded
from game.safe_text import clean
from game.story.model import Story

MAX_BODY = 64 * 1024
MAX_STEPS = 2000  # choices (or locks) in one summary; the longest bundled story needs under 60
MAX_ANSWER = 2000  # characters in one shared reflection answer
MAX_MOVES = 100_000


class BadBody(ValueError):
    """A request body the server will not use; the message goes back as `{"error": ...}`."""


def clean_line(text: str, limit: int) -> str:
    """One line of untrusted text (game.safe_text), whitespace collapsed, at most `limit` characters."""
    return " ".join(clean(text, newlines=False, tabs=False).split())[:limit]


def clean_text(text: str, limit: int) -> str:
    """Untrusted text that may keep its line breaks."""
    lines = [" ".join(line.split()) for line in clean(text).split("\n")]
    return "\n".join(lines).strip()[:limit]


def parse_json(raw: bytes) -> dict:
    """A request body as a JSON object (bounded by game.safe_json: size, depth, finite numbers)."""
    if len(raw) > MAX_BODY:
        raise BadBody("the request is too large")
    try:
        data = loads_bounded(raw, max_bytes=MAX_BODY)
    except BadJSON as exc:
        raise BadBody(f"the request is not JSON this server takes: {exc}") from None
    if not isinstance(data, dict):
        raise BadBody("the request should be a JSON object")
    return data


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def checked_progress(data: dict) -> tuple[str, str, int]:
    stage, place, moves = data.get("stage"), data.get("place", ""), data.get("moves", 0)
    if stage not in STAGES:
        raise BadBody(f"'stage' should be one of {', '.join(STAGES)}")
    if not isinstance(place, str) or len(place) > 4 * MAX_PLACE:
        raise BadBody(f"'place' should be a place name of at most {MAX_PLACE} characters")
    if not _whole(moves) or not 0 <= moves <= MAX_MOVES:
        raise BadBody("'moves' should be a whole number")
    return stage, clean_line(place, MAX_PLACE), moves


def checked_message(data: dict) -> tuple[str | None, bool]:
    """The facilitator's message (or None) and whether to end the session."""
    end, text = data.get("end", False), data.get("text")
    if not isinstance(end, bool):
        raise BadBody("'end' should be true or false")
    if text is not None and not isinstance(text, str):
        raise BadBody("'text' should be text")
    text = clean_line(text, MAX_MESSAGE) if text else None
    if not end and not text:
        raise BadBody("send a message ('text') or end the session ('end': true)")
    return text, end


def checked_summary(data: object, story: Story, joined: datetime) -> dict:
    """The summary to write, rebuilt from `story`; BadBody says why it cannot be used."""
    problem = summary_problem(data)
    if problem:
        raise BadBody(problem)
    assert isinstance(data, dict)
    if data["story_id"] != story.id:
        raise BadBody(f"this session plays '{story.id}', not '{data['story_id']}'")
    if data["story_hash"] != story.content_hash:
        raise BadBody("the page was made from another version of the story; reload it")
    choices, locked = data["choices"], data.get("locked", [])
    if len(choices) > MAX_STEPS or len(locked) > MAX_STEPS:
        raise BadBody("the summary has more steps than a session can take")
    return {
        "kind": SUMMARY_KIND,
        "format": SUMMARY_FORMAT,
        "session": "",  # the writer puts the session's own id here
        "story_id": story.id,
        "story_hash": story.content_hash,
        "started": minute(joined),
        "finished": minute(datetime.now(timezone.utc)),
        "completed": bool(data.get("completed", False)),
        "opted_out": bool(data.get("opted_out", False)),
        "ending": _ending(data.get("ending"), story),
        "stopped_at": _scene(data.get("stopped_at"), story, "stopped_at", optional=True),
        "choices": [_step(step, story) for step in choices],
        "locked": _locked(locked, story),
        "meters": _meters(data.get("meters", {}), story),
        "reflection": _reflection(data.get("reflection"), story),
    }


def _scene(scene_id: object, story: Story, what: str, *, optional: bool = False) -> str | None:
    if scene_id is None and optional:
        return None
    if not isinstance(scene_id, str) or scene_id not in story.scenes:
        raise BadBody(f"'{what}' names a scene that is not in the story")
    return scene_id


def _step(step: dict, story: Story) -> dict:
    scene = _scene(step["scene"], story, "choices")
    if step.get("skip") is True:
        return {"scene": scene, "skip": True}
    choice = story.choice(step["choice"])
    if choice is None or choice.scene != scene:
        raise BadBody("a choice is not in the story")
    return {"scene": scene, "choice": choice.id, "tags": list(choice.tags)}


def _locked(locked: list, story: Story) -> list[dict]:
    seen, result = set(), []
    for lock in locked:
        scene = _scene(lock["scene"], story, "locked")
        choice = story.choice(lock["choice"])
        if choice is None or choice.scene != scene:
            raise BadBody("a locked choice is not in the story")
        if (scene, choice.id) not in seen:
            seen.add((scene, choice.id))
            result.append({"scene": scene, "choice": choice.id})
    return result


def _meters(meters: dict, story: Story) -> dict[str, list[int]]:
    result = {}
    for name, path in meters.items():
        meter = story.meters.get(name)
        if meter is None:
            raise BadBody("a meter is not in the story")
        if len(path) > MAX_STEPS + 1:
            raise BadBody("a meter has more values than a session can take")
        if not all(_whole(v) or (isinstance(v, float) and math.isfinite(v) and v.is_integer()) for v in path):
            raise BadBody("meters should be whole numbers")
        values = [int(v) for v in path]
        if any(not meter.min <= v <= meter.max for v in values):
            raise BadBody(f"a value of '{name}' is outside its range")
        result[name] = values
    return result


def _ending(ending: object, story: Story) -> dict | None:
    if ending is None:
        return None
    assert isinstance(ending, dict)
    scene_id = _scene(ending.get("scene"), story, "ending")
    scene = story.scenes[scene_id]
    if scene.ending is not None:
        return {"scene": scene_id, "title": scene.ending.title, "tone": scene.ending.tone}
    if ending.get("title") == STEPPED_AWAY.title:
        return {"scene": scene_id, "title": STEPPED_AWAY.title, "tone": STEPPED_AWAY.tone}
    raise BadBody("the ending is not one of the story's endings")


def _reflection(answers: object, story: Story) -> list[str] | None:
    if answers is None:
        return None
    assert isinstance(answers, list)
    if len(answers) > max(len(story.debrief), 1):
        raise BadBody("the reflection has more answers than the story has questions")
    if any(len(answer) > 4 * MAX_ANSWER for answer in answers):
        raise BadBody(f"a reflection answer is longer than {MAX_ANSWER} characters")
    cleaned = [clean_text(answer, MAX_ANSWER) for answer in answers]
    return cleaned if any(cleaned) else None
