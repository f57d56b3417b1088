"""What the portfolio's and the organisation's heatmaps share: the value's name and the provisional star.

:mod:`mlops_workbook.reports.portfolio` (one row per report) and
:mod:`mlops_workbook.reports.organisation_html` (one row per team) both import from here;
``portfolio`` re-exports these names, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

#: What a row says before anything counts (no dimension assessed).
NOT_ASSESSED = "not assessed"
#: The heatmap's value: each dimension's own score (level reached + progress on the next).
DIMENSION_SCORE = "dimension score"

#: How a heatmap says which cells rest on too few answers (the CLI marks them the same way).
STAR_NOTE = "* provisional: too few questions answered to rely on the level"


def star_provisional(
    chart: alt.LayerChart, provisional: Sequence[bool], subtitle: Sequence[str] = ()
) -> alt.LayerChart:
    """Append " *" to the text of the cells whose level is provisional, and say so under the title.

    ``provisional``: one flag per row of the chart's data, in order. Static SVG has no
    tooltips, so the mark must be in the cell itself. ``subtitle``: lines shown under the
    title in any case (the star's meaning follows them when a cell has one).
    """
    chart = chart.copy(deep=True)
    lines = list(subtitle)
    if isinstance(chart.data, pd.DataFrame) and "_text" in chart.data and any(provisional):
        text = [t + " *" if p else t for t, p in zip(chart.data["_text"], provisional, strict=True)]
        chart.data = chart.data.assign(_text=text)
        lines.append(STAR_NOTE)
    if lines:
        title = chart.title
        heading = title.text if isinstance(title, alt.TitleParams) else title
        chart.title = alt.TitleParams(heading, subtitle=lines)
    return chart


__all__ = ["DIMENSION_SCORE", "NOT_ASSESSED", "STAR_NOTE", "star_provisional"]
