"""The generic heatmap (charts/heatmaps.py)."""

from __future__ import annotations

import pandas as pd

from mlops_workbook.charts.export import to_svg
from mlops_workbook.charts.heatmaps import heatmap
from mlops_workbook.charts.theme import STATUS_COLORS
from tests.charts.specs import layers, values


def test_heatmap_keeps_order_and_marks_missing_values():
    frame = pd.DataFrame(
        {"team": ["B", "B", "A", "A"], "dimension": ["x", "y", "x", "y"], "score": [1.5, None, 3.0, 0.25]}
    )
    chart = heatmap(frame, x="dimension", y="team", value="score", title="Teams", domain=(0, 3))
    spec = chart.to_dict()
    cells = next(layer for layer in layers(spec) if "color" in layer.get("encoding", {}))
    assert cells["encoding"]["y"]["sort"] == ["B", "A"]
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 3]
    blanks = next(layer for layer in layers(spec) if layer["mark"].get("fill") == STATUS_COLORS["na"])
    assert blanks["transform"] == [{"filter": "!isValid(datum['score'])"}]
    assert [row["_text"] for row in values(spec, cells)] == ["1.5", "–", "3", "0.25"]
    assert "<svg" in to_svg(chart)
