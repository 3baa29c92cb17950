"""The hostile-input generator: every kind of file and text the hardening issue found dangerous.

Used by the hostile-input suite (tests/test_hostile_input.py) and by bench/probe_report.py, which
measures the report over a folder of every hostile file.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

# Text a person or a file could hold, each aimed at a terminal or a parser.
TEXT_ATTACKS = {
    "osc52-clipboard": "\x1b]52;c;ZWNobyBwd25lZAo=\x07",
    "osc0-title": "\x1b]0;owned\x1b\\",
    "clear-screen": "\x1b[2J\x1b[H",
    "osc8-link": "\x1b]8;;http://example.invalid/\x1b\\click\x1b]8;;\x1b\\",
    "hidden-blink": "\x1b[8m\x1b[5mhidden",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;title\x9c",
    "bidi": "\u202eevil\u202c\u2066x\u2069",
    "controls": "\x00\x07\x08\x0b\x0c\r\x7f",
}
ALL_ATTACKS = "".join(TEXT_ATTACKS.values())
HUGE_DIGITS = "9" * 5000
DEEP = "[" * 200_000


def summary(session: str = "a1b2c3d4e5f6", **changes) -> dict:
    """A valid summary of the demo story (first choice, then stopped), with `changes` applied."""
    data = {
        "kind": "understood-summary", "format": 1, "session": session, "story_id": "demo",
        "story_hash": "0" * 64, "started": "2026-01-01T10:00Z", "finished": "2026-01-01T10:05Z",
        "completed": False, "opted_out": False, "ending": None, "stopped_at": "tailgate",
        "choices": [{"scene": "van", "choice": "van.1", "tags": ["reach"]}], "locked": [],
        "meters": {"nerve": [3, 4]}, "reflection": None,
    }
    data.update(changes)
    return data


def write_hostile_folder(folder: Path, *, with_special: bool = True) -> dict[str, str]:
    """Fill `folder` with every hostile file; returns {file name: what it is}. One good summary
    (with a BOM) and one summary full of escape sequences are among them: both are readable."""
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}

    def put(name: str, what: str, content: str | bytes) -> None:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        made[name] = what

    put("huge-number.json", "a 5,000-digit number",
        json.dumps(summary("b1"))[:-1] + ', "extra": ' + HUGE_DIGITS + "}")
    put("huge-meter.json", "a 5,000-digit meter value",
        json.dumps(summary("b2")).replace('"nerve": [3, 4]', '"nerve": [3, ' + HUGE_DIGITS + "]"))
    put("deep.json", "[ nested 200,000 deep", DEEP)
    put("nan.json", "NaN meters", json.dumps(summary("b3", meters={"nerve": [float("nan"), 1]})))
    put("infinity.json", "Infinity meters", json.dumps(summary("b4", meters={"nerve": [float("inf")]})))
    put("big-float.json", "1e308 meters", json.dumps(summary("b5", meters={"nerve": [1e308, -1e308]})))
    put("bom.json", "a summary with a UTF-8 BOM (readable)", b"\xef\xbb\xbf" + json.dumps(summary("c1")).encode())
    put("escapes.json", "a summary full of escape sequences (readable, cleaned)", json.dumps(summary(
        "c2", completed=True, stopped_at=None, ending={"scene": "end", "title": "End " + ALL_ATTACKS, "tone": "warm"},
        reflection=[ALL_ATTACKS + " my answer"], meters={"nerve" + ALL_ATTACKS: [1, 2]},
        choices=[{"scene": "van" + ALL_ATTACKS, "choice": "van.1" + ALL_ATTACKS, "tags": [ALL_ATTACKS]}])))
    put("path-story.json", "a story id that is a path", json.dumps(summary("b6", story_id="../../etc/passwd")))
    put("big.json", "a file over the size limit", b" " * (2 * 1024 * 1024))
    put("not-utf8.json", "bytes that are not UTF-8", b"\xff\xfe\x00\x9b2J")
    put("\x1b]0;owned\x07name.json", "a file name holding an escape sequence (a summary: readable)", json.dumps(summary("b7")))
    (folder / "folder.json").mkdir(exist_ok=True)
    made["folder.json"] = "a folder named like a summary"
    if with_special:
        os.mkfifo(folder / "fifo.json")
        made["fifo.json"] = "a FIFO (reading it would hang)"
        (folder / "zero.json").symlink_to("/dev/zero")
        made["zero.json"] = "a link to an endless device"
        (folder / "urandom.json").symlink_to("/dev/urandom")
        made["urandom.json"] = "a link to an endless device"
        outside = folder.parent / f"{folder.name}-outside.json"
        outside.write_text(json.dumps(summary("d1")))
        (folder / "outside.json").symlink_to(outside)
        made["outside.json"] = "a link out of the folder"
        (folder / "dangling.json").symlink_to(folder / "nowhere")
        made["dangling.json"] = "a link to nothing"
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(str(folder / "socket.json"))
            made["socket.json"] = "a socket"
        except OSError:
            pass
        finally:
            sock.close()
    return made


READABLE = {"bom.json", "escapes.json", "\x1b]0;owned\x07name.json"}  # summaries, read and cleaned


# --- files for every other reader ---------------------------------------------------------------

def special_files(folder: Path, suffix: str) -> dict[str, Path]:
    """A FIFO, a link to an endless device and a folder, each named like a file of `suffix`."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    fifo = folder / f"fifo{suffix}"
    os.mkfifo(fifo)
    made["fifo"] = fifo
    zero = folder / f"zero{suffix}"
    zero.symlink_to("/dev/zero")
    made["endless device"] = zero
    directory = folder / f"folder{suffix}"
    directory.mkdir()
    made["folder"] = directory
    return made


def hostile_json_documents() -> dict[str, bytes]:
    """JSON that breaks naive readers: numbers, nesting, constants, size, BOM, bytes, escapes."""
    return {
        "huge number": b'{"format": ' + HUGE_DIGITS.encode() + b"}",
        "deep nesting": DEEP.encode(),
        "NaN": b'{"format": NaN, "theme": NaN}',
        "Infinity": b'{"format": Infinity}',
        "1e308": b'{"format": 1e308}',
        "BOM": b"\xef\xbb\xbf{}",
        "not UTF-8": b"\xff\xfe\x00\x9b2J",
        "escapes": json.dumps({"kind": ALL_ATTACKS, "theme": ALL_ATTACKS, "story_title": ALL_ATTACKS}).encode(),
        "empty": b"",
        "huge": b" " * (5 * 1024 * 1024),
    }


def hostile_save(story_id: str = "tiny") -> dict:
    """A save whose every text field is an attack (a save file is as untrusted as a story)."""
    return {
        "kind": "understood-save", "format": 1, "slot": "x", "story_id": story_id, "story_hash": "0" * 64,
        "story_title": "Title " + ALL_ATTACKS, "saved_at": "2026-01-01" + ALL_ATTACKS, "scene": "dinner",
        "excerpt": "Excerpt " + ALL_ATTACKS, "moves": [], "state": {"x": ALL_ATTACKS}, "start": None,
        "overrides": {}, "ended": False,
    }
