"""Charts to SVG and PNG, offline, with a spec cache for the charts redrawn on every answer.

:func:`to_svg` and :func:`to_png` render without a browser and refuse external URLs, so
charts work in locked-down rooms and in CI without network. The conversion itself happens
in one small function, :func:`_convert`, through :mod:`mlops_workbook.charts.engine` (in a
Voilà room, one renderer process shared by every kernel; elsewhere vl-convert in-process).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from collections import OrderedDict
from html import escape
from typing import Any, Literal, cast

import altair as alt
import pandas as pd

from mlops_workbook.charts import engine
from mlops_workbook.charts.theme import fast_values, register_data_transformer

#: The Vega-Lite version of the specs Altair writes ("5.20"), which the converter must be told.
VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])

# Layered charts redrawn on every answer (the radar) keep the skeleton of their spec
# here, by a key of everything that shapes it other than data: only the data change.
_SKELETONS: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, int]]] = {}


def mark_structure(chart: alt.LayerChart, key: tuple[Any, ...]) -> alt.LayerChart:
    """Tag a layered chart whose spec depends on its data frames, its title and summary, and on ``key`` only."""
    object.__setattr__(chart, "_mw_structure", key)  # not a Vega-Lite property: bypass altair
    return chart


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec (not schema-validated: the tests validate every chart built here).

    For a chart tagged by :func:`mark_structure`, the second and later specs of the same
    structure reuse the first one's skeleton and only swap in the new data, title and
    summary: ~40 ms less per radar, which is the difference between a redraw that feels
    instant or not.
    """
    structure = chart.__dict__.get("_mw_structure") if isinstance(chart, alt.LayerChart) else None
    # the skeleton holds the theme's config: a skeleton made under another theme is not this chart's
    key = (*structure, alt.theme.active) if structure is not None else None
    cached = _SKELETONS.get(key) if key is not None else None
    if cached is not None and isinstance(chart, alt.LayerChart):
        skeleton, sources = cached
        spec = copy.deepcopy(skeleton)
        spec["datasets"] = {name: fast_values(chart.layer[i].data)["values"] for name, i in sources.items()}
        # this chart's own title (it names the team, the scores, the level) and summary, not the skeleton's
        for name in ("title", "usermeta"):
            value = chart._get(name)
            if alt.utils.is_undefined(value):
                spec.pop(name, None)
            else:
                spec[name] = value.to_dict(validate=False) if isinstance(value, alt.SchemaBase) else value
        return spec
    with alt.data_transformers.enable(register_data_transformer()):
        spec = chart.to_dict(validate=False)
    if key is not None and isinstance(chart, alt.LayerChart):
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
    records = {i: fast_values(chart.layer[i].data)["values"] for i in frames.values()}
    sources: dict[str, int] = {}
    for name, values in datasets.items():
        match = [i for i, r in records.items() if r == values]
        if len(match) != 1:
            return
        sources[name] = match[0]
    _SKELETONS[key] = ({k: v for k, v in spec.items() if k != "datasets"}, sources)


def _convert(spec: dict[str, Any], fmt: Literal["svg", "png"], scale: float = 2.0) -> str | bytes:
    """The one place a spec becomes an image: a room's shared renderer, else vl-convert in this process.

    External URLs are refused either way (see :mod:`mlops_workbook.charts.engine`).
    """
    if fmt == "svg":
        return engine.vegalite_to_svg(spec, VL_VERSION)
    return engine.vegalite_to_png(spec, VL_VERSION, scale)


def describe(chart: Any, summary: str) -> Any:
    """Give ``chart`` the one-sentence summary its SVG is named by (for screen readers); returns it.

    Kept in the chart's ``usermeta`` (which Vega ignores, and copies of the chart keep); read from the
    chart, never from a cached skeleton's spec (:func:`mark_structure`), so it is never an old one.
    """
    meta = chart.usermeta if isinstance(chart.usermeta, dict) else {}
    chart.usermeta = {**meta, "summary": summary}
    return chart


def summary(chart: Any) -> str:
    """The summary given by :func:`describe` ("" if none)."""
    meta = getattr(chart, "usermeta", None)
    return str(meta.get("summary", "")) if isinstance(meta, dict) else ""


def summary_of(chart: alt.TopLevelMixin, spec: dict[str, Any]) -> str:
    """The chart's summary (:func:`describe`), else its title and subtitle."""
    given = summary(chart)
    if given:
        return given
    title = spec.get("title", "")
    if isinstance(title, dict):
        lines = [title.get("text", ""), title.get("subtitle", "")]
        title = ". ".join(" ".join(t) if isinstance(t, list) else str(t) for t in lines if t)
    return str(title) or "Chart; the table below gives its values."


def named_svg(svg: str, summary: str) -> str:
    """An image to screen readers (``role="img"``, named by ``summary``, with it as ``<title>``),
    its marks hidden from them.

    >>> named_svg('<svg class="marks"><rect/><g></g></svg>', 'A & B')[:77]
    '<svg role="img" aria-label="A &amp; B" class="marks"><title>A &amp; B</title>'
    """
    text = escape(summary)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{text}"', svg, count=1)
    svg = re.sub(r"(<svg\b[^>]*>)", rf"\1<title>{text}</title>", svg, count=1)
    return re.sub(r"<g\b", '<g aria-hidden="true"', svg, count=1)


#: How many drawn SVGs :func:`to_svg` keeps (~50 kB each), the least recently used going first.
DRAWN_KEEP = 32
_DRAWN: OrderedDict[bytes, str] = OrderedDict()
_DRAWN_LOCK = threading.Lock()


def _drawn_svg(spec: dict[str, Any]) -> str:
    """The SVG of ``spec``, drawn once: a redraw whose chart did not change (a note, an N/A reason,
    another dimension picked for 'defend', the same answers reopened) is a lookup, not ~0.13 s of drawing.

    Keyed by a digest of the whole spec (data, theme, size, summary-free): equal specs draw equal SVGs.
    """
    key = hashlib.blake2b(json.dumps(spec, sort_keys=True, default=str).encode(), digest_size=20).digest()
    with _DRAWN_LOCK:
        svg = _DRAWN.get(key)
        if svg is not None:
            _DRAWN.move_to_end(key)
            return svg
    svg = cast(str, _convert(spec, "svg"))
    with _DRAWN_LOCK:
        _DRAWN[key] = svg
        while len(_DRAWN) > DRAWN_KEEP:
            _DRAWN.popitem(last=False)
    return svg


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render to an SVG string (no browser, no network: external URLs are refused), named for screen
    readers by its summary (:func:`describe`). Equal charts are drawn once (:func:`_drawn_svg`)."""
    spec = chart_spec(chart)
    return named_svg(_drawn_svg(spec), summary_of(chart, spec))


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """Render to PNG bytes; ``scale=2`` gives crisp images for slides and reports."""
    return cast(bytes, _convert(chart_spec(chart), "png", scale))


def warm_up() -> None:
    """Render one tiny chart: vl-convert starts its JavaScript engine on first use (~0.4 s).

    Call it where that time is free (a pre-heated kernel, a report worker's start).
    """
    to_svg(alt.Chart(alt.InlineData(values=[{"a": 1}])).mark_point().encode(x=alt.X("a:Q")))
