"""Answers as matrices: one row per respondent (or team), one column per question.

The number-crunching behind :mod:`mlops_workbook.workshop.aggregation`: counts per answer,
quantiles from counts, the team's median answers, and the rules of
:mod:`mlops_workbook.scoring.rules` applied to every row at once (numpy), so thousands of
respondents aggregate in milliseconds. Internal: the public API is in ``workshop``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlops_workbook.model.schema import Framework

#: ``status`` values of answer frames, in code order.
STATUSES = ("answered", "na", "unknown", "unanswered")
ANSWERED, NA, UNKNOWN, UNANSWERED = range(4)
#: Numeric answers are whole numbers 0-4 (the schema enforces it).
ANSWER_VALUES = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Grid:
    """Answers as matrices: one row per respondent (or team), one column per question."""

    teams: list[str]  # team label of each row
    respondents: list[str]  # respondent code of each row ("" for team grids)
    values: np.ndarray  # float, NaN unless answered
    status: np.ndarray  # int8 codes of STATUSES


def grid(framework: Framework, answers: pd.DataFrame) -> tuple[Grid, list[str], np.ndarray]:
    """The respondent grid, the sorted team labels and each row's team code."""
    qids = [q.id for q in framework.questions]
    qcol = pd.Categorical(answers["question"], categories=qids).codes.astype(np.int64)
    keep = qcol >= 0
    # factorising the Series keeps the fast path of answers_frame's categorical columns
    team_codes, team_labels = pd.factorize(answers["team"][keep], sort=True)
    resp_codes, resp_labels = pd.factorize(answers["respondent"][keep], sort=True)
    combined = team_codes.astype(np.int64) * max(len(resp_labels), 1) + resp_codes
    row, unique = pd.factorize(combined, sort=True)
    n_rows = len(unique)
    status_codes = pd.Categorical(answers["status"], categories=list(STATUSES)).codes[keep]
    values = np.full((n_rows, len(qids)), np.nan)
    status = np.full((n_rows, len(qids)), UNANSWERED, dtype=np.int8)
    values[row, qcol[keep]] = answers["value"].to_numpy(dtype=float)[keep]
    status[row, qcol[keep]] = np.where(status_codes < 0, UNANSWERED, status_codes)
    values[status != ANSWERED] = np.nan
    row_team = (unique // max(len(resp_labels), 1)).astype(np.int64)
    row_resp = unique % max(len(resp_labels), 1)
    labels = [str(t) for t in team_labels]
    people = np.array([str(r) for r in resp_labels], dtype=object)
    grid = Grid(list(np.array(labels, dtype=object)[row_team]), list(people[row_resp]), values, status)
    return grid, labels, row_team


def counts(grid: Grid, row_team: np.ndarray, n_teams: int) -> tuple[np.ndarray, np.ndarray]:
    """Per team x question: counts per status (T, Q, 4) and per numeric answer (T, Q, 5)."""
    n_q = grid.values.shape[1]
    cell = (row_team[:, None] * n_q + np.arange(n_q)[None, :]).ravel()
    by_status = np.bincount(cell * 4 + grid.status.ravel(), minlength=n_teams * n_q * 4)
    answered = grid.status.ravel() == ANSWERED
    numbers = np.nan_to_num(grid.values.ravel()).astype(np.int64)
    by_value = np.bincount(
        cell[answered] * len(ANSWER_VALUES) + numbers[answered], minlength=n_teams * n_q * len(ANSWER_VALUES)
    )
    return by_status.reshape(n_teams, n_q, 4), by_value.reshape(n_teams, n_q, len(ANSWER_VALUES))


def quantile(by_value: np.ndarray, p: float) -> np.ndarray:
    """Linear-interpolation quantile (numpy default) of integer answers given as counts."""
    bins = [by_value[..., i] for i in range(by_value.shape[-1])]
    cumulative = list(np.cumsum(bins, axis=0))  # few bins: loop over them, vectorise the cells
    n = cumulative[-1]
    h = (n - 1) * p
    low = np.floor(np.maximum(h, 0)).astype(np.int64)
    high = np.minimum(low + 1, np.maximum(n - 1, 0))
    # the k-th smallest answer (0-based) is the number of bins whose running count is <= k
    x_low = sum((c <= low).astype(np.int64) for c in cumulative)
    x_high = sum((c <= high).astype(np.int64) for c in cumulative)
    result = x_low + (h - low) * (x_high - x_low)
    return np.where(n > 0, result, np.nan)


def median_grid(by_status: np.ndarray, by_value: np.ndarray, teams: list[str]) -> Grid:
    """The team's median answer per question (rules in the module docstring)."""
    na, unknown = by_status[..., NA], by_status[..., UNKNOWN]
    numeric = by_status[..., ANSWERED]
    answered = numeric + na + unknown
    median = np.floor(quantile(by_value, 0.5))
    status = np.select(
        [answered == 0, 2 * na > answered, 2 * unknown > answered, numeric > 0, unknown > 0],
        [UNANSWERED, NA, UNKNOWN, ANSWERED, UNKNOWN],
        default=NA,
    ).astype(np.int8)
    return Grid(teams, [""] * len(teams), np.where(status == ANSWERED, median, np.nan), status)


# --------------------------------------------------------------------------- vectorised scoring


@dataclass(frozen=True)
class Scored:
    rank: np.ndarray  # (rows, dimensions) float, NaN when not assessed
    score: np.ndarray
    passed: np.ndarray  # (rows, dimensions, levels) bool: every applicable question met
    met: np.ndarray  # (rows, questions) bool
    next_rank: np.ndarray  # (rows, dimensions) int: first level not reached (top + 1 at the top)
    floor: np.ndarray  # (dimensions, levels) int: highest rank <= r with statements (0 if none)


def score_grid(framework: Framework, grid: Grid) -> Scored:
    """:func:`mlops_workbook.scoring.rules.score_dimension` for every row at once."""
    threshold = framework.met_threshold
    top = framework.top.rank
    level_rank = {lv.id: lv.rank for lv in framework.levels}
    q_rank = np.array([level_rank[q.level] for q in framework.questions])
    q_dim = np.array([q.dimension for q in framework.questions], dtype=object)
    weight = np.array([q.weight for q in framework.questions])
    values, status = grid.values, grid.status
    n_rows = values.shape[0]
    met = (status == ANSWERED) & (np.nan_to_num(values, nan=-1.0) >= threshold)
    applicable = status != NA
    credit = np.where(status == ANSWERED, np.minimum(np.nan_to_num(values), threshold) / threshold, 0.0)
    dims = framework.dimensions
    rank = np.full((n_rows, len(dims)), np.nan)
    score = np.full((n_rows, len(dims)), np.nan)
    passed = np.ones((n_rows, len(dims), top + 1), dtype=bool)
    next_rank = np.full((n_rows, len(dims)), top + 1)
    floor = level_floor(framework)
    for d, dimension in enumerate(dims):
        in_dim = q_dim == dimension.id
        partial = np.zeros((n_rows, top + 1))
        for k in range(1, top + 1):
            cols = in_dim & (q_rank == k)
            if not cols.any():
                continue
            weights = applicable[:, cols] * weight[cols]
            passed[:, d, k] = (met[:, cols] | ~applicable[:, cols]).all(axis=1)
            total = weights.sum(axis=1)
            done = (weights * credit[:, cols]).sum(axis=1)
            partial[:, k] = np.divide(done, total, out=np.zeros(n_rows), where=total > 0)
        run = leading_passes(passed[:, d, :])
        achieved = achieved_rank(passed[:, d, :], floor[d])
        progress = partial[np.arange(n_rows), np.minimum(run + 1, top)]
        dim_score = np.where(run == top, float(top), achieved + progress)
        assessed = ((status[:, in_dim] != NA) & (status[:, in_dim] != UNANSWERED)).any(axis=1)
        rank[:, d] = np.where(assessed, achieved, np.nan)
        score[:, d] = np.where(assessed, dim_score, np.nan)
        next_rank[:, d] = run + 1
    return Scored(rank, score, passed, met, next_rank, floor)


def level_floor(framework: Framework) -> np.ndarray:
    """Per dimension and rank r: the highest rank <= r where the dimension has statements."""
    level_rank = {lv.id: lv.rank for lv in framework.levels}
    floor = np.zeros((len(framework.dimensions), framework.top.rank + 1), dtype=np.int64)
    for d, dimension in enumerate(framework.dimensions):
        ranks = {level_rank[q.level] for q in framework.questions if q.dimension == dimension.id}
        for r in range(1, framework.top.rank + 1):
            floor[d, r] = r if r in ranks else floor[d, r - 1]
    return floor


def leading_passes(passed: np.ndarray) -> np.ndarray:
    """How many levels from rank 1 up passed in a row (levels without statements pass)."""
    return np.cumprod(passed[..., 1:], axis=-1).sum(axis=-1)


def achieved_rank(passed: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """:func:`mlops_workbook.scoring.rules._achieved_rank` for rows of one dimension.

    The gated rule: the last level of the unbroken run of passed levels; a level without
    statements passes, so it is reached as soon as the level below it is (``floor`` is
    no longer needed by the rule and kept for callers).
    """
    return leading_passes(passed)


def overall(rank: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weakest assessed dimension and mean score per row; NaN when nothing is assessed."""
    assessed = ~np.isnan(rank)
    count = assessed.sum(axis=1)
    low = np.where(assessed, rank, np.inf).min(axis=1)
    total = np.where(assessed, score, 0.0).sum(axis=1)
    return np.where(count > 0, low, np.nan), np.divide(total, count, out=np.full(len(count), np.nan), where=count > 0)


def decode(grid: Grid) -> np.ndarray:
    """Median answers as the values an :class:`Answer` takes: int, 'na', 'unknown', None."""
    out = np.full(grid.status.shape, None, dtype=object)
    out[grid.status == NA] = "na"
    out[grid.status == UNKNOWN] = "unknown"
    answered = grid.status == ANSWERED
    out[answered] = [int(v) for v in grid.values[answered]]
    return out


def question_layout(framework: Framework) -> tuple[np.ndarray, np.ndarray]:
    """Dimension index and level rank of each question, in bank order."""
    dim_index = {d.id: i for i, d in enumerate(framework.dimensions)}
    level_rank = {lv.id: lv.rank for lv in framework.levels}
    return (
        np.array([dim_index[q.dimension] for q in framework.questions]),
        np.array([level_rank[q.level] for q in framework.questions]),
    )


def blockers(framework: Framework, median: Grid, scored: Scored) -> np.ndarray:
    """Not-met applicable questions at the first level the team does not reach."""
    q_dim, q_rank = question_layout(framework)
    team_rank = scored.rank[:, q_dim]  # (T, Q): rank of each question's dimension
    next_rank = scored.next_rank[:, q_dim]
    return (q_rank[None, :] == next_rank) & ~scored.met & (median.status != NA) & ~np.isnan(team_rank)


def level_shift(framework: Framework, median: Grid, scored: Scored) -> np.ndarray:
    """Levels the dimension would move if each median answer flipped across the threshold."""
    q_dim, q_rank = question_layout(framework)
    passes = scored.met | (median.status == NA)
    before = [achieved_rank(scored.passed[:, d, :], scored.floor[d]) for d in range(scored.floor.shape[0])]
    shift = np.zeros(median.status.shape, dtype=np.int64)
    for j in range(len(q_dim)):
        d, k = q_dim[j], q_rank[j]
        same = (q_dim == d) & (q_rank == k)
        others_pass = passes[:, same].sum(axis=1) - passes[:, j] == same.sum() - 1
        flipped = np.where(median.status[:, j] == NA, True, ~scored.met[:, j])
        levels = scored.passed[:, d, :].copy()
        levels[:, k] = others_pass & flipped
        shift[:, j] = achieved_rank(levels, scored.floor[d]) - before[d]
    return shift
