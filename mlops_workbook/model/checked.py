"""Load an assessment file and check it against its bank, in one call, for every face.

The app, the report, the batch, the workshop and the CLI all read files the same way:
parse (:func:`~mlops_workbook.model.assessment.load_assessment`), find the bank, check
the answers against it (:func:`~mlops_workbook.model.assessment.check_assessment`), and
refuse the file when an error was found — every problem located (file, field, fix).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlops_workbook.model.assessment import check_assessment, load_assessment
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.schema import Assessment, Framework


@dataclass(frozen=True)
class Checked:
    """An assessment read from ``name``, the bank it was checked against, and what was found."""

    assessment: Assessment
    framework: Framework
    name: str
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the file unusable (the rest are warnings)."""
        return [p for p in self.problems if p.severity == "error"]


def load_checked(path: str | Path, framework: Framework | None = None, *, raise_errors: bool = True) -> Checked:
    """Read an assessment file and check it against ``framework`` (default: the bank it names).

    Raises :class:`WorkbookError` when the file cannot be read or names an unknown bank, and
    — unless ``raise_errors=False`` — when checking found errors (the error carries those
    errors; warnings come back in :attr:`Checked.problems` of a usable file). With
    ``raise_errors=False`` a file with errors is returned, its errors in ``problems``, for
    callers that report every problem of many files.

    >>> from mlops_workbook.model.paths import EXAMPLES_DIR
    >>> checked = load_checked(EXAMPLES_DIR / "aws-retail-forecasting.json")
    >>> checked.framework.id, checked.errors
    ('aws', [])
    """
    assessment = load_assessment(path)
    bank = framework if framework is not None else load_framework(assessment.framework)
    name = display_name(path)
    checked = Checked(assessment, bank, name, check_assessment(assessment, bank, name))
    if raise_errors and checked.errors:
        raise WorkbookError(checked.errors)
    return checked
