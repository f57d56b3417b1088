"""Progress over rounds (charts/trend.py): a team's rounds from the folder, scored and drawn on a dated axis."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mlops_workbook import new_assessment, set_answer
from mlops_workbook.charts.export import to_svg
from mlops_workbook.charts.trend import OVERALL_SERIES, load_rounds, team_rounds, trend_chart, trend_frame, trend_table
from mlops_workbook.model.assessment import assessment_path, round_path, save_assessment, start_new_round
from tests.charts.specs import layers

# Hand-worked on the tiny bank (threshold 3; a dimension's score = its rank + credit of the next level):
ROUNDS = [
    # R1: Alpha l1 met, l2 at 0 -> 1.0; Beta l1 at 0 -> 0.0; overall = weakest rank 0
    (datetime(2026, 1, 10, tzinfo=UTC), {"tiny.a.one": 4, "tiny.a.two": 3, "tiny.a.three": 0, "tiny.b.one": 0}),
    # R2: Alpha l2 at 1 -> 1 + 1/3; Beta l1 met -> 1.0; overall 1
    (datetime(2026, 3, 1, tzinfo=UTC), {"tiny.a.three": 1, "tiny.b.one": 3}),
    # R3: both at the top -> 2.0, 2.0; overall 2
    (datetime(2026, 6, 1, tzinfo=UTC), {"tiny.a.three": 4, "tiny.b.two": 3}),
]


@pytest.fixture
def three_rounds(tiny, tmp_path):
    """The app's way: archive the current round beside the file, continue with a copy."""
    current = assessment_path(tmp_path, "tiny", "Payments", "consensus")
    current.parent.mkdir(parents=True)
    assessment = new_assessment(tiny, team="Payments", respondent="consensus")
    for number, (date, answers) in enumerate(ROUNDS, start=1):
        for qid, value in answers.items():
            set_answer(assessment, qid, value)
        assessment.updated = date
        if number < len(ROUNDS):
            archive = round_path(current, number)
            save_assessment(assessment, archive, touch=False)
            assessment = start_new_round(assessment, archive.name)
    save_assessment(assessment, current, touch=False)
    return current


def test_three_rounds_give_each_dimension_and_the_overall_level_per_round_in_date_order(tiny, tmp_path, three_rounds):
    rounds = team_rounds(tmp_path, "tiny", "Payments", "consensus")
    assert [a.round for a in rounds] == [1, 2, 3]
    frame = trend_frame(tiny, rounds)
    scores = {(r.round, r.series): r.score for r in frame.itertuples()}
    assert scores == {
        (1, "Alpha"): 1.0, (1, "Beta"): 0.0, (1, OVERALL_SERIES): 0.0,
        (2, "Alpha"): 1.333, (2, "Beta"): 1.0, (2, OVERALL_SERIES): 1.0,
        (3, "Alpha"): 2.0, (3, "Beta"): 2.0, (3, OVERALL_SERIES): 2.0,
    }  # fmt: skip
    dates = list(dict.fromkeys(frame["date"]))
    assert dates == ["2026-01-10T00:00:00Z", "2026-03-01T00:00:00Z", "2026-06-01T00:00:00Z"]
    assert frame.loc[frame["series"] == OVERALL_SERIES, "level"].tolist() == [
        "Zero (level 0 of 2)", "One (level 1 of 2)", "Two (level 2 of 2)"
    ]  # fmt: skip
    table = trend_table(frame)
    assert table["Date"].tolist() == ["2026-01-10", "2026-03-01", "2026-06-01"]
    assert table["Alpha"].tolist() == [1.0, 1.33, 2.0]


def test_the_chart_has_a_dated_axis_ticked_at_each_round(tiny, three_rounds):
    chart = trend_chart(tiny, trend_frame(tiny, load_rounds(three_rounds)))
    assert chart is not None
    spec = chart.to_dict()
    x = layers(spec)[0]["encoding"]["x"]
    assert x["type"] == "temporal" and x["scale"]["type"] == "utc"
    ticks = [datetime(2026, 1, 10), datetime(2026, 3, 1), datetime(2026, 6, 1)]
    assert x["axis"]["values"] == [int(t.replace(tzinfo=UTC).timestamp() * 1000) for t in ticks]
    assert "'R3'" in x["axis"]["labelExpr"] and "'01 Jun 2026'" in x["axis"]["labelExpr"]
    overall = layers(spec)[1]
    assert overall["mark"]["interpolate"] == "step-after"
    assert "R3" in to_svg(chart)


def test_one_round_is_no_trend(tiny, tmp_path):
    path = assessment_path(tmp_path, "tiny", "Solo", "R01")
    path.parent.mkdir(parents=True)
    assessment = new_assessment(tiny, team="Solo", respondent="R01")
    set_answer(assessment, "tiny.a.one", 4)
    save_assessment(assessment, path)
    rounds = load_rounds(path)
    assert len(rounds) == 1
    assert trend_chart(tiny, trend_frame(tiny, rounds)) is None
    assert team_rounds(tmp_path, "tiny", "Nobody", "R01") == []


def test_a_missing_archive_leaves_a_gap_not_an_error(tiny, three_rounds):
    round_path(three_rounds, 2).unlink()
    assert [a.round for a in load_rounds(three_rounds)] == [1, 3]
