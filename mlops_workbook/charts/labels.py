"""Text on charts: wrapped lines for text marks, titles with subtitles, slanted column labels."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import altair as alt


def wrap_text(text: str, width: int) -> str:
    """Line breaks for text marks (``lineBreak="\\n"``); text is otherwise kept as it is.

    >>> wrap_text("Automated deployment", 10)
    'Automated\\ndeployment'
    """
    return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text


def chart_title(text: str, subtitle: str | Sequence[str] = "") -> alt.TitleParams:
    """A title, with a subtitle (one line, or a list of lines) when there is one."""
    return alt.TitleParams(text, subtitle=subtitle) if subtitle else alt.TitleParams(text)


def vega_string(text: str) -> str:
    """A string literal for a Vega expression (``labelExpr``, conditions).

    >>> vega_string("Team's view")
    "'Team\\\\'s view'"
    """
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def tooltips(titles: Mapping[str, str]) -> list[alt.Tooltip]:
    """Tooltip lines from ``{"field:type": "Title"}``, in the order given."""
    return [alt.Tooltip(field, title=title) for field, title in titles.items()]


def tilt_labels(chart: alt.LayerChart) -> alt.LayerChart:
    """A copy with slanted column labels: dimension names are longer than a heatmap cell is wide."""
    chart = chart.copy(deep=True)
    for layer in chart.layer:
        layer.encoding.x.axis = alt.Axis(
            orient="top", labelAngle=-35, labelAlign="left", labelLimit=220, ticks=False, domain=False
        )
    return chart
