"""Workshop responses: load the participants' files, put their answers in one table.

The Voilà app autosaves each participant's file to
``assessments/<framework>/<team>--<respondent>.json``; :func:`load_responses` reads
such a folder without ever failing on a bad file, and :func:`answers_frame` turns the
assessments into one long table for :mod:`mlops_workbook.workshop.aggregation` to aggregate.
Respondents are identified by (team, respondent code); show :func:`pseudonyms` on
screen rather than names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from mlops_workbook.model.checked import load_checked
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.scoring.grids import ANSWERED, NA, STATUSES, UNANSWERED, UNKNOWN

_ROUND_ARCHIVE = re.compile(r"\.round-\d+\.json$")


def load_responses(folder: str | Path, framework: Framework) -> tuple[list[Assessment], list[Problem]]:
    """The individual assessments of one framework in a folder, and the files skipped.

    Parameters
    ----------
    folder
        The assessments root (files under ``folder/<framework id>/``) or that
        framework folder itself.
    framework
        The bank the files must answer.

    Returns
    -------
    assessments, problems
        Usable individual assessments (sorted by team, respondent), and one or more
        :class:`Problem` per file skipped or worth a look. Never raises on a bad file.
        ``kind="consensus"`` files, other frameworks' files and round archives
        (``*.round-N.json``) are left out without a problem.
    """
    root = Path(folder)
    base = root / framework.id if (root / framework.id).is_dir() else root
    if not base.is_dir():
        return [], [Problem(display_name(root), "", "folder not found", "check the path")]
    found: dict[tuple[str, str], tuple[Assessment, str]] = {}
    problems: list[Problem] = []
    for path in sorted(base.glob("*.json")):
        if path.name.startswith(".") or _ROUND_ARCHIVE.search(path.name):
            continue
        name = display_name(path)
        try:
            checked = load_checked(path, framework, raise_errors=False)
        except WorkbookError as exc:
            problems.extend(exc.problems)
            continue
        except Exception as exc:  # a bug, not bad input; still, one file never stops the folder
            problems.append(Problem(name, "", f"could not be read ({type(exc).__name__})", "report this as a bug"))
            continue
        assessment = checked.assessment
        if assessment.kind != "individual" or assessment.framework != framework.id:
            continue  # consensus files and other models' files are not respondents here
        problems.extend(checked.problems)
        if checked.errors:
            continue
        key = (assessment.team, assessment.respondent)
        if key in found:
            kept, other = _newer((assessment, name), found[key])
            problems.append(
                Problem(
                    other[1],
                    "",
                    f"has the same team and respondent as {kept[1]}; only the newer file is counted",
                    "delete or rename the copy",
                    "warning",
                )
            )
            found[key] = kept
        else:
            found[key] = (assessment, name)
    return [found[key][0] for key in sorted(found)], problems


def _newer(a: tuple[Assessment, str], b: tuple[Assessment, str]) -> tuple[tuple[Assessment, str], ...]:
    return (a, b) if a[0].updated > b[0].updated else (b, a)


def answers_frame(framework: Framework, assessments: Iterable[Assessment]) -> pd.DataFrame:
    """Every respondent's answer to every question of the bank, one row each (long form).

    Columns: ``team``, ``respondent`` (categorical), ``organisation``, ``question``
    (categorical, bank order), ``dimension``,
    ``rank`` (of the question's level), ``value`` (float; NaN unless answered with a
    number), ``status`` (categorical: answered / na / unknown / unanswered) and
    ``note``. Answers to ids the bank does not know are left out.
    """
    questions = framework.questions
    teams: list[str] = []
    people: list[str] = []
    orgs: list[str] = []
    values: list[float] = []
    codes: list[int] = []
    notes: list[str] = []
    for assessment in assessments:
        if assessment.framework != framework.id:
            raise WorkbookError(
                [
                    Problem(
                        f"{assessment.team}--{assessment.respondent}",
                        "framework",
                        f"answers {assessment.framework!r}, not {framework.id!r}",
                        "aggregate each framework separately",
                    )
                ]
            )
        teams.append(assessment.team)
        people.append(assessment.respondent)
        orgs.append(assessment.organisation)
        for question in questions:
            answer = assessment.answers.get(question.id)
            value, code = _encode(answer.value if answer else None)
            values.append(value)
            codes.append(code)
            notes.append(answer.note if answer else "")
    n_questions = len(questions)
    ranks = {lv.id: lv.rank for lv in framework.levels}
    frame = pd.DataFrame(
        {
            "team": _categories(teams, n_questions),
            "respondent": _categories(people, n_questions),
            "organisation": np.repeat(np.array(orgs, dtype=object), n_questions),
            "question": pd.Categorical.from_codes(
                np.tile(np.arange(n_questions), len(teams)), categories=pd.Index([q.id for q in questions])
            ),
            "dimension": np.tile(np.array([q.dimension for q in questions], dtype=object), len(teams)),
            "rank": np.tile(np.array([ranks[q.level] for q in questions]), len(teams)),
            "value": np.array(values, dtype=float),
            "status": pd.Categorical.from_codes(np.array(codes, dtype=np.int8), categories=pd.Index(list(STATUSES))),
            "note": np.array(notes, dtype=object),
        }
    )
    return frame


def _categories(labels: list[str], repeat: int) -> pd.Categorical:
    """Each label repeated, as a categorical with sorted categories (fast to group by)."""
    codes, uniques = pd.factorize(np.array(labels, dtype=object), sort=True)
    return pd.Categorical.from_codes(np.repeat(codes, repeat), categories=pd.Index(list(uniques)))


def _encode(value: int | str | None) -> tuple[float, int]:
    if value is None:
        return np.nan, UNANSWERED
    if value == "na":
        return np.nan, NA
    if value == "unknown":
        return np.nan, UNKNOWN
    return float(value), ANSWERED


def pseudonyms(labels: Iterable[str]) -> dict[str, str]:
    """Display codes R01, R02, … for respondent labels, in order of first appearance.

    >>> pseudonyms(["kim", "ana", "kim"])
    {'kim': 'R01', 'ana': 'R02'}
    """
    unique = list(dict.fromkeys(labels))
    width = max(2, len(str(len(unique))))
    return {label: f"R{i:0{width}d}" for i, label in enumerate(unique, start=1)}
