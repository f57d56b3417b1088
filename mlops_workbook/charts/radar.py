"""The radar: scores per dimension, with target, previous-round and group overlays.

Altair has no radar mark, so the radar is drawn in plain x/y space: polygon vertices
at ``x = r·sin θ, y = r·cos θ`` (first dimension at the top, clockwise), rings and
spokes as line/rule marks, hidden axes and identical x/y domains on a square view.
:func:`radar_table` holds the same numbers, for screen readers and reports.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import altair as alt
import pandas as pd

from mlops_workbook.charts.build import built_fast, layered
from mlops_workbook.charts.export import describe, mark_structure
from mlops_workbook.charts.labels import chart_title, vega_string, wrap_text
from mlops_workbook.charts.theme import GREY, GRID, OKABE_ITO
from mlops_workbook.model.schema import Framework
from mlops_workbook.scoring.rules import DimensionScore, ScoreCard

#: Radar series: label, colour, dash, stroke width, opacity.
SERIES = {
    "current": ("Current", OKABE_ITO[4], (1, 0), 3.0, 1.0),
    "target": ("Target", OKABE_ITO[5], (7, 4), 2.5, 1.0),
    "previous": ("Previous round", "#767676", (1, 0), 2.5, 1.0),
    "others": ("Other respondents", OKABE_ITO[1], (1, 0), 1.0, 0.6),
    "median": ("Median of others", OKABE_ITO[6], (1, 0), 4.5, 1.0),
}
_AXIS_LINE = 17  # px, line height of radar axis labels
#: Vertical anchors of the axis-label layers (typed for altair: ``mark_text(baseline=...)`` takes these words only).
_BASELINES: tuple[Literal["bottom", "middle", "top"], ...] = ("bottom", "middle", "top")
_RING_LINE = 15


def _score_text(d: DimensionScore) -> str:
    return f"{d.score:.2f} · {d.level_name}" if d.assessed and d.score is not None else "not assessed"


def radar_table(framework: Framework, card: ScoreCard, previous: ScoreCard | None = None) -> pd.DataFrame:
    """The radar's numbers: one row per dimension (score ``None`` when not assessed)."""
    rows = []
    for d in card.dimensions:
        row: dict[str, Any] = {
            "Dimension": d.name,
            "Level": d.level_name if d.assessed else "not assessed",
            "Score": None if d.score is None else round(d.score, 2),
            "Target": framework.level_at(d.target_rank).name if d.target_rank is not None else "",
        }
        if previous is not None:
            before = previous.dimension(d.id)
            row["Previous score"] = None if before.score is None else round(before.score, 2)
        rows.append(row)
    return pd.DataFrame(rows)


def _relabel(names: Mapping[str, str]) -> str:
    """A legend ``labelExpr`` showing ``names[key]`` in place of each series' own name.

    >>> _relabel({"current": "Consensus"})
    "datum.label == 'Current' ? 'Consensus' : datum.label"
    """
    expr = "datum.label"
    for key, name in reversed(list(names.items())):
        expr = f"datum.label == {vega_string(SERIES[key][0])} ? {vega_string(name)} : {expr}"
    return expr


def _angles(n: int) -> list[float]:
    return [2 * math.pi * i / n for i in range(n)]


def _polygon(series: str, radii: Sequence[float], names: Sequence[str], polygon: str = "") -> pd.DataFrame:
    label = SERIES[series][0]
    return pd.DataFrame(
        [
            {
                "series": label,
                "polygon": polygon or series,
                "vertex": i,
                "dimension": name,
                "r": round(r, 4),
                "x": r * math.sin(theta),
                "y": r * math.cos(theta),
            }
            for i, (r, name, theta) in enumerate(zip(radii, names, _angles(len(radii)), strict=True))
        ]
    )


def _series_scale(present: list[str]) -> dict[str, alt.Scale]:
    keys = [k for k in SERIES if SERIES[k][0] in present]
    return {
        "color": alt.Scale(domain=[SERIES[k][0] for k in keys], range=[SERIES[k][1] for k in keys]),
        "strokeDash": alt.Scale(domain=[SERIES[k][0] for k in keys], range=[list(SERIES[k][2]) for k in keys]),
        # Ordinal: a nominal field on a numeric channel otherwise gets a "point" scale that
        # spreads the range between its first two values, so a third series came out wrong.
        "strokeWidth": alt.Scale(
            type="ordinal", domain=[SERIES[k][0] for k in keys], range=[SERIES[k][3] for k in keys]
        ),
        "opacity": alt.Scale(type="ordinal", domain=[SERIES[k][0] for k in keys], range=[SERIES[k][4] for k in keys]),
    }


@built_fast
def radar_chart(
    framework: Framework,
    card: ScoreCard,
    *,
    target: bool = True,
    previous: ScoreCard | None = None,
    others: Sequence[ScoreCard] = (),
    median: bool = False,
    title: str | None = None,
    series_names: Mapping[str, str] | None = None,
    subtitle: Sequence[str] = (),
) -> alt.LayerChart:
    """Scores per dimension as a radar, with optional target, previous-round and group overlays.

    Rings are the model's levels; a not-assessed dimension is plotted at 0 and says so in
    its axis label. ``median=True`` adds the per-dimension median of ``others`` (respondents
    whose dimension is not assessed are left out of its median). ``series_names`` renames series in
    the legend (``{"current": "Consensus"}``); ``subtitle`` lines come before the one on rings.
    """
    dims = card.dimensions
    names = [d.name for d in dims]
    n = len(dims)
    top = card.top_rank
    size = 440
    reach = top * 1.12  # square domain; labels past it are kept by autosize "pad"

    # Web: rings at each rank above the baseline, spokes to the top rank.
    rings = pd.DataFrame(
        [
            {"ring": rank, "vertex": i, "x": rank * math.sin(t), "y": rank * math.cos(t)}
            for rank in range(1, top + 1)
            for i, t in enumerate(_angles(n))
        ]
    )
    spokes = pd.DataFrame(
        {
            "x": 0.0,
            "y": 0.0,
            "x2": [top * math.sin(t) for t in _angles(n)],
            "y2": [top * math.cos(t) for t in _angles(n)],
        }
    )
    # Vega starts a multi-line text at its anchor and runs down, whatever the baseline:
    # lift each block (in data units) so it ends at its anchor (bottom) or centres on it (middle).
    px = size / (2 * reach)

    def lift(label: str, line_height: float, baseline: str) -> float:
        extra = label.count("\n") * line_height / px
        return {"bottom": extra, "middle": extra / 2}.get(baseline, 0.0)

    # Ring labels sit where the last spoke's web meets the first: mid-edge, left of the top spoke.
    half = -math.pi / n
    inner = math.cos(math.pi / n)
    # Wrap long level names only where the rings are far enough apart for two lines.
    ring_gap = px * inner * inner
    ring_wrap = 22 if ring_gap >= 2 * _RING_LINE + 6 else 60
    ring_labels = pd.DataFrame(
        [
            {
                "rank": lv.rank,
                "label": (label := wrap_text(lv.name, ring_wrap)),
                "x": lv.rank * inner * math.sin(half),
                "y": lv.rank * inner * math.cos(half) + lift(label, _RING_LINE, "bottom"),
            }
            for lv in framework.levels_by_rank
        ]
    )
    rows = []
    for d, t in zip(dims, _angles(n), strict=True):
        label = wrap_text(d.name, 18) + "\n" + wrap_text(_score_text(d), 24)
        baseline = "bottom" if math.cos(t) > 0.5 else ("top" if math.cos(t) < -0.5 else "middle")
        rows.append(
            {
                "dimension": d.name,
                "label": label,
                "x": top * 1.1 * math.sin(t),
                "y": top * 1.1 * math.cos(t) + lift(label, _AXIS_LINE, baseline),
                "align": "center" if abs(math.sin(t)) < 0.2 else ("left" if math.sin(t) > 0 else "right"),
                "baseline": baseline,
                # How far the label runs below the plot area, to place the legend beneath it.
                "overflow": (-top * 1.1 * math.cos(t) - reach) * px + (label.count("\n") + 1) * _AXIS_LINE
                if baseline == "top"
                else 0.0,
            }
        )
    axis_labels = pd.DataFrame(rows)

    scale = alt.Scale(domain=[-reach, reach], nice=False, zero=False)
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    layers: list[alt.Chart] = [
        alt.Chart(rings)
        .mark_line(interpolate="linear-closed", color=GRID, strokeWidth=1)
        .encode(x, y, detail=alt.Detail("ring:N"), order=alt.Order("vertex:Q")),
        alt.Chart(spokes).mark_rule(color=GRID, strokeWidth=1).encode(x, y, x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q")),
    ]

    polygons: dict[str, pd.DataFrame] = {}
    polygons["current"] = _polygon("current", [d.score or 0.0 for d in dims], names)
    polygons["current"]["level"] = [_score_text(d) for d in dims]
    if target and any(d.target_rank is not None for d in dims):
        polygons["target"] = _polygon(
            "target", [d.target_rank if d.target_rank is not None else (d.score or 0.0) for d in dims], names
        )
        polygons["target"]["level"] = [
            framework.level_at(d.target_rank).name if d.target_rank is not None else "no target set" for d in dims
        ]
    if previous is not None:
        before = [previous.dimension(d.id) for d in dims]
        polygons["previous"] = _polygon("previous", [b.score or 0.0 for b in before], names)
        polygons["previous"]["level"] = [_score_text(b) for b in before]
    if others:
        polygons["others"] = pd.concat(
            [
                _polygon("others", [o.dimension(d.id).score or 0.0 for d in dims], names, f"other-{i}")
                for i, o in enumerate(others)
            ],
            ignore_index=True,
        )
    if median and others:
        medians: list[float] = []
        for d in dims:
            known = [s for o in others if (s := o.dimension(d.id).score) is not None]
            medians.append(statistics.median(known) if known else 0.0)
        polygons["median"] = _polygon("median", medians, names)
        polygons["median"]["level"] = [f"median {m:.2f}" for m in medians]

    present = [SERIES[k][0] for k in polygons]
    scales = _series_scale(present)
    # The bottom axis label is drawn outside the plot area: push the legend below it.
    offset = 16 + max(0.0, float(axis_labels["overflow"].max()))
    legend = alt.Legend(
        title=None,
        orient="bottom",
        direction="horizontal",
        symbolType="stroke",
        symbolStrokeWidth=3,
        columns=3,
        labelFontSize=14,
        offset=offset,
    )
    if series_names:
        legend.labelExpr = _relabel(series_names)
    series_encoding = {
        "color": alt.Color("series:N", scale=scales["color"], legend=legend),
        "strokeDash": alt.StrokeDash("series:N", scale=scales["strokeDash"], legend=legend),
        "strokeWidth": alt.StrokeWidth("series:N", scale=scales["strokeWidth"], legend=None),
        "opacity": alt.Opacity("series:N", scale=scales["opacity"], legend=None),
    }
    tooltip = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("dimension:N", title="Dimension"),
        alt.Tooltip("r:Q", title="Score", format=".2f"),
    ]
    # Filled area first, so every outline stays visible on top of it.
    layers.append(
        alt.Chart(polygons["current"])
        .mark_line(interpolate="linear-closed", fill=SERIES["current"][1], fillOpacity=0.22, strokeOpacity=0)
        .encode(x, y, order=alt.Order("vertex:Q"))
    )
    for key in ("others", "previous", "median", "target", "current"):
        if key not in polygons:
            continue
        layers.append(
            alt.Chart(polygons[key], name=f"radar_{key}")
            .mark_line(interpolate="linear-closed")
            .encode(x, y, detail=alt.Detail("polygon:N"), order=alt.Order("vertex:Q"), **series_encoding)
        )
        if key != "others":
            layers.append(
                alt.Chart(polygons[key])
                .mark_point(filled=True, size=70 if key == "current" else 45, opacity=1)
                .encode(x, y, color=series_encoding["color"], tooltip=[*tooltip, alt.Tooltip("level:N", title="Level")])
            )

    halo: dict[str, Any] = {"stroke": "#FFFFFF", "strokeWidth": 4, "strokeJoin": "round"}
    ring_text: dict[str, Any] = {
        "fontSize": 13,
        "align": "right",
        "baseline": "bottom",
        "dx": -4,
        "dy": -2,
        "fontStyle": "italic",
        "lineBreak": "\n",
        "lineHeight": _RING_LINE,
    }
    ring_enc = {"x": x, "y": y, "text": alt.Text("label:N")}
    layers += [
        alt.Chart(ring_labels).mark_text(**ring_text, **halo).encode(**ring_enc),
        alt.Chart(ring_labels, name="radar_rings").mark_text(**ring_text, color=GREY).encode(**ring_enc),
    ]
    for align in ("left", "center", "right"):
        for baseline in _BASELINES:
            part = axis_labels[(axis_labels["align"] == align) & (axis_labels["baseline"] == baseline)]
            if part.empty:
                continue
            layers.append(
                alt.Chart(part, name=f"radar_axis_{align}_{baseline}")
                .mark_text(
                    align=align,
                    baseline=baseline,
                    lineBreak="\n",
                    lineHeight=_AXIS_LINE,
                    fontSize=14,
                    fontWeight="bold",
                )
                .encode(x, y, text=alt.Text("label:N"))
            )

    rings_line = f"Rings are levels 1 to {top}; the centre is level 0, {framework.baseline.name}"
    heading = title or f"{framework.short_name}: score by dimension"
    lines = [*subtitle, rings_line] if subtitle else rings_line
    chart = layered(layers, width=size, height=size, title=chart_title(heading, lines))
    groups = tuple(sorted({(row["align"], row["baseline"]) for row in rows}))
    scores = ", ".join(f"{d.name} {'not assessed' if d.score is None else f'{d.score:.1f}'}" for d in dims)
    describe(chart, f"{heading}, 0 to {top}: {scores}; the table below gives every value.")
    shape = (framework.id, framework.version, n, top, tuple(polygons), groups, offset, ring_wrap)
    return mark_structure(chart, ("radar", *shape, tuple(sorted((series_names or {}).items()))))
