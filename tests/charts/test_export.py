"""Export (charts/export.py): SVG/PNG offline, the radar's spec cache, every chart of every bundled bank."""

from __future__ import annotations

import altair as alt
import pytest

from mlops_workbook.charts.crosswalk import crosswalk_chart
from mlops_workbook.charts.export import chart_spec, to_png, to_svg
from mlops_workbook.charts.levels import level_chart, level_table
from mlops_workbook.charts.overview import overview_chart
from mlops_workbook.charts.radar import radar_chart
from mlops_workbook.charts.theme import register_data_transformer
from mlops_workbook.model.frameworks import framework_files, load_framework
from tests.charts.specs import answered, named, pattern, values


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
        with alt.data_transformers.enable(register_data_transformer()):
            expected = chart.to_dict(validate=False)
        assert by_position(chart_spec(chart)) == by_position(expected)


def test_a_skeleton_made_under_one_theme_is_not_reused_under_another():
    """The cached radar skeleton carries the theme's config: switching themes must not return the old one
    (fails without the active theme in chart_spec's cache key; the suite's order made it flaky)."""
    from mlops_workbook import load_assessment, load_framework, score_assessment
    from mlops_workbook.charts import use_workbook_theme

    fw = load_framework("aws")
    card = score_assessment(fw, load_assessment("data/examples/aws-retail-forecasting.json"))
    before = alt.theme.active
    try:
        use_workbook_theme()
        chart_spec(radar_chart(fw, card)), chart_spec(radar_chart(fw, card))  # the second one is cached
        alt.theme.enable("default")
        spec = chart_spec(radar_chart(fw, card))
        with alt.data_transformers.enable(register_data_transformer()):
            assert spec["config"] == radar_chart(fw, card).to_dict(validate=False)["config"]
    finally:
        alt.theme.enable(before)
