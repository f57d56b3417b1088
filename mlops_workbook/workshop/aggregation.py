"""Workshop aggregation: where each team stands, and where its members disagree.

Pure functions on pandas (no widgets; files are written only through
:func:`~mlops_workbook.model.assessment.save_assessment`). The usual flow::

    assessments, problems = load_responses("assessments", fw)
    answers = answers_frame(fw, assessments)
    summary = team_summary(fw, answers)          # team x dimension
    stats = question_stats(fw, answers)          # team x question
    discuss = discussion_list(fw, answers, top=5)
    draft = median_assessment(fw, answers, "platform")      # workshop.consensus
    agreed = consensus_assessment(fw, "platform", {"aws.x.y": (3, "we agreed …")}, base=draft)

Rules, in plain words (the README quotes them):

* **Respondent.** One individual assessment file; a respondent is identified by
  (team, respondent code). Functions never need real names: show
  :func:`pseudonyms` (R01, R02, …) on screen.
* **Scores.** Each respondent is scored with the rules of :mod:`mlops_workbook.scoring.rules`
  (gated level + partial progress), computed column-wise so 5,000 respondents take
  milliseconds. Per team and dimension the summary gives the **median**, **Q1**, **Q3**,
  **IQR** (= Q3 − Q1), **min** and **max** of the respondents' scores, over those who
  assessed the dimension. Quartiles interpolate linearly between answers, like numpy's
  default and Excel's ``QUARTILE.INC``: for 1, 2, 3, 4 answers Q1 = 1.75, Q3 = 3.25.
* **Median answers.** The team's answer to a question is:
  ``na`` when more than half of those who answered it said ``na``; else ``unknown`` when
  more than half said ``unknown``; else the median of the numeric answers **rounded
  down** to a whole answer (2.5 -> 2: a question is only "met" for the team when the
  middle of the room says so); with no numeric answer at all, ``unknown`` if anyone
  said so, else ``na``. Nobody answered: unanswered.
* **Team level** of a dimension = the level the *median answers* reach under the usual
  scoring rules (``level_*`` columns). It can differ from the median of the individual
  scores (``median``), which is why both are shown.
* **Disagreement** of a question = the IQR of the team's numeric answers (0 with fewer
  than two numeric answers). ``unknown``, ``na`` and unanswered are counted apart, never
  as numbers.
* **Level shift** of a question = how many levels the team's level in that dimension
  would move if this one median answer were on the other side of the met threshold
  (met -> not met drops the level, not met -> met raises it); 0 when it decides nothing.
  A **blocker** is a not-met question at the first level the team's median answers do
  not reach (the next level with statements in that dimension).
* **Discuss first** and its reasons: :mod:`mlops_workbook.workshop.discussion`.
* **Consensus** (median answers as a starting point, agreed answers):
  :mod:`mlops_workbook.workshop.consensus`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlops_workbook.model.errors import Problem, WorkbookError
from mlops_workbook.model.schema import Framework
from mlops_workbook.scoring import grids
from mlops_workbook.scoring.grids import ANSWER_VALUES, ANSWERED, NA, STATUSES, UNANSWERED, UNKNOWN
from mlops_workbook.scoring.scorecard import level_label
from mlops_workbook.workshop.discussion import in_discussion_order, reasons
from mlops_workbook.workshop.responses import answers_frame, load_responses, pseudonyms

#: ``dimension`` of the summary rows about the whole model (weakest dimension, mean score).
OVERALL = "_overall"

__all__ = [
    "OVERALL",
    "STATUSES",
    "WorkshopSummary",
    "answers_frame",
    "discussion_list",
    "load_responses",
    "pseudonyms",
    "question_stats",
    "respondent_scores",
    "summarise",
    "team_summary",
]


def respondent_scores(framework: Framework, answers: pd.DataFrame) -> pd.DataFrame:
    """Level rank and score of every respondent per dimension (and ``OVERALL``), long form.

    Same rules as :func:`~mlops_workbook.scoring.rules.score_assessment`; NaN where a
    dimension is not assessed.
    """
    grid, _, _ = grids.grid(framework, answers)
    scored = grids.score_grid(framework, grid)
    o_rank, o_score = grids.overall(scored.rank, scored.score)
    rank = np.column_stack([scored.rank, o_rank])
    score = np.column_stack([scored.score, o_score])
    dims = [d.id for d in framework.dimensions] + [OVERALL]
    n_rows = len(grid.teams)
    return pd.DataFrame(
        {
            "team": np.repeat(grid.teams, len(dims)),
            "respondent": np.repeat(grid.respondents, len(dims)),
            "dimension": np.tile(dims, n_rows),
            "rank": rank.ravel(),
            "score": score.ravel(),
        }
    )


@dataclass(frozen=True)
class WorkshopSummary:
    """Everything the facilitator shows, computed once (see :func:`summarise`).

    Attributes
    ----------
    teams
        One row per team x dimension (plus ``OVERALL``): see :func:`team_summary`.
    questions
        One row per team x question: see :func:`question_stats`; rows are in
        discussion order within each team (``order`` 1, 2, …).
    """

    framework: Framework
    teams: pd.DataFrame
    questions: pd.DataFrame

    def discussion(self, top: int | None = None, team: str | None = None) -> pd.DataFrame:
        """The questions to discuss first, per team, with a one-line ``reason`` each."""
        rows = self.questions
        if team is not None:
            rows = rows[rows["team"] == team]
        if top is not None:
            rows = rows[rows["order"] <= top]
        rows = rows.reset_index(drop=True)
        rows["reason"] = reasons(self.framework, rows)
        return rows


def summarise(framework: Framework, answers: pd.DataFrame) -> WorkshopSummary:
    """Team summary, question statistics and discussion order in one pass.

    Parameters
    ----------
    framework
        The bank answered.
    answers
        :func:`answers_frame` output (filter it first to look at some teams only).
    """
    if answers.empty:
        raise WorkbookError([Problem("answers", "", "no responses to aggregate", "check the folder and framework")])
    grid, teams, row_team = grids.grid(framework, answers)
    by_status, by_value = grids.counts(grid, row_team, len(teams))
    median = grids.median_grid(by_status, by_value, teams)
    team_scored = grids.score_grid(framework, median)
    size = np.bincount(row_team, minlength=len(teams))
    return WorkshopSummary(
        framework,
        _team_rows(framework, grids.score_grid(framework, grid), row_team, team_scored, teams, size, median),
        _question_rows(framework, teams, size, by_status, by_value, median, team_scored),
    )


def team_summary(framework: Framework, answers: pd.DataFrame) -> pd.DataFrame:
    """Per team x dimension: where the team stands.

    Columns: ``team``, ``dimension`` (``OVERALL`` for the model as a whole),
    ``dimension_name``, ``respondents`` (in the team), ``assessed`` (respondents who
    assessed the dimension), ``median``, ``q1``, ``q3``, ``iqr``, ``min``, ``max`` (of their
    scores), and ``level_rank``, ``level_id``, ``level_name``, ``level_label`` (name and
    "level n of N"), ``level_score``: the level and score of the team's median answers,
    with their completeness: ``level_answered`` (median answers 0-4), ``level_applicable``
    (not ``na``), ``level_na`` and ``level_provisional`` (completeness below the bank's
    ``provisional_below``; for ``OVERALL`` also when any assessed dimension is).
    """
    return summarise(framework, answers).teams


def question_stats(framework: Framework, answers: pd.DataFrame) -> pd.DataFrame:
    """Per team x question: the spread of answers and what the question decides.

    Columns: ``team``, ``question``, ``dimension``, ``level``, ``rank``, ``weight``,
    ``respondents``, ``answered`` (numeric answers), ``count_0`` … ``count_4``,
    ``unknown``, ``na``, ``unanswered``, ``met`` (numeric answers at or above the
    threshold), ``median``, ``q1``, ``q3``, ``iqr``, ``min``, ``max``, ``range``,
    ``disagreement``, ``median_answer`` (int, ``"na"``, ``"unknown"`` or None),
    ``team_rank`` (the team's level in the question's dimension), ``blocker``,
    ``level_shift`` (signed: + would rise if met, − would drop if not met)
    and ``order`` (discussion rank within the team, from 1).
    """
    return summarise(framework, answers).questions


def discussion_list(
    framework: Framework, answers: pd.DataFrame, *, top: int | None = 5, team: str | None = None
) -> pd.DataFrame:
    """The questions each team should discuss first (rule in :mod:`mlops_workbook.workshop.discussion`)."""
    return summarise(framework, answers).discussion(top=top, team=team)


def _team_rows(
    framework: Framework,
    scored: grids.Scored,
    row_team: np.ndarray,
    team_scored: grids.Scored,
    teams: list[str],
    size: np.ndarray,
    median: grids.Grid,
) -> pd.DataFrame:
    _, o_score = grids.overall(scored.rank, scored.score)
    scores = pd.DataFrame(np.column_stack([scored.score, o_score]))
    groups = scores.groupby(row_team)
    full = pd.RangeIndex(len(teams))

    def stat(frame: pd.DataFrame) -> np.ndarray:
        return frame.reindex(full).to_numpy(dtype=float).ravel()

    q1, med, q3 = (stat(groups.quantile(p)) for p in (0.25, 0.5, 0.75))
    t_rank, t_score = grids.overall(team_scored.rank, team_scored.score)
    level_rank = np.column_stack([team_scored.rank, t_rank]).ravel()
    names = {lv.rank: lv for lv in framework.levels}
    dims = [d.id for d in framework.dimensions] + [OVERALL]
    dim_names = [d.name for d in framework.dimensions] + ["Overall"]
    return pd.DataFrame(
        {
            "team": np.repeat(np.array(teams, dtype=object), len(dims)),
            "dimension": np.tile(np.array(dims, dtype=object), len(teams)),
            "dimension_name": np.tile(np.array(dim_names, dtype=object), len(teams)),
            "respondents": np.repeat(size, len(dims)),
            "assessed": stat(groups.count()).astype(int),
            "median": med,
            "q1": q1,
            "q3": q3,
            "iqr": q3 - q1,
            "min": stat(groups.min()),
            "max": stat(groups.max()),
            "level_rank": pd.array(level_rank, dtype="Int64"),
            "level_id": [None if np.isnan(r) else names[int(r)].id for r in level_rank],
            "level_name": [None if np.isnan(r) else names[int(r)].name for r in level_rank],
            "level_label": [None if np.isnan(r) else level_label(framework, int(r)) for r in level_rank],
            "level_score": np.column_stack([team_scored.score, t_score]).ravel(),
            **_completeness(framework, median, team_scored),
        }
    )


def _completeness(framework: Framework, median: grids.Grid, team_scored: grids.Scored) -> dict[str, np.ndarray]:
    """Answered / applicable / N/A median answers per team x dimension (and overall), and provisional."""
    q_dim, _ = grids.question_layout(framework)
    n_dims = len(framework.dimensions)
    in_dim = q_dim[None, :] == np.arange(n_dims)[:, None]  # (D, Q)
    answered = (median.status == grids.ANSWERED).astype(np.int64) @ in_dim.T
    applicable = (median.status != grids.NA).astype(np.int64) @ in_dim.T
    na = (median.status == grids.NA).astype(np.int64) @ in_dim.T
    answered = np.column_stack([answered, answered.sum(axis=1)])
    applicable = np.column_stack([applicable, applicable.sum(axis=1)])
    na = np.column_stack([na, na.sum(axis=1)])
    # the same division as Completeness.share, so both sides of the threshold agree exactly
    share = np.divide(answered, applicable, out=np.zeros(answered.shape), where=applicable > 0)
    short = share < framework.provisional_below
    assessed = ~np.isnan(team_scored.rank)
    dims = short[:, :n_dims] & assessed
    overall = (short[:, n_dims] | dims.any(axis=1)) & assessed.any(axis=1)
    provisional = np.column_stack([dims, overall])
    return {
        "level_answered": answered.ravel(),
        "level_applicable": applicable.ravel(),
        "level_na": na.ravel(),
        "level_provisional": provisional.ravel(),
    }


def _question_rows(
    framework: Framework,
    teams: list[str],
    size: np.ndarray,
    by_status: np.ndarray,
    by_value: np.ndarray,
    median: grids.Grid,
    team_scored: grids.Scored,
) -> pd.DataFrame:
    n_teams, n_q = by_status.shape[:2]
    numeric = by_status[..., ANSWERED]
    has = numeric > 0
    low = np.where(has, np.argmax(by_value > 0, axis=-1), np.nan)
    high = np.where(has, len(ANSWER_VALUES) - 1 - np.argmax(by_value[..., ::-1] > 0, axis=-1), np.nan)
    q1, med, q3 = (grids.quantile(by_value, p) for p in (0.25, 0.5, 0.75))
    iqr = q3 - q1
    level_rank = {lv.id: lv.rank for lv in framework.levels}
    questions = framework.questions
    q_dim, _ = grids.question_layout(framework)
    columns: dict[str, Any] = {
        "team": np.repeat(np.array(teams, dtype=object), n_q),
        "question": np.tile(np.array([q.id for q in questions], dtype=object), n_teams),
        "dimension": np.tile(np.array([q.dimension for q in questions], dtype=object), n_teams),
        "level": np.tile(np.array([q.level for q in questions], dtype=object), n_teams),
        "rank": np.tile([level_rank[q.level] for q in questions], n_teams),
        "weight": np.tile([q.weight for q in questions], n_teams),
        "respondents": np.repeat(size, n_q),
        "answered": numeric.ravel(),
    }
    for i, value in enumerate(ANSWER_VALUES):
        columns[f"count_{value}"] = by_value[..., i].ravel()
    columns |= {
        "unknown": by_status[..., UNKNOWN].ravel(),
        "na": by_status[..., NA].ravel(),
        "unanswered": by_status[..., UNANSWERED].ravel(),
        "met": by_value[..., framework.met_threshold :].sum(axis=-1).ravel(),
        "median": med.ravel(),
        "q1": q1.ravel(),
        "q3": q3.ravel(),
        "iqr": iqr.ravel(),
        "min": low.ravel(),
        "max": high.ravel(),
        "range": (high - low).ravel(),
        "disagreement": np.where(numeric >= 2, iqr, 0.0).ravel(),
        "median_answer": grids.decode(median).ravel(),
        "team_rank": pd.array(team_scored.rank[:, q_dim].ravel(), dtype="Int64"),
        "blocker": grids.blockers(framework, median, team_scored).ravel(),
        "level_shift": grids.level_shift(framework, median, team_scored).ravel(),
    }
    frame = pd.DataFrame(columns)
    return in_discussion_order(frame, n_q)
