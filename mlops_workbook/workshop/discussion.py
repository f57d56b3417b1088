"""Discussion order: which questions each team should discuss first, and why, in one line each.

**Discuss first**, per team: highest disagreement first; ties broken by the size of the
level shift, then the range of answers, then the number of ``unknown`` answers, then the
question weight (heaviest first), then bank order. (Disagreement and level shift are
defined in :mod:`mlops_workbook.workshop.aggregation`, which calls these functions on its
question rows.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlops_workbook.model.schema import Framework
from mlops_workbook.scoring.grids import ANSWER_VALUES
from mlops_workbook.scoring.scorecard import level_label


def in_discussion_order(frame: pd.DataFrame, n_q: int) -> pd.DataFrame:
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


REASON_COLUMNS = (
    *(f"count_{v}" for v in ANSWER_VALUES),
    *("unknown", "na", "unanswered", "answered", "iqr", "min", "max"),
    *("dimension", "level", "level_shift", "team_rank", "blocker"),
)


def reasons(framework: Framework, rows: pd.DataFrame) -> list[str]:
    """Why each question is on the list, in one line a facilitator can read out."""
    dimension = {d.id: d.name for d in framework.dimensions}
    level = {lv.rank: level_label(framework, lv.rank) for lv in framework.levels}  # the words every face uses
    rank = {lv.id: lv.rank for lv in framework.levels}
    table = rows.assign(team_rank=rows["team_rank"].fillna(0))
    reasons = []
    # plain Python values row by row: much faster than itertuples on thousands of teams
    for values in zip(*(table[c].tolist() for c in REASON_COLUMNS), strict=True):
        r = dict(zip(REASON_COLUMNS, values, strict=True))
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


__all__ = ["REASON_COLUMNS", "in_discussion_order", "reasons"]
