"""Altair charts of banks and score cards, their table alternatives, and offline exporters.

Functions here *build* charts and never display them. Every chart has a ``*_table``
twin with the same numbers, for screen readers, reports and anyone who prefers a table.
:func:`to_svg` and :func:`to_png` render in-process with vl-convert and refuse external
URLs, so charts work in locked-down rooms and in CI without network.

Altair has no radar mark, so the radar is drawn in plain x/y space: polygon vertices
at ``x = r·sin θ, y = r·cos θ`` (first dimension at the top, clockwise), rings and
spokes as line/rule marks, hidden axes and identical x/y domains on a square view.
"""

from __future__ import annotations

import copy
import math
import re
import statistics
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from mlops_workbook.charts import engine
from mlops_workbook.model.schema import Framework
from mlops_workbook.scoring.rules import DimensionScore, LevelProgress, ScoreCard

THEME = "mlops_workbook"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"

#: Okabe–Ito: eight colours distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")

#: One palette for level progress, shared by charts, the app and reports (fill, text colour, label).
STATUS_COLORS = {
    "met": "#009E73",
    "partly": "#F0E442",
    "not_met": "#D55E00",
    "na": "#D9D9D9",
    "baseline": "#E8EEF4",
    "empty": "#F2F2F2",
    "not_assessed": "#FFFFFF",
}
STATUS_TEXT_COLORS = {
    "met": "#FFFFFF",
    "partly": "#1A1A1A",
    "not_met": "#FFFFFF",
    "na": "#1A1A1A",
    "baseline": "#1A1A1A",
    "empty": "#595959",
    "not_assessed": "#767676",
}
STATUS_LABELS = {
    "met": "Met",
    "partly": "Partly met",
    "not_met": "Not met",
    "na": "Not applicable",
    "baseline": "Baseline",
    "empty": "No statements at this level",
    "not_assessed": "Not assessed",
}

#: Radar series: label, colour, dash, stroke width, opacity.
SERIES = {
    "current": ("Current", OKABE_ITO[4], (1, 0), 3.0, 1.0),
    "target": ("Target", OKABE_ITO[5], (7, 4), 2.5, 1.0),
    "previous": ("Previous round", "#767676", (1, 0), 2.5, 1.0),
    "others": ("Other respondents", OKABE_ITO[1], (1, 0), 1.0, 0.6),
    "median": ("Median of others", OKABE_ITO[6], (1, 0), 4.5, 1.0),
}

#: The common 0-3 scale of the crosswalk (``Level.band``), from data/reference/frameworks.json.
BANDS = {
    0: "Manual / ad hoc",
    1: "Automated training",
    2: "Automated deployment (CI/CD)",
    3: "Full automated operations at scale",
}
#: How sure the reference's crosswalk is of each band's alignment across the models.
BAND_CONFIDENCE = {0: "high", 1: "medium-high", 2: "medium", 3: "medium-low"}

ACHIEVED_MARK = "●"
# Both glyphs are in WGL4, so common sans fonts have them and renderers need no fallback font.
TARGET_MARK = "○"
_VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
_GREY = "#595959"
_GRID = "#BDBDBD"
_AXIS_LINE = 17  # px, line height of radar axis labels
_RING_LINE = 15


# --------------------------------------------------------------------------- theme


def _theme() -> alt.theme.ThemeConfig:
    label = {"labelFont": FONT, "labelFontSize": 13, "titleFont": FONT, "titleFontSize": 14, "labelColor": "#1A1A1A"}
    return alt.theme.ThemeConfig(
        config={
            "background": "#FFFFFF",
            "font": FONT,
            "padding": 12,
            "view": {"stroke": None, "continuousWidth": 480, "continuousHeight": 320},
            "title": {
                "font": FONT,
                "fontSize": 18,
                "subtitleFont": FONT,
                "subtitleFontSize": 14,
                "subtitleColor": _GREY,
                "anchor": "start",
                "offset": 12,
            },
            "axis": {**label, "titleColor": "#1A1A1A", "gridColor": "#E0E0E0", "domainColor": "#8C8C8C"},
            "legend": {**label, "titleColor": "#1A1A1A", "symbolSize": 160, "labelLimit": 260},
            "header": {"labelFont": FONT, "labelFontSize": 14, "titleFont": FONT, "titleFontSize": 14},
            "text": {"font": FONT, "fontSize": 13, "color": "#1A1A1A"},
            "range": {"category": list(OKABE_ITO)},
        }
    )


def register_theme() -> None:
    """Register and enable the workbook theme (idempotent: registering again replaces it)."""
    alt.theme.register(THEME, enable=True)(_theme)


register_theme()


# --------------------------------------------------------------------------- exporters
# Encodings are written as channel objects (alt.Text("label:N")), never as shorthand
# strings: Altair turns each string into a channel through a schema lookup costing ~1 ms,
# which made the radar ~80 ms slower to build - too slow for redrawing on every answer.


def _fast_values(data: Any) -> Any:
    """Inline a DataFrame as plain records: our frames hold only numbers, text and NaN,
    so Altair's general sanitising (dates, categories, numpy scalars: ~5 ms a frame) is
    not needed. Anything else goes through Altair's default transformer."""
    if isinstance(data, pd.DataFrame):
        frame = data.astype(object).where(data.notna(), None)
        return {"values": frame.to_dict(orient="records")}
    return alt.vegalite.data.default_data_transformer(data)


alt.data_transformers.register("mlops_workbook_fast", _fast_values)


# Layered charts redrawn on every answer (the radar) keep the skeleton of their spec
# here, by a key of everything that shapes it other than data: only the data change.
_SKELETONS: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, int]]] = {}


def _mark_structure(chart: alt.LayerChart, key: tuple[Any, ...]) -> alt.LayerChart:
    """Tag a layered chart whose spec depends on its data frames and on ``key`` only."""
    object.__setattr__(chart, "_mw_structure", key)  # not a Vega-Lite property: bypass altair
    return chart


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec (not schema-validated: the tests validate every chart built here).

    For a chart tagged by :func:`_mark_structure`, the second and later specs of the same
    structure reuse the first one's skeleton and only swap in the new data: ~40 ms less
    per radar, which is the difference between a redraw that feels instant or not.
    """
    key = chart.__dict__.get("_mw_structure")
    cached = _SKELETONS.get(key) if key is not None else None
    if cached is not None:
        skeleton, sources = cached
        spec = copy.deepcopy(skeleton)
        spec["datasets"] = {name: _fast_values(chart.layer[i].data)["values"] for name, i in sources.items()}
        return spec
    with alt.data_transformers.enable("mlops_workbook_fast"):
        spec = chart.to_dict(validate=False)
    if key is not None:
        _remember_skeleton(key, chart, spec)
    return spec


def _remember_skeleton(key: tuple[Any, ...], chart: alt.LayerChart, spec: dict[str, Any]) -> None:
    """Map each dataset of ``spec`` to the layer whose frame it holds, then keep the rest.

    Frames with equal content are merged into one dataset by Altair; when two *distinct*
    frames happen to be equal this time, the mapping would not hold next time, so
    nothing is cached.
    """
    frames: dict[int, int] = {}
    for i, layer in enumerate(chart.layer):
        if isinstance(layer.data, pd.DataFrame):
            frames.setdefault(id(layer.data), i)
    datasets = spec.get("datasets", {})
    if len(datasets) != len(frames):
        return
    records = {i: _fast_values(chart.layer[i].data)["values"] for i in frames.values()}
    sources: dict[str, int] = {}
    for name, values in datasets.items():
        match = [i for i, r in records.items() if r == values]
        if len(match) != 1:
            return
        sources[name] = match[0]
    _SKELETONS[key] = ({k: v for k, v in spec.items() if k != "datasets"}, sources)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render to an SVG string in-process (no browser, no network: external URLs are refused)."""
    return engine.vegalite_to_svg(_spec(chart), _VL_VERSION)  # a room's shared renderer, else in-process


def warm_up() -> None:
    """Render one tiny chart: vl-convert starts its JavaScript engine on first use (~0.4 s).

    Call it where that time is free (a pre-heated kernel, a report worker's start).
    """
    to_svg(alt.Chart(alt.InlineData(values=[{"a": 1}])).mark_point().encode(x=alt.X("a:Q")))


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """Render to PNG bytes in-process; ``scale=2`` gives crisp images for slides and reports."""
    return engine.vegalite_to_png(_spec(chart), _VL_VERSION, scale)


# --------------------------------------------------------------------------- helpers


def _wrap(text: str, width: int) -> str:
    """Line breaks for text marks (``lineBreak="\\n"``); text is otherwise kept as it is."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text


def _score_text(d: DimensionScore) -> str:
    return f"{d.score:.2f} · {d.level_name}" if d.assessed and d.score is not None else "not assessed"


def _ranked(rank: int, name: str) -> str:
    """``2 Reliable``, but ``Level 2 - CI/CD…`` stays as it is when the name already says its rank."""
    return name if re.search(rf"\b{rank}\b", name) else f"{rank}  {name}"


def _title(text: str, subtitle: str = "") -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=subtitle) if subtitle else alt.TitleParams(text)


# --------------------------------------------------------------------------- radar


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


def radar_chart(
    framework: Framework,
    card: ScoreCard,
    *,
    target: bool = True,
    previous: ScoreCard | None = None,
    others: Sequence[ScoreCard] = (),
    median: bool = False,
    title: str | None = None,
) -> alt.LayerChart:
    """Scores per dimension as a radar, with optional target, previous-round and group overlays.

    Rings are the model's levels; a not-assessed dimension is plotted at 0 and says so in
    its axis label. ``median=True`` adds the per-dimension median of ``others`` (respondents
    whose dimension is not assessed are left out of its median).
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
                "label": (label := _wrap(lv.name, ring_wrap)),
                "x": lv.rank * inner * math.sin(half),
                "y": lv.rank * inner * math.cos(half) + lift(label, _RING_LINE, "bottom"),
            }
            for lv in framework.levels_by_rank
        ]
    )
    rows = []
    for d, t in zip(dims, _angles(n), strict=True):
        label = _wrap(d.name, 18) + "\n" + _wrap(_score_text(d), 24)
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
        .mark_line(interpolate="linear-closed", color=_GRID, strokeWidth=1)
        .encode(x, y, detail=alt.Detail("ring:N"), order=alt.Order("vertex:Q")),
        alt.Chart(spokes).mark_rule(color=_GRID, strokeWidth=1).encode(x, y, x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q")),
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
        medians = []
        for d in dims:
            scores = [o.dimension(d.id).score for o in others if o.dimension(d.id).score is not None]
            medians.append(statistics.median(scores) if scores else 0.0)
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

    halo = {"stroke": "#FFFFFF", "strokeWidth": 4, "strokeJoin": "round"}
    ring_text = {
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
        alt.Chart(ring_labels, name="radar_rings").mark_text(**ring_text, color=_GREY).encode(**ring_enc),
    ]
    for align in ("left", "center", "right"):
        for baseline in ("bottom", "middle", "top"):
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

    subtitle = f"Rings are levels 1 to {top}; the centre is level 0, {framework.baseline.name}"
    heading = title or f"{framework.short_name}: score by dimension"
    chart = alt.layer(*layers).properties(width=size, height=size, title=_title(heading, subtitle))
    groups = tuple(sorted({(row["align"], row["baseline"]) for row in rows}))
    return _mark_structure(
        chart, ("radar", framework.id, framework.version, n, top, tuple(polygons), groups, offset, heading, ring_wrap)
    )


# --------------------------------------------------------------------------- level ladder per dimension


def level_table(framework: Framework, card: ScoreCard) -> pd.DataFrame:
    """The level chart's cells: one row per dimension and level."""
    rows = []
    for d in card.dimensions:
        for progress in d.levels:
            status = _cell_status(d, progress)
            rows.append(
                {
                    "Dimension": d.name,
                    "Level": progress.level_name,
                    "Rank": progress.rank,
                    "Status": STATUS_LABELS[status],
                    "Met": progress.met,
                    "Applicable": progress.applicable,
                    "Questions": progress.questions,
                    "Achieved": d.assessed and d.rank == progress.rank,
                    "Target": d.target_rank == progress.rank,
                }
            )
    return pd.DataFrame(rows)


def _cell_status(d: DimensionScore, progress: LevelProgress) -> str:
    status = progress.status if d.assessed or progress.rank == 0 else "not_assessed"
    return status if status in STATUS_COLORS else "na"  # a status added to scoring later still draws


def _cell_text(status: str, met: int, applicable: int) -> str:
    if status == "baseline":
        return "start"
    if status == "na":
        return "n/a"
    if status == "empty":
        return "—"
    if status == "not_assessed":
        return "–"
    return f"{met}/{applicable}"


def level_chart(framework: Framework, card: ScoreCard, *, title: str | None = None) -> alt.Chart | alt.LayerChart:
    """Dimensions × levels: each cell coloured by status, with questions met / applicable.

    The achieved level has a dark border and ``●``; the target level has ``○``.
    """
    # Headers bottom-aligned: shorter names get leading blank lines.
    wrapped = {lv.rank: _wrap(lv.name, 14) for lv in framework.levels}
    most = max(text.count("\n") for text in wrapped.values())
    headers = {rank: "\n" * (most - text.count("\n")) + text for rank, text in wrapped.items()}
    rows = []
    for d in card.dimensions:
        row_name = d.name if d.assessed else f"{d.name} (not assessed)"
        for progress in d.levels:
            status = _cell_status(d, progress)
            achieved = d.assessed and d.rank == progress.rank
            is_target = d.target_rank == progress.rank
            marks = " ".join(m for m, on in ((ACHIEVED_MARK, achieved), (TARGET_MARK, is_target)) if on)
            rows.append(
                {
                    "dimension": row_name,
                    "level": progress.level_name,
                    "column": headers[progress.rank],
                    "rank": progress.rank,
                    "status": status,
                    "status_label": STATUS_LABELS[status],
                    "met": progress.met,
                    "applicable": progress.applicable,
                    "text": _cell_text(status, progress.met, progress.applicable),
                    "text_color": STATUS_TEXT_COLORS[status],
                    "achieved": achieved,
                    "target": is_target,
                    "marks": marks,
                }
            )
    frame = pd.DataFrame(rows)
    columns = [headers[lv.rank] for lv in framework.levels_by_rank]
    header_lines = max(h.count("\n") for h in columns) + 1
    row_names = list(dict.fromkeys(frame["dimension"]))
    statuses = [s for s in STATUS_COLORS if s in set(frame["status"])]
    # Long level names wrap onto several header lines (an array label is drawn one line per item,
    # downwards from its anchor): the padding lifts the block to end just above the grid.
    x = alt.X(
        "column:N",
        sort=columns,
        title=None,
        axis=alt.Axis(
            orient="top",
            labelAngle=0,
            labelFontSize=14,
            labelFontWeight="bold",
            ticks=False,
            labelExpr="split(datum.label, '\\n')",
            labelLineHeight=17,
            labelBaseline="bottom",
            domain=False,
            labelPadding=8 + 17 * (header_lines - 1),
        ),
    )
    y = alt.Y(
        "dimension:N",
        sort=row_names,
        title=None,
        axis=alt.Axis(labelFontSize=14, labelLimit=260, ticks=False, domain=False, labelPadding=8),
    )
    tooltip = [
        alt.Tooltip("dimension:N", title="Dimension"),
        alt.Tooltip("level:N", title="Level"),
        alt.Tooltip("status_label:N", title="Status"),
        alt.Tooltip("met:Q", title="Met"),
        alt.Tooltip("applicable:Q", title="Applicable"),
    ]
    base = alt.Chart(frame).encode(x, y)
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=3, cornerRadius=3).encode(
        color=alt.Color(
            "status_label:N",
            title="Status",
            scale=alt.Scale(domain=[STATUS_LABELS[s] for s in statuses], range=[STATUS_COLORS[s] for s in statuses]),
            legend=alt.Legend(orient="bottom", direction="horizontal", symbolType="square", symbolStrokeColor=_GRID),
        ),
        tooltip=tooltip,
    )
    achieved = (
        alt.Chart(frame[frame["achieved"]])
        .mark_rect(fill=None, stroke="#1A1A1A", strokeWidth=3, cornerRadius=3)
        .encode(x, y)
    )
    # Raw colour values (scale=None) so the text does not join the cells' colour scale and legend.
    text_color = alt.Color("text_color:N", scale=None)
    counts = base.mark_text(fontSize=16, fontWeight="bold", dy=-9).encode(text=alt.Text("text:N"), color=text_color)
    markers = base.mark_text(fontSize=15, dy=12).encode(text=alt.Text("marks:N"), color=text_color)
    subtitle = (
        f"Levels 0 (baseline) to {framework.top.rank}: questions met / applicable.   "
        f"{ACHIEVED_MARK} achieved level   {TARGET_MARK} target level"
    )
    return alt.layer(cells, achieved, counts, markers).properties(
        width=alt.Step(118),
        height=alt.Step(62),
        title=_title(title or f"{framework.short_name}: level by dimension", subtitle),
    )


# --------------------------------------------------------------------------- overview of a model's levels


def overview_table(framework: Framework) -> pd.DataFrame:
    """A model's levels, lowest first."""
    return pd.DataFrame(
        [
            {"Rank": lv.rank, "Level": lv.name, "Summary": lv.summary, "Band": lv.band_text}
            for lv in framework.levels_by_rank
        ]
    )


def overview_chart(framework: Framework) -> alt.Chart | alt.LayerChart:
    """The model's levels as a ladder: one step per level, with its name and summary."""
    levels = framework.levels_by_rank
    top = levels[-1].rank
    width, narrow, wide, gap, line = 640, 150, 250, 18, 17
    summaries = {lv.rank: _wrap(lv.summary, 54) for lv in levels}
    names = {lv.rank: _wrap(_ranked(lv.rank, lv.name), 15) for lv in levels}
    most = max(text.count("\n") + 1 for text in [*summaries.values(), *names.values()])
    row = max(64, most * line + 22)  # px per level, so the longest summary fits its step

    def centred(text: str) -> float:
        # Vega runs extra lines downward from the anchor; lift the block to centre it (rank units).
        return text.count("\n") * line / 2 / row

    frame = pd.DataFrame(
        [
            {
                "rank": lv.rank,
                "level": lv.name,
                "heading": names[lv.rank],
                "summary": summaries[lv.rank],
                "full_summary": lv.summary,
                "x": 0,
                "x2": narrow + (wide - narrow) * (lv.rank / top if top else 1),
                "y": lv.rank - 0.45,
                "y2": lv.rank + 0.45,
                "heading_y": lv.rank + centred(names[lv.rank]),
                "summary_x": wide + gap,
                "summary_y": lv.rank + centred(summaries[lv.rank]),
            }
            for lv in levels
        ]
    )
    x_scale = alt.Scale(domain=[0, width], nice=False)
    y_scale = alt.Scale(domain=[-0.5, top + 0.5], nice=False)
    steps = (
        alt.Chart(frame)
        .mark_rect(cornerRadius=3)
        .encode(
            alt.X("x:Q", scale=x_scale, axis=None),
            alt.Y("y:Q", scale=y_scale, axis=None),
            x2=alt.X2("x2:Q"),
            y2=alt.Y2("y2:Q"),
            color=alt.Color("rank:O", scale=alt.Scale(scheme="blues", domain=list(range(-1, top + 1))), legend=None),
            tooltip=[alt.Tooltip("level:N", title="Level"), alt.Tooltip("full_summary:N", title="Summary")],
        )
    )
    headings = (
        alt.Chart(frame, name="overview_levels")
        .mark_text(
            align="left", baseline="middle", dx=12, fontSize=15, fontWeight="bold", lineBreak="\n", lineHeight=line
        )
        .encode(
            alt.X("x:Q", scale=x_scale, axis=None),
            alt.Y("heading_y:Q", scale=y_scale, axis=None),
            text=alt.Text("heading:N"),
            color=alt.condition(f"datum.rank > {top / 2}", alt.value("#FFFFFF"), alt.value("#1A1A1A")),
        )
    )
    texts = (
        alt.Chart(frame, name="overview_summaries")
        .mark_text(align="left", baseline="middle", lineBreak="\n", fontSize=14, lineHeight=line)
        .encode(
            alt.X("summary_x:Q", scale=x_scale, axis=None),
            alt.Y("summary_y:Q", scale=y_scale, axis=None),
            text=alt.Text("summary:N"),
        )
    )
    return alt.layer(steps, headings, texts).properties(
        width=width,
        height=row * len(levels),
        title=alt.TitleParams(
            f"{framework.short_name}: the levels",
            subtitle=[
                *_wrap(framework.name, 90).split("\n"),
                "Lowest level at the bottom; each builds on the one below",
            ],
        ),
    )


# --------------------------------------------------------------------------- crosswalk


def _band_names(low: float, high: float) -> str:
    """``Automated training`` for a point on a band, ``Automated training → Automated deployment (CI/CD)``
    for a span, ``between …`` for a point between two bands."""
    first, last = math.floor(low), math.ceil(high)
    if low == high and not float(low).is_integer():
        return f"between {BANDS[first]} and {BANDS[last]}"
    return BANDS[first] if first == last else f"{BANDS[first]} → {BANDS[last]}"


def _band_confidence(low: float, high: float) -> str:
    """The reference's confidence for every band the span touches: ``medium-high / medium``."""
    touched = range(math.floor(low), math.ceil(high) + 1)
    return " / ".join(dict.fromkeys(BAND_CONFIDENCE[b] for b in touched))


def crosswalk_table(frameworks: Sequence[Framework]) -> pd.DataFrame:
    """Every level of every model with its span on the common 0-3 scale, why, and how sure the reference is."""
    return pd.DataFrame(
        [
            {
                "Model": fw.short_name,
                "Rank": lv.rank,
                "Level": lv.name,
                "From": lv.band[0],
                "To": lv.band[1],
                "Span": lv.band_text,
                "Bands": _band_names(*lv.band),
                "Confidence": _band_confidence(*lv.band),
                "Why": lv.band_note,
            }
            for fw in frameworks
            for lv in fw.levels_by_rank
        ]
    )


def crosswalk_chart(
    frameworks: Sequence[Framework], cards: Mapping[str, ScoreCard] | None = None
) -> alt.Chart | alt.LayerChart:
    """The models' levels as spans on one common 0-3 scale (``Level.band``), one row per level.

    A level that sits on one band is a dot; a level that spans bands is a bar from its lowest
    to its highest band. With ``cards`` (score cards by framework id), the row of each model's
    overall level is outlined: where the assessment places the team.
    """
    table = crosswalk_table(frameworks)
    rows: list[dict[str, Any]] = []
    for fw in frameworks:
        rows.append({"row": fw.short_name, "text": fw.short_name, "header": True})
        rows += [
            {"row": f"{fw.short_name} · {name}", "text": name, "header": False}
            for name in table.loc[table["Model"] == fw.short_name, "Level"]
        ]
    order = [r["row"] for r in rows]
    frame = pd.DataFrame(
        {
            "model": table["Model"],
            "level": table["Level"],
            "row": [f"{m} · {lv}" for m, lv in zip(table["Model"], table["Level"], strict=True)],
            "low": table["From"],
            "high": table["To"],
            "span": table["Span"],
            "confidence": table["Confidence"],
            "why": [_wrap(w, 70) for w in table["Why"]],
        }
    )
    models = [fw.short_name for fw in frameworks]
    x_scale = alt.Scale(domain=[-1.75, 3.25], nice=False)
    y = alt.Y("row:N", sort=order, axis=None, scale=alt.Scale(paddingInner=0.25, paddingOuter=0.1))
    colour = alt.Color("model:N", sort=models, legend=None)
    # Multi-line text runs down from its anchor: bottom-align band names with leading blank lines.
    names = [_wrap(f"{b} {n}", 18) + f"\n({BAND_CONFIDENCE[b]} confidence)" for b, n in BANDS.items()]
    most = max(n.count("\n") for n in names)
    bands = pd.DataFrame({"band": list(BANDS), "name": ["\n" * (most - n.count("\n")) + n for n in names]})
    band_x = alt.X("band:Q", scale=x_scale, axis=None)
    grid = alt.Chart(bands).mark_rule(color="#E0E0E0", strokeWidth=1.5).encode(band_x)
    band_names = (
        alt.Chart(bands, name="crosswalk_bands")
        .mark_text(baseline="bottom", lineBreak="\n", lineHeight=16, fontSize=13, color=_GREY, y=-10 - 16 * most)
        .encode(band_x, text=alt.Text("name:N"))
    )
    row_frame = pd.DataFrame(rows)
    # Model names start at the left edge; level names end just left of band 0.
    row_frame["x"] = [-1.72 if header else -0.06 for header in row_frame["header"]]
    labels = [
        alt.Chart(
            row_frame[row_frame["header"] == header], name="crosswalk_rows" if header else "crosswalk_level_names"
        )
        .mark_text(
            align="left" if header else "right",
            baseline="middle",
            fontSize=15 if header else 13,
            fontWeight="bold" if header else "normal",
            limit=250,
        )
        .encode(alt.X("x:Q", scale=x_scale, axis=None), y, text=alt.Text("text:N"))
        for header in (True, False)
    ]
    tooltip = [
        alt.Tooltip("model:N", title="Model"),
        alt.Tooltip("level:N", title="Level"),
        alt.Tooltip("span:N", title="Common scale"),
        alt.Tooltip("confidence:N", title="Crosswalk confidence"),
        alt.Tooltip("why:N", title="Why"),
    ]
    x_low = alt.X("low:Q", scale=x_scale, axis=None)
    spans = (
        alt.Chart(frame, name="crosswalk_levels")
        .mark_rule(strokeWidth=9, strokeCap="round", opacity=0.55)
        .encode(x_low, alt.X2("high:Q"), y, color=colour, tooltip=tooltip)
    )
    ends = frame.melt(id_vars=["model", "level", "row", "span", "confidence", "why"], value_name="at")
    dots = (
        alt.Chart(ends)
        .mark_point(filled=True, size=110, opacity=1)
        .encode(alt.X("at:Q", scale=x_scale, axis=None), y, color=colour, tooltip=tooltip)
    )
    layers: list[alt.Chart] = [grid, band_names, *labels, spans, dots]
    subtitle = [
        "Each level placed on a common 0–3 scale: a dot sits on one band, a bar spans several.",
        "Under each band: how sure the reference crosswalk is of the alignment. Hover a level for why.",
    ]
    if cards:
        teams = pd.DataFrame(
            [
                {
                    "model": fw.short_name,
                    "row": f"{fw.short_name} · {card.overall.level_name}",
                    "level": card.overall.level_name,
                    "low": fw.level(card.overall.level_id).band[0],
                    "high": fw.level(card.overall.level_id).band[1],
                    "score": round(card.overall.score, 2),
                    "label": "your level",
                }
                for fw in frameworks
                if (card := cards.get(fw.id)) is not None and card.overall is not None
            ]
        )
        if not teams.empty:
            teams["left"], teams["right"] = teams["low"] - 0.13, teams["high"] + 0.13
            team_tooltip = [
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("level:N", title="Your overall level (weakest dimension)"),
                alt.Tooltip("score:Q", title="Average of dimension scores"),
            ]
            layers.append(
                alt.Chart(teams, name="crosswalk_team")
                .mark_rect(fill=None, stroke="#1A1A1A", strokeWidth=2.5, cornerRadius=4)
                .encode(alt.X("left:Q", scale=x_scale, axis=None), alt.X2("right:Q"), y, tooltip=team_tooltip)
            )
            layers.append(
                alt.Chart(teams)
                .mark_text(align="left", baseline="middle", dx=6, fontSize=13, fontWeight="bold")
                .encode(alt.X("right:Q", scale=x_scale, axis=None), y, text=alt.Text("label:N"))
            )
            subtitle.append("Outlined: your overall level in each model (its weakest dimension).")
    return alt.layer(*layers).properties(
        width=780, height=alt.Step(30), title=_title("The three models on one scale", subtitle)
    )


# --------------------------------------------------------------------------- generic heatmap


def heatmap(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    value: str,
    title: str,
    domain: tuple[float, float],
    tooltip: Sequence[str] = (),
) -> alt.Chart | alt.LayerChart:
    """A labelled grid, e.g. teams × dimensions (scores) or questions × respondents (answers).

    Rows and columns keep the order they first appear in ``frame``; missing values are
    grey cells marked "–". Cell text switches to white on the dark half of the scale.
    """
    data = frame.copy()
    data["_text"] = [
        "–" if pd.isna(v) else (f"{v:.2f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v))
        for v in data[value]
    ]
    middle = (domain[0] + domain[1]) / 2
    field = value.replace(".", "\\.")
    base = alt.Chart(data).encode(
        alt.X(
            f"{x}:N",
            sort=list(dict.fromkeys(data[x])),
            title=None,
            axis=alt.Axis(orient="top", labelAngle=0, labelLimit=180, ticks=False, domain=False),
        ),
        alt.Y(
            f"{y}:N",
            sort=list(dict.fromkeys(data[y])),
            title=None,
            axis=alt.Axis(labelLimit=320, ticks=False, domain=False),
        ),
    )
    tips = [alt.Tooltip(f"{c}:N") for c in (y, x, *tooltip)] + [alt.Tooltip(f"{value}:Q")]
    # Missing values get their own grey layer: the coloured layer drops them (Vega-Lite's default).
    blanks = base.transform_filter(f"!isValid(datum['{field}'])").mark_rect(
        stroke="#FFFFFF", strokeWidth=2, fill=STATUS_COLORS["na"]
    )
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(
        color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="blues", domain=list(domain)), title=value),
        tooltip=tips,
    )
    text = base.mark_text(fontSize=13).encode(
        text=alt.Text("_text:N"),
        color=alt.condition(f"datum['{field}'] > {middle}", alt.value("#FFFFFF"), alt.value("#1A1A1A")),
    )
    return alt.layer(blanks, cells, text).properties(width=alt.Step(72), height=alt.Step(34), title=title)
