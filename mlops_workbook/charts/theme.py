"""The workbook's look: one Altair theme, a colour-blind-safe palette, the level-status colours.

Nothing is registered when this module is imported. Entry points - the App, the facilitator
page, the report notebook, the CLI, the notebooks and scripts - call :func:`use_workbook_theme`
once, so that importing the package never changes another program's Altair settings.
"""

from __future__ import annotations

import math
from typing import Any, TypedDict

import altair as alt
import pandas as pd

THEME = "mlops_workbook"
#: The data transformer :func:`mlops_workbook.charts.export.chart_spec` builds specs with.
DATA_TRANSFORMER = "mlops_workbook_fast"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"

#: Okabe–Ito: eight colours distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
GREY = "#595959"  # secondary text: subtitles, ring and band names
GRID = "#BDBDBD"  # radar web, legend symbol outlines

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
STATUS_TEXT_COLORS = {  # >= 4.5:1 on its fill: dark text on the green (5.1:1) and the orange (5.0:1)
    "met": "#1A1A1A",
    "partly": "#1A1A1A",
    "not_met": "#000000",
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


class _Labels(TypedDict):
    """The label and title fonts axes and legends share (a TypedDict: both configs are typed)."""

    labelFont: str
    labelFontSize: int
    titleFont: str
    titleFontSize: int
    labelColor: str


def _theme() -> alt.theme.ThemeConfig:
    label: _Labels = {
        "labelFont": FONT,
        "labelFontSize": 13,
        "titleFont": FONT,
        "titleFontSize": 14,
        "labelColor": "#1A1A1A",
    }
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
                "subtitleColor": GREY,
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


def use_workbook_theme() -> None:
    """Register and enable the workbook theme, and register the fast data transformer.

    Idempotent: calling it again replaces the registrations with identical ones.

    >>> use_workbook_theme()
    >>> alt.theme.active
    'mlops_workbook'
    """
    alt.theme.register(THEME, enable=True)(_theme)
    register_data_transformer()


# Encodings elsewhere in this package are written as channel objects (alt.Text("label:N")), never
# as shorthand strings: Altair turns each string into a channel through a schema lookup costing
# ~1 ms, which made the radar ~80 ms slower to build - too slow for redrawing on every answer.


def fast_values(data: Any) -> Any:
    """Inline a DataFrame as plain records: our frames hold only numbers, text and NaN,
    so Altair's general sanitising (dates, categories, numpy scalars: ~5 ms a frame) is
    not needed. Anything else goes through Altair's default transformer."""
    if isinstance(data, pd.DataFrame):
        records = data.to_dict(orient="records")  # Python scalars; only NaN is left to be made None
        for row in records:
            for key, value in row.items():
                if isinstance(value, float) and math.isnan(value):
                    row[key] = None
        return {"values": records}
    return alt.vegalite.data.default_data_transformer(data)


def register_data_transformer() -> str:
    """Register :func:`fast_values` as :data:`DATA_TRANSFORMER` (a dict entry, idempotent) and return its name.

    It is registered, not enabled: the exporter enables it only while it builds a spec.
    """
    alt.data_transformers.register(DATA_TRANSFORMER, fast_values)
    return DATA_TRANSFORMER
