"""The radar (charts/radar.py): assert on ``chart.to_dict()`` (data values, layers, scales)."""

from __future__ import annotations

import statistics

import pytest

from mlops_workbook.charts.radar import radar_chart, radar_table
from tests.charts.specs import all_values, answered, named, names, pattern, values


def test_radar_has_one_vertex_per_dimension_with_the_score_as_radius(tiny, card):
    spec = radar_chart(tiny, card).to_dict()
    rows = values(spec, named(spec, "radar_current"))
    assert [row["dimension"] for row in rows] == ["Alpha", "Beta"]
    assert [row["r"] for row in rows] == pytest.approx([1 + 1 / 3, 2 / 3], abs=1e-3)
    # First dimension straight up, the rest clockwise: x = r sin θ, y = r cos θ.
    assert rows[0]["x"] == pytest.approx(0) and rows[0]["y"] == pytest.approx(4 / 3, abs=1e-3)
    assert rows[1]["y"] == pytest.approx(-2 / 3, abs=1e-3)
    assert named(spec, "radar_current")["mark"]["interpolate"] == "linear-closed"


def test_radar_rings_are_labelled_with_the_level_names(tiny, card):
    spec = radar_chart(tiny, card).to_dict()
    assert [row["label"] for row in values(spec, named(spec, "radar_rings"))] == ["Zero", "One", "Two"]


def test_radar_is_square_with_hidden_axes(tiny, card):
    spec = radar_chart(tiny, card).to_dict()
    assert spec["width"] == spec["height"]
    current = named(spec, "radar_current")["encoding"]
    assert current["x"]["scale"]["domain"] == current["y"]["scale"]["domain"]
    assert current["x"]["axis"] is None and current["y"]["axis"] is None


def test_radar_overlays_appear_only_when_requested(tiny, card):
    other = pattern(tiny, "x")
    plain = radar_chart(tiny, card, target=False).to_dict()
    assert {n for n in names(plain) if n.startswith("radar_") and n.count("_") == 1} == {
        "radar_current",
        "radar_rings",
    }
    full = radar_chart(tiny, card, previous=pattern(tiny, "p"), others=[other, other], median=True).to_dict()
    assert {"radar_target", "radar_previous", "radar_others", "radar_median"} <= names(full)
    assert "radar_median" not in names(radar_chart(tiny, card, others=[other]).to_dict())
    # The legend lists exactly the series drawn.
    domain = named(full, "radar_current")["encoding"]["color"]["scale"]["domain"]
    assert domain == ["Current", "Target", "Previous round", "Other respondents", "Median of others"]


def test_radar_target_needs_targets(tiny):
    no_targets = answered(tiny, {"tiny.a.one": 4})
    assert "radar_target" not in names(radar_chart(tiny, no_targets).to_dict())


def test_radar_target_is_dashed_at_the_target_rank(tiny, card):
    spec = radar_chart(tiny, card).to_dict()
    target = named(spec, "radar_target")
    assert values(spec, target)[0]["r"] == 2  # Alpha's target l2; Beta has none and follows its score
    scale = target["encoding"]["strokeDash"]["scale"]
    assert scale["range"][scale["domain"].index("Target")] != [1, 0]


def test_radar_others_one_polygon_each_and_their_median(tiny, card):
    others = [pattern(tiny, str(i)) for i in range(4)]
    spec = radar_chart(tiny, card, others=others, median=True).to_dict()
    rows = values(spec, named(spec, "radar_others"))
    assert len({row["polygon"] for row in rows}) == 4 and len(rows) == 4 * 2
    medians = [row["r"] for row in values(spec, named(spec, "radar_median"))]
    expected = [statistics.median(o.dimension(d).score for o in others) for d in ("a", "b")]
    assert medians == pytest.approx(expected, abs=1e-3)


def test_radar_marks_not_assessed_dimensions(tiny):
    only_a = answered(tiny, {"tiny.a.one": 4})
    spec = radar_chart(tiny, only_a).to_dict()
    assert values(spec, named(spec, "radar_current"))[1]["r"] == 0
    labels = [row["label"] for row in all_values(spec) if row.get("dimension") == "Beta" and "label" in row]
    assert labels and "not assessed" in labels[0]
    assert radar_table(tiny, only_a)["Level"].tolist()[1] == "not assessed"


def test_radar_table_has_the_radar_numbers(tiny, card):
    table = radar_table(tiny, card, previous=card)
    assert table["Score"].tolist() == [1.33, 0.67]
    assert table["Target"].tolist() == ["Two", ""]
    assert table["Previous score"].tolist() == [1.33, 0.67]


@pytest.mark.parametrize("count", [3, 5, 6])
def test_radar_works_for_three_to_six_dimensions(tiny, count):
    framework = tiny.model_copy(deep=True)
    framework.dimensions = [
        tiny.dimensions[0].model_copy(update={"id": f"d{i}", "name": f"D{i}"}) for i in range(count)
    ]
    framework.questions = [
        q.model_copy(update={"id": f"tiny.d{i}.q", "dimension": f"d{i}"})
        for i, q in enumerate([tiny.questions[0]] * count)
    ]
    spec = radar_chart(framework, pattern(framework)).to_dict()
    assert len(values(spec, named(spec, "radar_current"))) == count


def test_series_can_be_renamed_in_the_legend_and_subtitle_lines_come_first(tiny, card):
    from mlops_workbook.charts.export import chart_spec, to_svg

    others = [pattern(tiny, "x"), pattern(tiny, "y")]
    chart = radar_chart(
        tiny, card, others=others, median=True, series_names={"current": "Team's view"}, subtitle=["Hi"]
    )
    svg = to_svg(chart)
    assert "Team&#39;s view" in svg or "Team's view" in svg  # the legend says the new name...
    assert ">Current<" not in svg and "Other respondents" in svg  # ...instead of the old one; others unchanged
    assert (
        chart.to_dict()["title"]["subtitle"][0] == "Hi"
        and "Rings are levels" in chart.to_dict()["title"]["subtitle"][1]
    )
    # the same shape with other names is not drawn from the first one's cached skeleton
    chart_spec(chart)
    renamed = radar_chart(
        tiny, card, others=others, median=True, series_names={"current": "Consensus"}, subtitle=["Hi"]
    )
    again = chart_spec(renamed)
    legend = next(
        layer["encoding"]["color"]["legend"]
        for layer in again["layer"]
        if "legend" in layer["encoding"].get("color", {})
    )
    assert "'Consensus'" in legend["labelExpr"] and "Team" not in legend["labelExpr"]
    # the same shape with another subtitle: the skeleton is reused, the title is this chart's
    other_line = chart_spec(
        radar_chart(tiny, card, others=others, median=True, series_names={"current": "Consensus"}, subtitle=["Bye"])
    )
    assert other_line["title"]["subtitle"][0] == "Bye"
