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


@pytest.mark.parametrize("draw", [radar_chart, level_chart], ids=["radar", "levels"])
def test_redraws_reuse_the_spec_skeleton_without_changing_the_spec(draw):
    """The cached fast path gives exactly the spec Altair would (datasets named by position), also when
    a dimension stops being assessed (its row is renamed), a status appears or goes (the legend changes)
    or the title changes (taken from the chart, not from the skeleton)."""
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

    from mlops_workbook.charts import export

    fw = load_framework("aws")

    def every(dimension):
        return [q.id for q in fw.questions_for(dimension)] if dimension else [q.id for q in fw.questions]

    changes = [(["aws.deploy.automated_deployment"], v) for v in (0, 4, 2, "na", 3, 1, "unknown")]
    changes += [(every("people"), "na"), (every("data"), "na")]  # another row renamed, the same statuses
    changes += [(every(""), 4), (every(""), 0), (every(""), 2)]  # the same rows, statuses come and go
    for i, (questions, value) in enumerate(changes):
        a = load_assessment("data/examples/aws-retail-forecasting.json")
        for question in questions:
            set_answer(a, question, value)
        chart = draw(fw, score_assessment(fw, a), title=f"Change {i}")  # each its own title, never the skeleton's
        with alt.data_transformers.enable(register_data_transformer()):
            expected = chart.to_dict(validate=False)
        assert by_position(chart_spec(chart)) == by_position(expected)
    assert (*chart.__dict__["_mw_structure"], alt.theme.active) in export._SKELETONS  # the fast path was taken


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


def test_an_unchanged_chart_is_drawn_once_and_the_kept_drawings_are_bounded(tiny, card, monkeypatch):
    from mlops_workbook.charts import engine, export

    drawn: list[dict] = []
    real = engine.vegalite_to_svg
    monkeypatch.setattr(engine, "vegalite_to_svg", lambda spec, version: drawn.append(spec) or real(spec, version))
    monkeypatch.setattr(export, "_DRAWN", export.OrderedDict())
    first = to_svg(level_chart(tiny, card))
    assert to_svg(level_chart(tiny, card)) == first and len(drawn) == 1  # the same chart again: not redrawn
    changed = to_svg(level_chart(tiny, answered(tiny, {"tiny.a.one": 4})))
    assert changed != first and len(drawn) == 2  # other data: drawn
    monkeypatch.setattr(export, "DRAWN_KEEP", 1)  # now one kept: a third chart pushes out the other two
    to_svg(level_chart(tiny, answered(tiny, {"tiny.b.one": 4})))
    to_svg(level_chart(tiny, card))
    assert len(drawn) == 4 and len(export._DRAWN) == 1  # the first was let go, so it is drawn again
