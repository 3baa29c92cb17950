"""`understood check` as a library: loader errors, then reachable-state analysis, then lint.

Loader errors come first and stop the rest (there is no story to explore). A story that loads
is explored once; the analysis and the lint warnings share that exploration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.story import Story, StoryError, check_file
from game.story.load import check_source
from game.tools.analysis import analyse
from game.tools.continuity import continuity
from game.tools.explore import DEFAULT_MAX_STATES, Exploration, explore
from game.tools.lint import lint
from game.tools.promises import unkept_promises
from game.tools.silence import silenced
from game.tools.source import Sources


@dataclass
class FileReport:
    path: Path
    story: Story | None
    diagnostics: list[StoryError] = field(default_factory=list)
    exploration: Exploration | None = None

    @property
    def errors(self) -> list[StoryError]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[StoryError]:
        return [d for d in self.diagnostics if d.severity != "error"]


def check_story(path: str | Path, *, max_states: int = DEFAULT_MAX_STATES, analysis: bool = True,
                warnings: bool = True, text: str | None = None) -> FileReport:
    """Every problem in one story file, errors and warnings, in file order.

    `text`, when given, is the file's content as an editor holds it (unsaved, perhaps): it is
    checked instead of the file on disk (the language server, game/lsp)."""
    path = Path(path)
    story, problems = check_file(path) if text is None else check_source(path, text)
    report = FileReport(path, story, list(problems))
    if story is None or not analysis:
        return report
    sources = Sources.of_story(story, main_text=text)
    found_states = report.exploration = explore(story, max_states=max_states)
    found = analyse(story, found_states, sources)
    found += [d for d in lint(story, sources) if warnings or d.severity == "error"]
    if found_states.complete:
        found += unkept_promises(story, found_states.choices_taken, sources)
        found += continuity(story, found_states.scenes_reached, sources)
    found = silenced(found, sources)
    if not warnings:
        found = [d for d in found if d.severity == "error"]
    report.diagnostics = sorted(report.diagnostics + found, key=lambda e: (e.path != str(path), e.path, e.line, e.col, e.severity, e.code))
    return report
