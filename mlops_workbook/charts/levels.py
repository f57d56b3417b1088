"""The level chart: dimensions × levels, each cell coloured by status with questions met / applicable.

:func:`level_table` holds the same cells, for screen readers and reports.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from mlops_workbook.charts.build import built_fast, layered
from mlops_workbook.charts.export import describe, mark_structure
from mlops_workbook.charts.labels import chart_title, tooltips, wrap_text
from mlops_workbook.charts.theme import GRID, STATUS_COLORS, STATUS_LABELS, STATUS_TEXT_COLORS
from mlops_workbook.model.schema import Framework
from mlops_workbook.scoring.rules import DimensionScore, LevelProgress, ScoreCard

ACHIEVED_MARK = "●"
# Both glyphs are in WGL4, so common sans fonts have them and renderers need no fallback font.
TARGET_MARK = "○"


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


@built_fast
def level_chart(framework: Framework, card: ScoreCard, *, title: str | None = None) -> alt.Chart | alt.LayerChart:
    """Dimensions × levels: each cell coloured by status, with questions met / applicable.

    The achieved level has a dark border and ``●``; the target level has ``○``.
    """
    # Headers bottom-aligned: shorter names get leading blank lines.
    wrapped = {lv.rank: wrap_text(lv.name, 14) for lv in framework.levels}
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
    tooltip = tooltips(
        {
            "dimension:N": "Dimension",
            "level:N": "Level",
            "status_label:N": "Status",
            "met:Q": "Met",
            "applicable:Q": "Applicable",
        }
    )
    base = alt.Chart(frame).encode(x, y)
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=3, cornerRadius=3).encode(
        color=alt.Color(
            "status_label:N",
            title="Status",
            scale=alt.Scale(domain=[STATUS_LABELS[s] for s in statuses], range=[STATUS_COLORS[s] for s in statuses]),
            legend=alt.Legend(orient="bottom", direction="horizontal", symbolType="square", symbolStrokeColor=GRID),
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
    heading = title or f"{framework.short_name}: level by dimension"
    reached = ", ".join(
        f"{d.name} {d.level_name} (level {d.rank} of {framework.top.rank})"
        if d.rank is not None
        else f"{d.name} not assessed"
        for d in card.dimensions
    )
    chart = layered(
        [cells, achieved, counts, markers],
        width=alt.Step(118),
        height=alt.Step(62),
        title=chart_title(heading, subtitle),
    )
    describe(chart, f"{heading}: {reached}; the table below lists each level's questions met.")
    # Redrawn on every answer: beyond its data and title, the spec depends on the rows' names and the statuses shown.
    return mark_structure(chart, ("levels", framework.id, framework.version, tuple(row_names), tuple(statuses)))
