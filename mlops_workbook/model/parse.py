"""Read a data file into a typed model: the file's top-level mapping, then the model's own checks.

Every check function of a data file (the core questionnaire, a core map, a bank) starts the same
way; its problems name the file and, for a schema error, the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import load_data, problems_from_validation

_Model = TypeVar("_Model", bound=BaseModel)


def read_mapping(path: str | Path, fields: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The file's top-level mapping, or ``None`` and why not (``fields`` names the expected ones).

    >>> read_mapping("no/such/file.yaml", "id, name")[1][0].what
    'file not found'
    """
    try:
        data = load_data(path)
    except WorkbookError as exc:
        return None, exc.problems
    if not isinstance(data, dict):
        return None, [Problem(display_name(path), "", f"must be a mapping of fields ({fields})")]
    return data, []


def parse_checked(
    path: str | Path, model: type[_Model], fields: str, context: dict[str, Any] | None = None
) -> tuple[_Model | None, list[Problem]]:
    """The file read and validated as ``model`` (``context`` for its validators), or ``None`` and every
    problem found, each naming the file and the field."""
    data, problems = read_mapping(path, fields)
    if data is None:
        return None, problems
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, problems_from_validation(display_name(path), data, exc)
