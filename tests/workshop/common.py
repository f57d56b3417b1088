"""Two tiny teams whose every answer is worked out by hand in the workshop tests."""

from __future__ import annotations

import pandas as pd

from mlops_workbook.model.assessment import new_assessment, set_answer
from mlops_workbook.model.schema import Assessment, Framework

QIDS = ("tiny.a.one", "tiny.a.two", "tiny.a.three", "tiny.b.one", "tiny.b.two")

# Team red: every answer worked out by hand in the tests below.
RED = {
    "p1": (3, 4, 0, 3, 1),
    "p2": (4, 3, 2, 3, 3),
    "p3": (3, 3, 4, 4, 3),
    "p4": (0, 3, "unknown", 4, 3),
}

# Team blue: exercises the median rules for na / unknown / unanswered.
BLUE = {
    "q1": ("na", "unknown", 1, "na", None),
    "q2": ("na", "unknown", 2, "unknown", None),
    "q3": (2, 4, None, None, None),
}


def person(fw: Framework, team: str, respondent: str, values: tuple) -> Assessment:
    a = new_assessment(fw, team=team, respondent=respondent, organisation="Acme")
    for qid, value in zip(QIDS, values, strict=True):
        if value is not None:
            set_answer(a, qid, value)
    return a


def row(frame: pd.DataFrame, team: str, **match: str) -> pd.Series:
    found = frame[(frame["team"] == team) & (frame[list(match)] == pd.Series(match)).all(axis=1)]
    assert len(found) == 1, found
    return found.iloc[0]
