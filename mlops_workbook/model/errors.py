"""Problems written for the person who edits the content: file, place, what, fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file.

    ``where`` names the field or question id (``questions[3] aws.data.x: level``);
    ``fix`` tells the editor what to do about it. ``severity`` is ``"error"`` (the file
    cannot be used) or ``"warning"`` (it loads, but something deserves a look).
    """

    file: str
    where: str
    what: str
    fix: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        text = f"{place}: {self.what}"
        if self.fix:
            text += f" -> {self.fix}"
        return text if self.severity == "error" else f"warning: {text}"


class WorkbookError(Exception):
    """Raised with every problem found in one go, never one at a time."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def display_name(path: str | Path) -> str:
    """A path as the user typed or recognises it: relative to the cwd when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
