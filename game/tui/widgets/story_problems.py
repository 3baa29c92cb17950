"""A story's errors as the compiler prints them: `path:line:col: error: message`, with hints."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from game.story import StoryError


def problems_text(errors: list[StoryError] | tuple[StoryError, ...]) -> Content:
    rows = []
    for error in errors:
        head, _, hint = error.format().partition("\n")
        style = "bold $error" if error.severity == "error" else "bold $warning"
        rows.append(Content.assemble((head, style), ("\n" + hint if hint else "", "$text-muted")))
    return Content("\n").join(rows)


class StoryProblems(Static):
    DEFAULT_CSS = """
    StoryProblems {
        height: auto;
        width: 100%;
    }
    """

    def show(self, errors: list[StoryError] | tuple[StoryError, ...]) -> None:
        self.update(problems_text(errors))
