"""The web player as one self-contained HTML document: runtime, player, styles and story inline.

The contract with the class server is docs/web-protocol.md. Story data and settings travel as
JSON in `<script type="application/json">` elements (never as script code), with `<`, `>` and
`&` escaped so no story text can close the element. A Content-Security-Policy pins the page's
own script and style by hash; without a server it also forbids every network request.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import lru_cache
from importlib import resources

from game.story.compiled import to_data
from game.story.model import Story

_HERE = "game.web"
_SLOT = re.compile(r"@@([A-Z]+)@@")


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files(_HERE).joinpath(name).read_text(encoding="utf-8")


def _json_for_script(value) -> str:
    """JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _support() -> dict:
    from game.support import load_support

    support = load_support()
    return {"intro": support.intro, "emergency": support.emergency, "checked": support.last_checked,
            "lines": [{"name": line.name, "region": line.region, "contact": line.contact, "note": line.note}
                      for line in support.lines]}


def build_page(story: Story, *, classroom: str | None = None, server: dict | None = None) -> str:
    """One HTML document that plays `story`.

    `classroom`: the class name (content notes with "sit this one out", and the anonymous summary
    offered as a file at the ending, unless a server takes it). `server`: `{"api": "/api",
    "join": code or None}` to talk to the class server; without it the page makes no request.
    """
    script = _asset("runtime.js") + "\n" + _asset("player.js")
    style = _asset("player.css")
    if "</script" in script.lower() or "</style" in style.lower():
        raise ValueError("the player's own code must not close its element")
    connect = "'self'" if server is not None else "'none'"
    csp = "; ".join([
        "default-src 'none'", f"script-src {_sha256(script)}", f"style-src {_sha256(style)}",
        "img-src data:", f"connect-src {connect}", "base-uri 'none'", "form-action 'none'",
    ])
    from game.story.names import place_name

    places = {scene_id: place_name(scene) for scene_id, scene in story.scenes.items()}
    config = {"classroom": classroom, "support": _support(), "storage": "understood", "places": places}
    server_element = ""
    if server is not None:
        server_element = ('<script type="application/json" id="understood-server">'
                          + _json_for_script({"api": server.get("api", "/api"), "join": server.get("join")})
                          + "</script>\n")
    slots = {
        "CSP": html.escape(csp), "TITLE": html.escape(story.title), "STYLE": style, "SCRIPT": script,
        "STORY": _json_for_script(to_data(story)), "CONFIG": _json_for_script(config), "SERVER": server_element,
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("page.html"))
