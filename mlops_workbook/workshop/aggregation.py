"""Workshop aggregation: where each team stands, and where its members disagree.

Pure functions on pandas (no widgets; files are written only through
:func:`~mlops_workbook.model.assessment.save_assessment`). The usual flow::

    assessments, problems = load_responses("assessments", fw)
    answers = answers_frame(fw, assessments)
    summary = team_summary(fw, answers)          # team x dimension
    stats = question_stats(fw, answers)          # team x question
    discuss = discussion_list(fw, answers, stats=stats, top=5)
    draft = median_assessment(fw, answers, "platform")
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
* **Discuss first**, per team: highest disagreement first; ties broken by the size of the
  level shift, then the range of answers, then the number of ``unknown`` answers, then
  the question weight (heaviest first), then bank order.
* **Consensus.** The facilitator records a value and a rationale per question; the result
  is an ordinary assessment with ``kind="consensus"`` (rationale in each answer's
  ``note``) that scoring, charts and reports treat like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from mlops_workbook.model.assessment import assessment_path, find_assessment
from mlops_workbook.model.errors import Problem, WorkbookError
from mlops_workbook.model.schema import Answer, Assessment, Framework
from mlops_workbook.scoring import grids
from mlops_workbook.scoring.grids import ANSWER_VALUES, ANSWERED, NA, STATUSES, UNANSWERED, UNKNOWN
from mlops_workbook.scoring.scorecard import level_label
from mlops_workbook.workshop.responses import answers_frame, load_responses, pseudonyms

#: ``dimension`` of the summary rows about the whole model (weakest dimension, mean score).
OVERALL = "_overall"
#: Respondent code of consensus and median files (``<team>--consensus.json``).
CONSENSUS = "consensus"

__all__ = [
    "CONSENSUS",
    "OVERALL",
    "STATUSES",
    "WorkshopSummary",
    "answers_frame",
    "consensus_assessment",
    "consensus_path",
    "discussion_list",
    "find_consensus",
    "load_responses",
    "median_assessment",
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


# --------------------------------------------------------------------------- aggregation


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
        rows["reason"] = _reasons(self.framework, rows)
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
    """The questions each team should discuss first (rule in the module docstring)."""
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
    return _in_discussion_order(frame, n_q)


def _in_discussion_order(frame: pd.DataFrame, n_q: int) -> pd.DataFrame:
    """Sort each team's questions by the discussion rule and number them 1, 2, …"""
    bank_order = np.tile(np.arange(n_q), len(frame) // max(n_q, 1))
    keys = (
        bank_order,
        -frame["weight"].to_numpy(),
        -frame["unknown"].to_numpy(),
        -np.nan_to_num(frame["range"].to_numpy()),
        -np.abs(frame["level_shift"].to_numpy()),
        -frame["disagreement"].to_numpy(),
        np.repeat(np.arange(len(frame) // max(n_q, 1)), n_q),  # team, already sorted
    )
    ordered = frame.iloc[np.lexsort(keys)].reset_index(drop=True)
    ordered["order"] = np.tile(np.arange(1, n_q + 1), len(frame) // max(n_q, 1))
    return ordered


_REASON_COLUMNS = (
    *(f"count_{v}" for v in ANSWER_VALUES),
    *("unknown", "na", "unanswered", "answered", "iqr", "min", "max"),
    *("dimension", "level", "level_shift", "team_rank", "blocker"),
)


def _reasons(framework: Framework, rows: pd.DataFrame) -> list[str]:
    """Why each question is on the list, in one line a facilitator can read out."""
    dimension = {d.id: d.name for d in framework.dimensions}
    level = {lv.rank: level_label(framework, lv.rank) for lv in framework.levels}  # the words every face uses
    rank = {lv.id: lv.rank for lv in framework.levels}
    table = rows.assign(team_rank=rows["team_rank"].fillna(0))
    reasons = []
    # plain Python values row by row: much faster than itertuples on thousands of teams
    for values in zip(*(table[c].tolist() for c in _REASON_COLUMNS), strict=True):
        r = dict(zip(_REASON_COLUMNS, values, strict=True))
        spread = " ".join(f"{v}:{r[f'count_{v}']}" for v in ANSWER_VALUES if r[f"count_{v}"])
        parts = [f"answers {spread or 'none'}"]
        parts += [f"{word} {r[word]}" for word in ("unknown", "na", "unanswered") if r[word]]
        if r["answered"]:
            parts.append(f"IQR {r['iqr']:.2f}, range {r['min']:.0f}-{r['max']:.0f}")
        name, shift, here = dimension[r["dimension"]], r["level_shift"], r["team_rank"]
        if shift:
            change = f"if met, {name} would rise" if shift > 0 else f"if not met, {name} would drop"
            parts.append(f"{change} from {level[here]} to {level[here + shift]}")
        elif r["blocker"]:
            parts.append(f"one of the blockers of {name} at {level[rank[r['level']]]}")
        reasons.append("; ".join(parts))
    return reasons


# --------------------------------------------------------------------------- median and consensus


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

    Each answer's note says how the room answered, e.g. ``team median of 4 answers:
    2:1 3:2 unknown 1``. A good ``base`` for :func:`consensus_assessment`: questions
    nobody discussed keep the median answer.
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
            assessment.answers[question.id] = Answer(value=median[j], note=note)
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
        answer's ``note``.
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
    for qid, decision in decisions.items():
        value, rationale = decision if isinstance(decision, tuple) else (decision, "")
        where = f"decisions.{qid}"
        if qid not in known:
            problems.append(Problem(f"consensus {team}", where, "is not a question of this bank", "check the id"))
            continue
        try:
            assessment.answers[qid] = Answer(value=value, note=rationale)
        except ValidationError as exc:
            what = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            problems.append(Problem(f"consensus {team}", where, what, "use 0-4, 'na' or 'unknown'; keep notes short"))
    if problems:
        raise WorkbookError(problems)
    return assessment
