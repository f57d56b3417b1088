"""A generic labelled grid: teams × dimensions (scores) or questions × respondents (answers)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from mlops_workbook.charts.build import built_fast, layered
from mlops_workbook.charts.export import describe
from mlops_workbook.charts.theme import STATUS_COLORS


@built_fast
def heatmap(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    value: str,
    title: str,
    domain: tuple[float, float],
    tooltip: Sequence[str] = (),
) -> alt.LayerChart:
    """A labelled grid, e.g. teams × dimensions (scores) or questions × respondents (answers).

    Rows and columns keep the order they first appear in ``frame``; missing values are
    grey cells marked "–". Cell text switches to white on the dark half of the scale.
    """
    data = frame.copy()
    data["_text"] = [
        "–" if pd.isna(v) else (f"{v:.2f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v))
        for v in data[value]
    ]
    # White text from 73 % of the "blues" scale up, black below: >= 4.5:1 on every fill
    dark_from = domain[0] + 0.73 * (domain[1] - domain[0])
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
        color=alt.condition(f"datum['{field}'] >= {dark_from}", alt.value("#FFFFFF"), alt.value("#000000")),
    )
    chart = layered([blanks, cells, text], width=alt.Step(72), height=alt.Step(34), title=title)
    return describe(chart, heatmap_summary(frame, x=x, y=y, value=value, title=title))


def heatmap_summary(frame: pd.DataFrame, *, x: str, y: str, value: str, title: str) -> str:
    """One sentence for screen readers: the grid's size and its highest and lowest cells."""
    known = frame.dropna(subset=[value])
    size = f"{frame[y].nunique()} {y} by {frame[x].nunique()} {x}"
    if known.empty:
        return f"{title}: {size}, no values yet."
    hi, lo = known.iloc[known[value].argmax()], known.iloc[known[value].argmin()]
    return (
        f"{title}: {size}; highest {value} {hi[value]:g} ({hi[y]}, {hi[x]}), "
        f"lowest {lo[value]:g} ({lo[y]}, {lo[x]}); the table below lists every cell."
    )
