"""Reading a Twine 2 published story (HTML with `<tw-storydata>` and `<tw-passagedata>`).

Twine 2's archive and publish formats (twine-specs, twine-2-htmloutput-spec.md): the story's
name, start passage (by pid), format and IFID are attributes of `<tw-storydata>`; each passage is
a `<tw-passagedata pid name tags>` whose text is HTML-escaped; the story's JavaScript and CSS are
`<script type="text/twine-javascript">` and `<style type="text/twine-css">`. The standard
library's HTML parser reads it (no code runs); line numbers are those of the HTML file."""

from __future__ import annotations

from html.parser import HTMLParser

from game.tools.twine.model import Passage


def is_twine_html(text: str) -> bool:
    return "<tw-storydata" in text[:2_000_000].lower()


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.story: dict = {}
        self.passages: list[tuple[dict, int, list[str]]] = []
        self.scripts: list[tuple[int, list[str]]] = []
        self._into: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        line = self.getpos()[0]
        if tag == "tw-storydata" and not self.story:
            self.story = values
        elif tag == "tw-passagedata":
            self._into = []
            self.passages.append((values, line, self._into))
        elif tag == "script" and values.get("type", "").lower() == "text/twine-javascript":
            self._into = []
            self.scripts.append((line, self._into))

    def handle_endtag(self, tag):
        if tag in ("tw-passagedata", "script"):
            self._into = None

    def handle_data(self, data):
        if self._into is not None:
            self._into.append(data)


def parse_html(text: str) -> tuple[list[Passage], dict, str]:
    """(passages, story data with Twee's key names, title)."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    story = reader.story
    passages: list[Passage] = []
    start = ""
    for values, line, parts in reader.passages:
        body = "".join(parts)
        lines = [(line + n, raw) for n, raw in enumerate(body.split("\n"))]
        while lines and not lines[-1][1].strip():
            lines.pop()
        passage = Passage(values.get("name", "").strip(), values.get("tags", "").split(), line, lines)
        if values.get("pid") and values.get("pid") == story.get("startnode"):
            start = passage.name
        passages.append(passage)
    for line, parts in reader.scripts:
        code = "".join(parts)
        if code.strip():
            passages.append(Passage("Story JavaScript", ["script"], line,
                                    [(line + n, raw) for n, raw in enumerate(code.split("\n"))]))
    data = {"ifid": story.get("ifid", ""), "format": story.get("format", ""),
            "formatversion": story.get("format-version", ""), "start": start}
    return passages, {k: v for k, v in data.items() if v}, story.get("name", "")
