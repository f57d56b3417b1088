"""The crosswalk: every model's levels as spans on one common 0-3 scale, and as a table."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from mlops_workbook.charts.build import built_fast, layered
from mlops_workbook.charts.labels import chart_title, tooltips, wrap_text
from mlops_workbook.charts.theme import GREY
from mlops_workbook.model.schema import Framework, Level
from mlops_workbook.scoring.rules import ScoreCard

#: The common 0-3 scale of the crosswalk (``Level.band``), from data/reference/frameworks.json.
BANDS = {
    0: "Manual / ad hoc",
    1: "Automated training",
    2: "Automated deployment (CI/CD)",
    3: "Full automated operations at scale",
}
#: How sure the reference's crosswalk is of each band's alignment across the models.
BAND_CONFIDENCE = {0: "high", 1: "medium-high", 2: "medium", 3: "medium-low"}


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


def _band(level: Level) -> tuple[float, float]:
    """The level's span on the common scale; only levels of banks :func:`on_the_crosswalk` are asked."""
    if level.band is None:
        raise ValueError(f"level {level.id!r} declares no crosswalk band")
    return level.band


def on_the_crosswalk(frameworks: Sequence[Framework]) -> list[Framework]:
    """The banks that declare a crosswalk band on every level: only they are placed and compared."""
    return [fw for fw in frameworks if all(lv.band is not None for lv in fw.levels)]


def crosswalk_table(frameworks: Sequence[Framework]) -> pd.DataFrame:
    """Every level of every model with its span on the common 0-3 scale, why, and how sure the reference is."""
    frameworks = on_the_crosswalk(frameworks)
    return pd.DataFrame(
        [
            {
                "Model": fw.short_name,
                "Rank": lv.rank,
                "Level": lv.name,
                "From": _band(lv)[0],
                "To": _band(lv)[1],
                "Span": lv.band_text,
                "Bands": _band_names(*_band(lv)),
                "Confidence": _band_confidence(*_band(lv)),
                "Why": lv.band_note,
            }
            for fw in frameworks
            for lv in fw.levels_by_rank
        ]
    )


@built_fast
def crosswalk_chart(
    frameworks: Sequence[Framework], cards: Mapping[str, ScoreCard] | None = None
) -> alt.Chart | alt.LayerChart:
    """The models' levels as spans on one common 0-3 scale (``Level.band``), one row per level.

    A level that sits on one band is a dot; a level that spans bands is a bar from its lowest
    to its highest band. With ``cards`` (score cards by framework id), the row of each model's
    overall level is outlined: where the assessment places the team.
    """
    placed = on_the_crosswalk(frameworks)
    if not placed:  # say so rather than draw an empty scale
        unplaced = ", ".join(fw.short_name for fw in frameworks)
        note = pd.DataFrame({"text": [f"{unplaced}: no crosswalk band declared, so not placed on the common scale"]})
        return alt.Chart(note, name="crosswalk_none").mark_text().encode(text="text:N")
    frameworks = placed
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
            "why": [wrap_text(w, 70) for w in table["Why"]],
        }
    )
    models = [fw.short_name for fw in frameworks]
    x_scale = alt.Scale(domain=[-1.75, 3.25], nice=False)
    y = alt.Y("row:N", sort=order, axis=None, scale=alt.Scale(paddingInner=0.25, paddingOuter=0.1))
    colour = alt.Color("model:N", sort=models, legend=None)
    # Multi-line text runs down from its anchor: bottom-align band names with leading blank lines.
    names = [wrap_text(f"{b} {n}", 18) + f"\n({BAND_CONFIDENCE[b]} confidence)" for b, n in BANDS.items()]
    most = max(n.count("\n") for n in names)
    bands = pd.DataFrame({"band": list(BANDS), "name": ["\n" * (most - n.count("\n")) + n for n in names]})
    band_x = alt.X("band:Q", scale=x_scale, axis=None)
    grid = alt.Chart(bands).mark_rule(color="#E0E0E0", strokeWidth=1.5).encode(band_x)
    band_names = (
        alt.Chart(bands, name="crosswalk_bands")
        .mark_text(baseline="bottom", lineBreak="\n", lineHeight=16, fontSize=13, color=GREY, y=-10 - 16 * most)
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
    tooltip = tooltips(
        {
            "model:N": "Model",
            "level:N": "Level",
            "span:N": "Common scale",
            "confidence:N": "Crosswalk confidence",
            "why:N": "Why",
        }
    )
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
                    "low": _band(fw.level(card.overall.level_id))[0],
                    "high": _band(fw.level(card.overall.level_id))[1],
                    "score": round(card.overall.score, 2),
                    "label": "your level",
                }
                for fw in frameworks
                if (card := cards.get(fw.id)) is not None and card.overall is not None
            ]
        )
        if not teams.empty:
            teams["left"], teams["right"] = teams["low"] - 0.13, teams["high"] + 0.13
            team_tooltip = tooltips(
                {
                    "model:N": "Model",
                    "level:N": "Your overall level (weakest dimension)",
                    "score:Q": "Average of dimension scores",
                }
            )
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
    return layered(layers, width=780, height=alt.Step(30), title=chart_title("The three models on one scale", subtitle))
