"""Charts: assert on ``chart.to_dict()`` (data values, layers, scales), plus the offline exporters."""

from __future__ import annotations

import json
import statistics
import typing
import zlib

import altair as alt
import pandas as pd
import pytest

from mlops_workbook import new_assessment, score_assessment, set_answer
from mlops_workbook.charts.figures import (
    ACHIEVED_MARK,
    BAND_CONFIDENCE,
    BANDS,
    STATUS_COLORS,
    STATUS_LABELS,
    TARGET_MARK,
    THEME,
    crosswalk_chart,
    crosswalk_table,
    heatmap,
    level_chart,
    level_table,
    overview_chart,
    overview_table,
    radar_chart,
    radar_table,
    register_theme,
    to_png,
    to_svg,
)
from mlops_workbook.model.frameworks import framework_files, load_framework
from mlops_workbook.model.paths import REFERENCE_FILE
from mlops_workbook.scoring.rules import LevelProgress

# --------------------------------------------------------------------------- helpers


def layers(spec: dict) -> list[dict]:
    """Every unit spec of a (possibly nested) layer chart."""
    found = []
    for layer in spec.get("layer", [spec]):
        found.extend(layers(layer) if "layer" in layer else [layer])
    return found


def named(spec: dict, name: str) -> dict:
    return next(layer for layer in layers(spec) if layer.get("name") == name)


def names(spec: dict) -> set[str]:
    return {layer["name"] for layer in layers(spec) if "name" in layer}


def values(spec: dict, layer: dict) -> list[dict]:
    """A layer's rows (Altair hoists data shared by every layer to the top)."""
    return spec["datasets"][layer.get("data", spec.get("data"))["name"]]


def all_values(spec: dict) -> list[dict]:
    return [row for layer in layers(spec) for row in values(spec, layer)]


def answered(framework, answers: dict, targets: dict | None = None):
    assessment = new_assessment(framework, targets=targets)
    for question_id, value in answers.items():
        set_answer(assessment, question_id, value)
    return score_assessment(framework, assessment)


def pattern(framework, seed: str = "", targets: bool = True):
    """Every question answered with a deterministic pattern (0-4), for any bank."""
    answers = {q.id: zlib.crc32(f"{seed}{q.id}".encode()) % 5 for q in framework.questions}
    target = {d.id: framework.top.id for d in framework.dimensions} if targets else None
    return answered(framework, answers, target)


@pytest.fixture
def card(tiny):
    # a: l1 met (4, 3), l2 not met (1): rank 1, score 1 + 1/3.  b: l1 not met (2): rank 0, score 2/3.
    return answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 3, "tiny.a.three": 1, "tiny.b.one": 2}, {"a": "l2"})


# --------------------------------------------------------------------------- radar


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


# --------------------------------------------------------------------------- level chart


def test_level_chart_has_a_cell_per_dimension_and_level_with_its_status(tiny, card):
    spec = level_chart(tiny, card).to_dict()
    cells = [row for row in all_values(spec) if "status" in row]
    by_cell = {(row["dimension"], row["level"]): row for row in cells}
    assert len(by_cell) == 2 * 3
    expected = {(d.name, p.level_name): p.status for d in card.dimensions for p in d.levels}
    assert {key: row["status"] for key, row in by_cell.items()} == expected
    assert by_cell["Alpha", "One"]["text"] == "2/2" and by_cell["Alpha", "Two"]["text"] == "0/1"
    assert by_cell["Alpha", "One"]["status"] == "met" and by_cell["Beta", "One"]["status"] == "not_met"


def test_level_chart_marks_achieved_and_target_levels(tiny, card):
    spec = level_chart(tiny, card).to_dict()
    marks = {(row["dimension"], row["level"]): row["marks"] for row in all_values(spec) if "marks" in row}
    assert marks["Alpha", "One"] == ACHIEVED_MARK
    assert marks["Alpha", "Two"] == TARGET_MARK
    assert marks["Beta", "Zero"] == ACHIEVED_MARK
    assert sum(bool(m) for m in marks.values()) == 3
    bordered = [layer for layer in layers(spec) if layer["mark"].get("strokeWidth") == 3 and "fill" in layer["mark"]]
    assert [(r["dimension"], r["level"]) for r in values(spec, bordered[0])] == [("Alpha", "One"), ("Beta", "Zero")]


def test_level_chart_shows_not_assessed_dimensions(tiny):
    only_a = answered(tiny, {"tiny.a.one": 4})
    spec = level_chart(tiny, only_a).to_dict()
    beta = [row for row in all_values(spec) if row.get("dimension") == "Beta (not assessed)" and "status" in row]
    assert {row["status"] for row in beta} == {"baseline", "not_assessed"}
    assert not any(row["achieved"] for row in beta)


def test_level_chart_colours_come_from_the_shared_palette(tiny, card):
    spec = level_chart(tiny, card).to_dict()
    scale = next(layer["encoding"]["color"]["scale"] for layer in layers(spec) if layer["mark"]["type"] == "rect")
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        STATUS_LABELS[s]: STATUS_COLORS[s] for s in ("met", "not_met", "baseline")
    }


def test_level_table_matches_the_chart(tiny, card):
    table = level_table(tiny, card)
    assert len(table) == 6
    row = table[(table["Dimension"] == "Alpha") & (table["Level"] == "One")].iloc[0]
    assert (row["Met"], row["Applicable"], row["Status"], row["Achieved"]) == (2, 2, "Met", True)
    assert table["Target"].sum() == 1


def test_every_level_status_has_a_colour_label_and_text_colour():
    statuses = typing.get_args(typing.get_type_hints(LevelProgress.status.fget)["return"])
    assert set(statuses) <= set(STATUS_COLORS) and set(STATUS_COLORS) == set(STATUS_LABELS)


# --------------------------------------------------------------------------- overview and crosswalk


def test_overview_chart_shows_each_level_with_its_summary(tiny):
    spec = overview_chart(tiny).to_dict()
    rows = values(spec, named(spec, "overview_levels"))
    assert [row["level"] for row in rows] == ["Zero", "One", "Two"]
    assert [row["full_summary"] for row in rows] == ["baseline", "first", "second"]
    assert overview_table(tiny)["Level"].tolist() == ["Zero", "One", "Two"]


def test_crosswalk_draws_each_level_as_a_span_on_the_common_scale(tiny):
    other = tiny.model_copy(deep=True, update={"id": "other", "short_name": "Other"})
    spans = ((0, 0), (1, 2), (2, 3))
    other.levels = [
        lv.model_copy(update={"band": b, "band_note": f"note {lv.id}"})
        for lv, b in zip(tiny.levels, spans, strict=True)
    ]
    spec = crosswalk_chart([tiny, other]).to_dict()
    rows = values(spec, named(spec, "crosswalk_levels"))
    assert [(r["model"], r["level"], r["low"], r["high"]) for r in rows] == [
        ("Tiny", "Zero", 0, 0),
        ("Tiny", "One", 1, 1),
        ("Tiny", "Two", 2, 2),
        ("Other", "Zero", 0, 0),
        ("Other", "One", 1, 2),
        ("Other", "Two", 2, 3),
    ]
    # A span is a rule from its lowest to its highest band.
    encoding = named(spec, "crosswalk_levels")["encoding"]
    assert (encoding["x"]["field"], encoding["x2"]["field"]) == ("low", "high")
    assert "crosswalk_team" not in names(spec)
    # Each model heads its own group of level rows, in the order given.
    assert [r["text"] for r in values(spec, named(spec, "crosswalk_rows"))] == ["Tiny", "Other"]
    bands = [r["name"].replace("\n", " ").strip() for r in values(spec, named(spec, "crosswalk_bands"))]
    assert bands[0] == "0 Manual / ad hoc (high confidence)"
    assert bands[3].startswith("3 Full automated operations") and bands[3].endswith("(medium-low confidence)")
    table = crosswalk_table([tiny, other])
    assert table["Span"].tolist() == ["0", "1", "2", "0", "1–2", "2–3"]
    assert table.loc[4, "Bands"] == "Automated training → Automated deployment (CI/CD)"
    assert table.loc[4, "Confidence"] == "medium-high / medium" and table.loc[4, "Why"] == "note l1"


def test_crosswalk_confidence_matches_the_reference():
    crosswalk = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))["crosswalk"]
    assert {row["band"]: row["confidence"] for row in crosswalk} == BAND_CONFIDENCE
    assert {row["band"] for row in crosswalk} == set(BANDS)


def test_crosswalk_outlines_the_teams_overall_level_across_its_span(tiny, card):
    wide = tiny.model_copy(deep=True)
    wide.levels = [lv.model_copy(update={"band": (lv.rank, min(lv.rank + 1, 3))}) for lv in tiny.levels]
    spec = crosswalk_chart([wide], {"tiny": card}).to_dict()
    teams = values(spec, named(spec, "crosswalk_team"))
    assert [(t["model"], t["level"], t["low"], t["high"], t["score"]) for t in teams] == [("Tiny", "Zero", 0, 1, 1.0)]
    assert teams[0]["left"] < 0 < 1 < teams[0]["right"]


# --------------------------------------------------------------------------- heatmap


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


# --------------------------------------------------------------------------- theme and exporters


def test_theme_is_registered_once_and_enabled():
    register_theme()
    register_theme()
    assert alt.theme.active == THEME
    config = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().to_dict()["config"]
    assert config["axis"]["labelFontSize"] >= 13 and config["range"]["category"][0] == "#E69F00"


def test_to_svg_renders_offline_and_keeps_text_as_text(tiny, card):
    svg = to_svg(level_chart(tiny, card))
    assert svg.lstrip().startswith("<svg") and "One" in svg
    framework = tiny.model_copy(deep=True)
    framework.dimensions[0] = framework.dimensions[0].model_copy(update={"name": "<b>A & B</b>"})
    svg = to_svg(radar_chart(framework, answered(framework, {"tiny.a.one": 4})))
    assert "<b>" not in svg and "&lt;b&gt;A &amp; B&lt;/b&gt;" in svg


def test_exporters_refuse_external_urls():
    chart = alt.Chart("https://example.invalid/data.csv").mark_point().encode(x="a:Q")
    with pytest.raises(ValueError, match="not allowed"):
        to_svg(chart)


def test_to_png_returns_png_bytes(tiny, card):
    assert to_png(overview_chart(tiny), scale=1).startswith(b"\x89PNG\r\n\x1a\n")


# --------------------------------------------------------------------------- every bundled bank


@pytest.mark.parametrize("path", framework_files(), ids=lambda p: p.stem)
def test_charts_build_and_render_for_every_bundled_bank(path):
    framework = load_framework(path)
    card = pattern(framework, "me")
    others = [pattern(framework, f"o{i}") for i in range(3)]
    charts = [
        radar_chart(framework, card, previous=pattern(framework, "before"), others=others, median=True),
        level_chart(framework, card),
        overview_chart(framework),
        crosswalk_chart([framework], {framework.id: card}),
    ]
    for chart in charts:
        svg = to_svg(chart)
        assert "<svg" in svg and framework.short_name in svg
    spec = charts[0].to_dict()
    assert len(values(spec, named(spec, "radar_current"))) == len(framework.dimensions)
    assert len(level_table(framework, card)) == len(framework.dimensions) * len(framework.levels)


def test_radar_redraws_reuse_the_spec_skeleton_without_changing_the_spec():
    """The cached fast path gives exactly the spec Altair would (datasets named by position)."""
    import json

    from mlops_workbook import load_assessment, load_framework, score_assessment, set_answer
    from mlops_workbook.charts.figures import _spec, alt, radar_chart

    def by_position(spec):
        spec = json.loads(json.dumps(spec))
        order = []
        for layer in spec["layer"]:
            name = layer.get("data", {}).get("name")
            if name and name not in order:
                order.append(name)
        for layer in spec["layer"]:
            if "data" in layer:
                layer["data"]["name"] = f"d{order.index(layer['data']['name'])}"
        spec["datasets"] = {f"d{i}": spec["datasets"][name] for i, name in enumerate(order)}
        return spec

    fw = load_framework("aws")
    a = load_assessment("data/examples/aws-retail-forecasting.json")
    for value in (0, 4, 2, "na", 3, 1):
        set_answer(a, "aws.deploy.automated_deployment", value)
        set_answer(a, "aws.people.shared_goals", 4 if value == 0 else 1)
        chart = radar_chart(fw, score_assessment(fw, a))
        with alt.data_transformers.enable("mlops_workbook_fast"):
            expected = chart.to_dict(validate=False)
        assert by_position(_spec(chart)) == by_position(expected)
