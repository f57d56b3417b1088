"""The worked example: a read-only session to try the app without writing any file.

`make app` opens each model on its bundled example (team ``Example team``, respondent
``example``). People click around in it before they open their own file; none of that may
end up in a file, least of all in one that looks like somebody's answers. So the example
lives in memory only: answers, notes and targets change what the page shows, never what
is on disk, and starting a round or loading a file asks the person to open their own first.
"""

from __future__ import annotations

from pathlib import Path

from mlops_workbook.app.session import Session, start_assessment
from mlops_workbook.model.assessment import set_answer
from mlops_workbook.model.errors import Problem, WorkbookError
from mlops_workbook.model.schema import Framework

_OPEN_YOURS = "enter your team and a respondent code above, then press 'Open / resume'"


class ExampleSession(Session):
    """A :class:`Session` whose changes stay in memory: nothing is ever written."""

    @classmethod
    def start(cls, framework: Framework, seed: Path | None, *, team: str, respondent: str) -> ExampleSession:
        """The example's answers (or a blank assessment when the model has no example)."""
        assessment = start_assessment(framework, seed)
        assessment.team, assessment.respondent = team, respondent
        return cls(framework=framework, assessment=assessment, path=Path(seed.name if seed else "example.json"))

    def sync(self) -> bool:
        return False

    def answer(self, question_id: str, value: int | str | None) -> None:
        set_answer(self.assessment, question_id, value)

    def note(self, question_id: str, text: str) -> None:
        set_answer(self.assessment, question_id, note=text)

    def na_reason(self, question_id: str, text: str) -> None:
        set_answer(self.assessment, question_id, na_reason=text)

    def target(self, dimension_id: str, level_id: str | None) -> None:
        if level_id:
            self.assessment.targets[dimension_id] = level_id
        else:
            self.assessment.targets.pop(dimension_id, None)

    def rename(self, *, organisation: str | None = None) -> None:
        if organisation is not None:
            self.assessment.organisation = organisation

    def save(self) -> Path:
        return self.path  # never written: see the module docstring

    def new_round(self) -> Path:
        raise WorkbookError(
            [Problem("worked example", "", "is read-only: rounds are kept for your own assessment", _OPEN_YOURS)]
        )

    def replace_with_upload(self, content: bytes, filename: str) -> list[Problem]:
        return [Problem(Path(filename).name or "upload", "", "was not loaded into the worked example", _OPEN_YOURS)]
