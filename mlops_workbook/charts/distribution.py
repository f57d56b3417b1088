"""How many teams sit at each level of one model: a stacked bar per round (and one for each team's latest).

Drawn from :func:`mlops_workbook.reports.organisation.level_distribution` rows of one model
(columns ``when``, ``rank``, ``level``, ``teams``); :func:`distribution_table` is its twin.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from mlops_workbook.charts.build import built_fast, layered
from mlops_workbook.model.schema import Framework

#: Light to dark: a higher level is a darker blue (ordered, readable without colour: labels carry counts).
_BLUES = ("#DEEBF7", "#9ECAE1", "#4292C6", "#2171B5", "#08519C", "#08306B")


def _shades(n: int) -> list[str]:
    if n <= len(_BLUES):
        start = (len(_BLUES) - n) // 2
        return list(_BLUES[start : start + n]) if n > 1 else [_BLUES[2]]
    return [_BLUES[min(i * len(_BLUES) // n, len(_BLUES) - 1)] for i in range(n)]


@built_fast
def distribution_chart(framework: Framework, frame: pd.DataFrame, title: str = "") -> alt.LayerChart | None:
    """Teams per overall level: one stacked bar per ``when`` (Latest first, then Round 1, 2…).

    Segments run from the baseline (left, light) to the top level (right, dark) and show
    their count in the segment; ``None`` when no team is counted.
    """
    data = frame[frame["teams"] > 0].copy()
    if data.empty:
        return None
    levels = [str(level) for level in frame.drop_duplicates("rank").sort_values("rank")["level"]]
    whens = list(dict.fromkeys(frame["when"]))
    data = data.sort_values(["when", "rank"], kind="stable")
    data["_end"] = data.groupby("when")["teams"].cumsum()
    data["_start"] = data["_end"] - data["teams"]
    data["_middle"] = (data["_start"] + data["_end"]) / 2
    dark = {lv: i >= len(levels) / 2 for i, lv in enumerate(levels)}
    data["_ink"] = ["#FFFFFF" if dark[lv] else "#1A1A1A" for lv in data["level"]]
    y = alt.Y("when:N", sort=whens, title=None, axis=alt.Axis(labelLimit=200))
    color = alt.Color(
        "level:N",
        scale=alt.Scale(domain=levels, range=_shades(len(levels))),
        sort=levels,
        title="Overall level",
        legend=alt.Legend(orient="right", labelLimit=320),
    )
    tips = [alt.Tooltip("when:N"), alt.Tooltip("level:N"), alt.Tooltip("teams:Q")]
    bars = (
        alt.Chart(data)
        .mark_bar(stroke="#FFFFFF", strokeWidth=1)
        .encode(
            alt.X("_start:Q", title="Teams", axis=alt.Axis(tickMinStep=1, format="d")),
            alt.X2("_end:Q"),
            y,
            color,
            tooltip=tips,
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(fontSize=12)
        .encode(alt.X("_middle:Q"), y, alt.Text("teams:Q"), alt.Color("_ink:N", scale=None))
    )
    heading = title or f"{framework.name}: teams per overall level"
    return layered([bars, labels], width=520, height=alt.Step(30), title=heading)


def distribution_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The chart's counts: a row per ``when``, a column per level (rank order), then the total."""
    if frame.empty:
        return pd.DataFrame(columns=["When"])
    levels = list(frame.drop_duplicates("rank").sort_values("rank")["level"])
    wide = frame.pivot_table(index="when", columns="level", values="teams", aggfunc="sum", sort=False)
    wide = wide.reindex(index=list(dict.fromkeys(frame["when"])), columns=levels).fillna(0).astype(int)
    wide["Teams"] = wide.sum(axis=1)
    return wide.reset_index().rename(columns={"when": "When"}).rename_axis(columns=None)


__all__ = ["distribution_chart", "distribution_table"]
