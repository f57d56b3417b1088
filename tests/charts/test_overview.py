"""The ladder of a model's levels (charts/overview.py)."""

from __future__ import annotations

from mlops_workbook.charts.overview import overview_chart, overview_table
from tests.charts.specs import named, values


def test_overview_chart_shows_each_level_with_its_summary(tiny):
    spec = overview_chart(tiny).to_dict()
    rows = values(spec, named(spec, "overview_levels"))
    assert [row["level"] for row in rows] == ["Zero", "One", "Two"]
    assert [row["full_summary"] for row in rows] == ["baseline", "first", "second"]
    assert overview_table(tiny)["Level"].tolist() == ["Zero", "One", "Two"]
