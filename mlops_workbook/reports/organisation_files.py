"""The organisation's view, read from disk: every assessment in a folder, and its ``units.yaml``.

:func:`read_assessments` never fails on a bad file: it reports it as a :class:`Problem` and
goes on. :func:`load_units` reads the optional mapping of business units to teams::

    # assessments/units.yaml — which team belongs to which business unit
    Retail: [Payments, Checkout]
    Risk: [Fraud detection]

A team's own files win when they carry a ``unit`` field. Names match as the app matches
them (:func:`~mlops_workbook.model.assessment.identity_key`: case, width and spacing aside).
"""

from __future__ import annotations

from pathlib import Path

from mlops_workbook.app.core_session import CORE_FOLDER
from mlops_workbook.model.assessment import identity_key
from mlops_workbook.model.checked import Checked, load_checked
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import load_data
from mlops_workbook.model.schema import Framework
from mlops_workbook.reports.organisation import TeamResult, team_results

#: The mapping file of units to teams, looked for in the assessments folder.
UNITS_FILE = "units.yaml"


def load_units(path: str | Path) -> dict[str, str]:
    """``units.yaml`` as {team's identity key: unit}; no file gives ``{}``.

    Raises :class:`WorkbookError` naming the file and the unit for anything that is not a
    mapping of unit names to lists of team names, or a team listed under two units.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    name = display_name(path)
    data = load_data(path)
    fix = "write one line per unit: `Unit name: [Team one, Team two]`"
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise WorkbookError([Problem(name, "", "is not a mapping of units to their teams", fix)])
    units: dict[str, str] = {}
    problems = []
    for unit, teams in data.items():
        if not isinstance(teams, list) or not all(isinstance(t, str | int) for t in teams):
            problems.append(Problem(name, str(unit), "is not a list of team names", fix))
            continue
        for team in teams:
            key = identity_key(str(team))
            if key in units and units[key] != str(unit):
                problems.append(
                    Problem(name, str(unit), f"lists {team!r}, already under {units[key]!r}", "keep one unit per team")
                )
            units[key] = str(unit)
    if problems:
        raise WorkbookError(problems)
    return units


def read_assessments(folder: str | Path) -> tuple[list[Checked], list[Problem]]:
    """Every usable assessment under ``folder`` (archived rounds too), and the problems of the rest.

    Files whose name starts with ``.`` (temporary and lock files) are skipped.
    """
    root = Path(folder)
    if not root.is_dir():
        return [], [Problem(display_name(root), "", "folder not found", "check the path")]
    checked: list[Checked] = []
    problems: list[Problem] = []
    for path in sorted(root.rglob("*.json")):
        if path.name.startswith(".") or not path.is_file() or path.relative_to(root).parts[0] == CORE_FOLDER:
            continue  # temporary and lock files, and core answers (core/, not assessments)
        try:
            one = load_checked(path, raise_errors=False)
        except WorkbookError as exc:
            problems.extend(exc.problems)
            continue
        except Exception as exc:  # a bug, not bad input; one file never stops the folder
            problems.append(
                Problem(display_name(path), "", f"could not be read ({type(exc).__name__})", "report this as a bug")
            )
            continue
        if one.errors:
            problems.extend(one.errors)
        else:
            checked.append(one)
    return checked, problems


def results_of(checked: list[Checked], units: dict[str, str]) -> list[TeamResult]:
    """:func:`team_results` of checked files, each scored against the bank it was checked against."""
    banks: dict[str, Framework] = {c.framework.id: c.framework for c in checked}
    return team_results([c.assessment for c in checked], units, banks.__getitem__)


def organisation_results(folder: str | Path) -> tuple[list[TeamResult], list[Problem]]:
    """Read ``folder`` and its ``units.yaml``: every team's result per model and round, and the problems.

    A broken ``units.yaml`` is reported among the problems and teams stay without a unit.
    """
    checked, problems = read_assessments(folder)
    try:
        units = load_units(Path(folder) / UNITS_FILE)
    except WorkbookError as exc:
        problems.extend(exc.problems)
        units = {}
    return results_of(checked, units), problems


__all__ = ["UNITS_FILE", "load_units", "organisation_results", "read_assessments", "results_of"]
