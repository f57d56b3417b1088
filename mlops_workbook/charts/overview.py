"""A model's levels as a ladder (one step per level, with its name and summary), and as a table."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from mlops_workbook.charts.build import built_fast, layered
from mlops_workbook.charts.labels import wrap_text
from mlops_workbook.model.schema import Framework


def _ranked(rank: int, name: str) -> str:
    """``2 Reliable``, but ``Level 2 - CI/CD…`` stays as it is when the name already says its rank."""
    return name if re.search(rf"\b{rank}\b", name) else f"{rank}  {name}"


def overview_table(framework: Framework) -> pd.DataFrame:
    """A model's levels, lowest first."""
    return pd.DataFrame(
        [
            {"Rank": lv.rank, "Level": lv.name, "Summary": lv.summary, "Band": lv.band_text}
            for lv in framework.levels_by_rank
        ]
    )


@built_fast
def overview_chart(framework: Framework) -> alt.Chart | alt.LayerChart:
    """The model's levels as a ladder: one step per level, with its name and summary."""
    levels = framework.levels_by_rank
    top = levels[-1].rank
    width, narrow, wide, gap, line = 640, 150, 250, 18, 17
    summaries = {lv.rank: wrap_text(lv.summary, 54) for lv in levels}
    names = {lv.rank: wrap_text(_ranked(lv.rank, lv.name), 15) for lv in levels}
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
    return layered(
        [steps, headings, texts],
        width=width,
        height=row * len(levels),
        title=alt.TitleParams(
            f"{framework.short_name}: the levels",
            subtitle=[
                *wrap_text(framework.name, 90).split("\n"),
                "Lowest level at the bottom; each builds on the one below",
            ],
        ),
    )
