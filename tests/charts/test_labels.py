"""Text on charts (charts/labels.py)."""

from __future__ import annotations

import pandas as pd

from mlops_workbook.charts.heatmaps import heatmap
from mlops_workbook.charts.labels import chart_title, tilt_labels, wrap_text


def test_tilt_labels_slants_every_layers_column_labels_on_a_copy():
    frame = pd.DataFrame({"team": ["A", "A"], "dimension": ["Data management", "Monitoring"], "score": [1.0, 2.0]})
    chart = heatmap(frame, x="dimension", y="team", value="score", title="Teams", domain=(0, 3))
    tilted = tilt_labels(chart).to_dict()
    axes = [layer["encoding"]["x"]["axis"] for layer in tilted["layer"]]
    assert len(axes) == 3 and all(axis["labelAngle"] == -35 and axis["labelAlign"] == "left" for axis in axes)
    # The chart given is left as it was (fails if tilt_labels stops copying).
    assert all(layer["encoding"]["x"]["axis"]["labelAngle"] == 0 for layer in chart.to_dict()["layer"])


def test_wrap_text_breaks_long_text_and_keeps_empty_text():
    assert wrap_text("Full automated operations at scale", 12) == "Full\nautomated\noperations\nat scale"
    assert wrap_text("", 12) == ""


def test_chart_title_has_a_subtitle_only_when_given_one():
    assert chart_title("Radar").to_dict() == {"text": "Radar"}
    assert chart_title("Radar", ["one", "two"]).to_dict() == {"text": "Radar", "subtitle": ["one", "two"]}
