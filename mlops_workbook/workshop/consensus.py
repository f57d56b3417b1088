"""Consensus: the team's median answers, and the answers the team agreed on, as assessments.

The facilitator records a value and a rationale per question; the result is an ordinary
assessment with ``kind="consensus"`` (rationale in each answer's ``note``) that scoring,
charts and reports treat like any other. Answers no one decided are the team's median
answers (rule in :mod:`mlops_workbook.workshop.aggregation`), marked in a field:
``provenance="team_median"``. Files written before that field existed said so only in
the note ("team median of …"); :func:`load_consensus` reads them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from mlops_workbook.model.assessment import assessment_path, find_assessment, load_assessment
from mlops_workbook.model.errors import Problem, WorkbookError
from mlops_workbook.model.schema import Answer, Assessment, Framework
from mlops_workbook.scoring import grids
from mlops_workbook.scoring.grids import ANSWER_VALUES, ANSWERED, NA, UNKNOWN

#: Respondent code of consensus and median files (``<team>--consensus.json``).
CONSENSUS = "consensus"
#: ``Answer.provenance`` of an answer copied from the team's median answers, not decided.
TEAM_MEDIAN = "team_median"
# How files written before ``Answer.provenance`` marked a copied median answer: in the note.
_LEGACY_MEDIAN_NOTE = "team median of "


def consensus_path(folder: str | Path, framework_id: str, team: str) -> Path:
    """Where a team's consensus file lives: ``<folder>/<framework>/<team>--consensus.json``."""
    return assessment_path(folder, framework_id, team, CONSENSUS)


def find_consensus(folder: str | Path, framework_id: str, team: str) -> Path:
    """The team's consensus file to read and write: :func:`consensus_path`, or the file an
    earlier version named with its ASCII-only slug (``team-a-b--consensus.json`` for
    "Team A/B") when that one exists and is this team's: the same look-up as a
    respondent's own file (:func:`~mlops_workbook.model.assessment.find_assessment`).
    """
    return find_assessment(folder, framework_id, team, CONSENSUS)


def median_assessment(framework: Framework, answers: pd.DataFrame, team: str) -> Assessment:
    """The team's median answers as an assessment (``kind="consensus"``, respondent ``median``).

    Each answer has ``provenance="team_median"`` and a note saying how the room answered,
    e.g. ``team median of 4 answers: 2:1 3:2 unknown 1``. A good ``base`` for
    :func:`consensus_assessment`: questions nobody discussed keep the median answer.
    """
    rows = answers[answers["team"] == team]
    if rows.empty:
        known = ", ".join(sorted(map(str, answers["team"].unique()))) or "none"
        raise WorkbookError([Problem(team, "", "is not a team in these responses", f"use one of: {known}")])
    grid, teams, row_team = grids.grid(framework, rows)
    by_status, by_value = grids.counts(grid, row_team, len(teams))
    median = grids.decode(grids.median_grid(by_status, by_value, teams))[0]
    assessment = Assessment(
        framework=framework.id,
        framework_version=framework.version,
        kind="consensus",
        organisation=_common(rows["organisation"]),
        team=team,
        respondent="median",
    )
    for j, question in enumerate(framework.questions):
        note = _tally(by_status[0, j], by_value[0, j])
        if median[j] is not None or note:
            assessment.answers[question.id] = Answer(value=median[j], note=note, provenance=TEAM_MEDIAN)
    return assessment


def _common(values: pd.Series) -> str:
    """The single non-empty value of a column, or "" when there are several."""
    unique = {str(v) for v in values.unique() if v}
    return unique.pop() if len(unique) == 1 else ""


def _tally(by_status: np.ndarray, by_value: np.ndarray) -> str:
    """``team median of 4 answers: 2:1 3:2 unknown 1`` (empty when nobody answered)."""
    answered = int(by_status[ANSWERED] + by_status[NA] + by_status[UNKNOWN])
    if not answered:
        return ""
    parts = [f"{v}:{int(c)}" for v, c in zip(ANSWER_VALUES, by_value, strict=True) if c]
    parts += [f"{word} {int(by_status[code])}" for code, word in ((UNKNOWN, "unknown"), (NA, "na")) if by_status[code]]
    return f"team median of {answered} answer{'s' if answered != 1 else ''}: {' '.join(parts)}"


Decision = tuple[int | str | None, str]


def consensus_assessment(
    framework: Framework,
    team: str,
    decisions: Mapping[str, Decision | int | str | None],
    *,
    base: Assessment | None = None,
    organisation: str = "",
) -> Assessment:
    """The team's agreed answers, as an assessment with ``kind="consensus"``.

    Parameters
    ----------
    framework
        The bank answered.
    team
        The team the consensus is for.
    decisions
        ``{question id: (value, rationale)}`` (or just a value): 0-4, ``"na"``,
        ``"unknown"``, or None to leave the question open. The rationale becomes the
        answer's ``note``; a decided answer has no ``provenance``.
    base
        Answers kept for questions without a decision, typically
        :func:`median_assessment`; none by default.
    organisation
        Defaults to the base's organisation.

    Raises
    ------
    WorkbookError
        With one :class:`Problem` per unknown question id or invalid value, all at once.
    """
    assessment = Assessment(
        framework=framework.id,
        framework_version=framework.version,
        kind="consensus",
        organisation=organisation or (base.organisation if base else ""),
        team=team,
        respondent=CONSENSUS,
        answers={k: v.model_copy() for k, v in base.answers.items()} if base else {},
    )
    problems: list[Problem] = []
    known = framework.question_ids
    values = "-".join(map(str, (min(framework.scale.values), framework.scale.top)))
    for qid, decision in decisions.items():
        value, rationale = decision if isinstance(decision, tuple) else (decision, "")
        where = f"decisions.{qid}"
        if qid not in known:
            problems.append(Problem(f"consensus {team}", where, "is not a question of this bank", "check the id"))
            continue
        try:
            # validated against the bank's own scale, as a file of this bank is when it loads
            answer = {"value": value, "note": rationale}
            assessment.answers[qid] = Answer.model_validate(answer, context={"scale": framework.scale})
        except ValidationError as exc:
            what = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            problems.append(
                Problem(f"consensus {team}", where, what, f"use {values}, 'na' or 'unknown'; keep notes short")
            )
    if problems:
        raise WorkbookError(problems)
    return assessment


def decided(consensus: Assessment | None) -> dict[str, Any]:
    """The questions a saved consensus decided (answers not merely copied from the median)."""
    if consensus is None:
        return {}
    return {qid: a.value for qid, a in consensus.answers.items() if a.provenance != TEAM_MEDIAN}


def rationale(consensus: Assessment | None, question_id: str) -> str:
    """Why the team decided this answer ("" when it was not decided)."""
    a = consensus.answers.get(question_id) if consensus else None
    return "" if a is None or a.provenance == TEAM_MEDIAN else a.note


def agreed_assessment(
    framework: Framework,
    answers: pd.DataFrame,
    team: str,
    decisions: Mapping[str, Decision],
    previous: Assessment | None = None,
) -> Assessment:
    """What a consensus editor saves: ``decisions`` (the questions on screen), the earlier
    consensus's decisions on questions no longer listed, the team's median answers elsewhere.

    ``previous`` also keeps the consensus's creation time.
    """
    merged: dict[str, Decision] = {qid: (v, rationale(previous, qid)) for qid, v in decided(previous).items()}
    merged |= decisions
    agreed = consensus_assessment(framework, team, merged, base=median_assessment(framework, answers, team))
    if previous is not None:
        agreed.created = previous.created
    return agreed


def with_provenance(consensus: Assessment) -> Assessment:
    """The consensus with every copied median answer marked ``provenance="team_median"``.

    Files written before the field existed marked them only by their note (``team median
    of …``); a file that has the field is returned unchanged.
    """
    if any(a.provenance for a in consensus.answers.values()):
        return consensus
    legacy = {
        qid: a.model_copy(update={"provenance": TEAM_MEDIAN})
        for qid, a in consensus.answers.items()
        if a.note.startswith(_LEGACY_MEDIAN_NOTE)
    }
    return consensus.model_copy(update={"answers": consensus.answers | legacy}) if legacy else consensus


def load_consensus(folder: str | Path, framework_id: str, team: str) -> tuple[Assessment | None, Path]:
    """The team's saved consensus (None when there is none yet) and the file to save it to.

    The file is :func:`find_consensus`'s (an earlier version's name included); a file there
    that is not a consensus of this model is ignored, and overwritten on save.

    Raises
    ------
    WorkbookError
        When the file exists but cannot be read (it names the file and the fix).
    """
    path = find_consensus(folder, framework_id, team)
    if not team or not path.exists():
        return None, path
    found = load_assessment(path)
    if found.kind != "consensus" or found.framework != framework_id:
        return None, path
    return with_provenance(found), path


__all__ = [
    "CONSENSUS",
    "TEAM_MEDIAN",
    "Decision",
    "agreed_assessment",
    "consensus_assessment",
    "consensus_path",
    "decided",
    "find_consensus",
    "load_consensus",
    "median_assessment",
    "rationale",
    "with_provenance",
]
