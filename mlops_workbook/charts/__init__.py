"""Altair charts of banks and score cards, their table alternatives, and offline export to SVG/PNG.

Functions here *build* charts and never display them; every chart has a ``*_table`` twin
with the same numbers, for screen readers, reports and anyone who prefers a table. One
module per concern, lowest first: ``theme`` (the look and palette; entry points call
:func:`use_workbook_theme`), ``labels`` (text on charts), ``export`` (SVG/PNG and the spec
cache), then ``radar``, ``levels``, ``overview``, ``crosswalk`` and ``heatmaps``; ``engine``
is the shared renderer process of a Voilà room. Depends on model and scoring.

The names in ``__all__`` can be used from here (``from mlops_workbook import charts``, then
``charts.radar_chart(...)``). Each loads its module on first use, so a process that imports
only ``charts.engine`` (the Voilà server) loads neither Altair nor vl-convert.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlops_workbook.charts.crosswalk import BAND_CONFIDENCE, BANDS, crosswalk_chart, crosswalk_table
    from mlops_workbook.charts.export import describe, summary, to_png, to_svg, warm_up
    from mlops_workbook.charts.heatmaps import heatmap
    from mlops_workbook.charts.labels import tilt_labels
    from mlops_workbook.charts.levels import ACHIEVED_MARK, TARGET_MARK, level_chart, level_table
    from mlops_workbook.charts.overview import overview_chart, overview_table
    from mlops_workbook.charts.radar import SERIES, radar_chart, radar_table
    from mlops_workbook.charts.theme import (
        FONT,
        OKABE_ITO,
        STATUS_COLORS,
        STATUS_LABELS,
        STATUS_TEXT_COLORS,
        THEME,
        use_workbook_theme,
    )

__all__ = [
    "ACHIEVED_MARK",
    "BANDS",
    "BAND_CONFIDENCE",
    "FONT",
    "OKABE_ITO",
    "SERIES",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "STATUS_TEXT_COLORS",
    "TARGET_MARK",
    "THEME",
    "crosswalk_chart",
    "crosswalk_table",
    "describe",
    "heatmap",
    "level_chart",
    "level_table",
    "overview_chart",
    "overview_table",
    "radar_chart",
    "radar_table",
    "summary",
    "tilt_labels",
    "to_png",
    "to_svg",
    "use_workbook_theme",
    "warm_up",
]

#: The modules, lowest first: a name is found in the module that defines it, not one that imports it.
_MODULES = ("theme", "labels", "export", "radar", "levels", "overview", "crosswalk", "heatmaps")


def __getattr__(name: str) -> Any:
    if name in __all__:
        for module_name in _MODULES:
            module = importlib.import_module(f"{__name__}.{module_name}")
            if name in vars(module):
                value = vars(module)[name]
                globals()[name] = value  # found once; later uses skip this function
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
