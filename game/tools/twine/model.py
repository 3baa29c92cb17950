"""The pieces an import passes around: passages as read, the nodes a passage's text parses into,
and the notes that make up the report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Note:
    """One thing the report tells the writer: where in the Twine file, what kind of thing, and what.

    `kind` groups the report ("macro <<for>>", "string variable"); `severity` is "warning" when
    something was lost or changed, "note" for a decision the writer should check."""

    line: int
    passage: str
    kind: str
    detail: str
    severity: str = "warning"

    @property
    def message(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind

    def format(self, path: str) -> str:
        where = f" (passage '{self.passage}')" if self.passage else ""
        return f"{path}:{self.line}:1: {self.severity}: {self.message}{where}"


@dataclass
class Passage:
    name: str
    tags: list[str]
    line: int                       # the header's line
    lines: list[tuple[int, str]]    # content: (line number, text)
    metadata: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)

    @property
    def first_line(self) -> int:
        return self.lines[0][0] if self.lines else self.line + 1


# --- what a passage's text parses into (both story formats share these) ----------------------------


@dataclass
class Text:
    text: str
    line: int


@dataclass
class Newline:
    line: int


@dataclass
class Link:
    """`[[text->target]]` and its kin; `setter` is SugarCube's `[[text|target][$x to 1]]`."""
    text: str
    target: str
    line: int
    setter: str = ""


@dataclass
class SetMacro:
    """`<<set …>>`, `(set: …)`, `(put: …)`: the assignments, as written."""
    parts: list[str]
    line: int
    code: str


@dataclass
class Branch:
    condition: str | None        # None: the else branch
    body: list
    line: int
    code: str


@dataclass
class IfChain:
    branches: list[Branch]
    line: int

    @property
    def closed(self) -> bool:
        return bool(self.branches) and self.branches[-1].condition is None


@dataclass
class Print:
    expr: str
    line: int
    code: str


@dataclass
class Goto:
    target: str
    line: int
    code: str


@dataclass
class Include:
    target: str
    line: int
    code: str


@dataclass
class LinkAction:
    """A link with a body: `<<link "x">>…<</link>>`, `(link: "x")[…]`; `target` when the macro names one."""
    text: str
    target: str | None
    body: list
    line: int
    code: str


@dataclass
class Restart:
    line: int
    code: str


@dataclass
class Code:
    """Something with no equivalent here; `kind` names it for the report."""
    code: str
    kind: str
    line: int
    detail: str = ""
    severity: str = "warning"
