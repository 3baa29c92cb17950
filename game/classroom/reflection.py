"""A student's optional reflection: answers to the story's debrief questions.

It belongs to the student. It lives in memory, can be exported to a Markdown file where the
student says, and goes into the class summary only when the student ticks "share my reflection".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from game.safe_text import clean
from game.story.model import Story

MAX_ANSWER = 4000  # characters of one answer kept (the summary has a size limit)


@dataclass(slots=True)
class Reflection:
    story_id: str
    title: str
    questions: tuple[str, ...]
    answers: list[str] = field(default_factory=list)
    ending: str | None = None

    @classmethod
    def for_story(cls, story: Story, ending: str | None = None) -> "Reflection":
        return cls(story.id, story.title, tuple(story.debrief), [""] * len(story.debrief), ending)

    def answer(self, index: int, text: str) -> None:
        """Keep a student's answer, cleaned of control characters (it may reach the class's screen)."""
        self.answers[index] = clean(text[:MAX_ANSWER]).strip()

    @property
    def written(self) -> bool:
        """True once any answer has words in it."""
        return any(a.strip() for a in self.answers)

    def shared_answers(self) -> list[str]:
        """The answers as the class summary keeps them (aligned with the questions)."""
        return [a.strip() for a in self.answers]

    def markdown(self, when: datetime | None = None) -> str:
        """The reflection as a small Markdown document the student can keep."""
        when = when or datetime.now()
        lines = [f"# {self.title}: my reflection", "", f"_{when:%d %B %Y}_", ""]
        if self.ending:
            lines += [f"Ending reached: {self.ending}", ""]
        for question, answer in zip(self.questions, self.answers):
            lines += [f"## {question}", "", answer.strip() or "_(left blank)_", ""]
        return "\n".join(lines).rstrip() + "\n"

    def default_filename(self) -> str:
        return f"reflection-{self.story_id}-{datetime.now():%Y%m%d-%H%M}.md"

    def export(self, path: str | Path) -> Path:
        """Write the Markdown to `path`, never over an existing file (FileExistsError)."""
        path = Path(path).expanduser()
        if path.is_dir():
            path = path / self.default_filename()
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(self.markdown())
        return path
