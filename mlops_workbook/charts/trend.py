"""Progress over rounds: each dimension's score and the overall level, one point per round, on dated axes.

A team's rounds are its current file and the rounds archived beside it
(:func:`~mlops_workbook.model.assessment.round_path`: ``<name>.round-<n>.json``);
:func:`load_rounds` reads them, :func:`trend_frame` scores them into one long table and
:func:`trend_chart` draws it — or returns ``None`` when there is only one round, since a
trend needs two points. :func:`trend_table` is the chart's table twin.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import altair as alt
import pandas as pd

from mlops_workbook.charts.build import built_fast, layered
from mlops_workbook.charts.labels import vega_string
from mlops_workbook.charts.theme import OKABE_ITO
from mlops_workbook.model.assessment import find_assessment, load_assessment, round_path
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.scoring.rules import level_label, score_assessment
from mlops_workbook.scoring.scorecard import ScoreCard

#: The series that carries the overall level (weakest dimension) in a trend frame.
OVERALL_SERIES = "Overall level (weakest dimension)"
#: Okabe-Ito without yellow (too pale for a thin line on white) and black (the overall level's).
_LINE_COLORS = tuple(c for c in OKABE_ITO if c not in ("#F0E442", "#000000"))
TREND_COLUMNS = ("round", "date", "series", "kind", "score", "level")


def load_rounds(path: str | Path) -> list[Assessment]:
    """The assessment at ``path`` and its archived rounds, oldest first.

    Archives are looked up where the app keeps them (:func:`round_path`); a missing or
    unreadable archive, or one of another model, is left out (the trend has a gap, it
    does not fail). Raises :class:`WorkbookError` only when ``path`` itself cannot be read.
    """
    current_path = Path(path)
    current = load_assessment(current_path)
    rounds = []
    for number in range(1, current.round):
        archive = round_path(current_path, number)
        if not archive.is_file():
            continue
        try:
            earlier = load_assessment(archive)
        except WorkbookError:
            continue
        if earlier.framework == current.framework:
            rounds.append(earlier)
    return [*rounds, current]


def team_rounds(folder: str | Path, framework_id: str, team: str, respondent: str) -> list[Assessment]:
    """The rounds of one team's file in an assessments folder (the consensus: ``respondent="consensus"``).

    The file is found as the app finds it (:func:`find_assessment`); no file gives ``[]``.
    """
    path = find_assessment(folder, framework_id, team, respondent)
    return load_rounds(path) if path.is_file() else []


def trend_frame(framework: Framework, rounds: Sequence[Assessment]) -> pd.DataFrame:
    """One row per round and series: every dimension's score, then the overall level.

    Columns :data:`TREND_COLUMNS`: ``round`` (number), ``date`` (the round's last change,
    ISO 8601, UTC), ``series`` (dimension name or :data:`OVERALL_SERIES`), ``kind``
    (``dimension``/``overall``), ``score`` (a dimension's score; the overall level's rank)
    and ``level`` (:func:`level_label`). Rounds come in date order; when two files carry the
    same round number the later one counts. Dimensions not assessed have no row.
    """
    latest: dict[int, Assessment] = {}
    for a in sorted(rounds, key=lambda a: a.updated):
        latest[a.round] = a
    ordered = sorted(latest.values(), key=lambda a: (a.updated, a.round))
    return cards_trend_frame(framework, [(a.round, a.updated, score_assessment(framework, a)) for a in ordered])


def cards_trend_frame(
    framework: Framework, rounds: Sequence[tuple[int, datetime, ScoreCard]], overall: str = OVERALL_SERIES
) -> pd.DataFrame:
    """:func:`trend_frame` of rounds already scored: ``(round, date, score card)`` each, in order.

    ``overall`` names the overall level's series (the organisation's view charts a median team).
    """
    rows = []
    for number, updated, card in rounds:
        date = updated.strftime("%Y-%m-%dT%H:%M:%SZ")
        for d in card.dimensions:
            if d.assessed and d.score is not None and d.rank is not None:
                label = level_label(framework, d.rank)
                rows.append((number, date, d.name, "dimension", round(d.score, 3), label))
        if card.overall is not None:
            label = level_label(framework, card.overall.rank)
            rows.append((number, date, overall, "overall", float(card.overall.rank), label))
    return pd.DataFrame(rows, columns=list(TREND_COLUMNS))


#: What the lines and the steps of a team's trend show, under the title.
TEAM_SUBTITLE = (
    "Lines: each dimension's score (level reached + progress on the next).",
    "Thick steps: the overall level, the weakest dimension's.",
)


@built_fast
def trend_chart(
    framework: Framework,
    frame: pd.DataFrame,
    title: str = "",
    subtitle: Sequence[str] = TEAM_SUBTITLE,
    x_title: str = "Round (date of its last answer)",
) -> alt.LayerChart | None:
    """Dimension scores (coloured lines) and the overall level (thick black steps) per round, dated.

    ``None`` when ``frame`` holds fewer than two rounds: a single round is no trend.
    The y axis runs 0 to the top level and names each level; each point is labelled
    on the x axis by its round number and date (``R1`` / ``10 Jan 2026``).
    """
    if frame.empty or frame["round"].nunique() < 2:
        return None
    top = framework.top.rank
    names = {lv.rank: lv.name for lv in framework.levels}
    label_expr = " : ".join(f"datum.value == {r} ? {vega_string(f'{r} {names[r]}')}" for r in sorted(names)) + " : ''"
    dimensions = list(dict.fromkeys(frame.loc[frame["kind"] == "dimension", "series"]))
    domain = [*dimensions, *dict.fromkeys(frame.loc[frame["kind"] == "overall", "series"])]
    colors = [_LINE_COLORS[i % len(_LINE_COLORS)] for i in range(len(dimensions))] + ["#000000"]
    ticks = frame.drop_duplicates("round")[["round", "date"]]
    stamps = [int(pd.Timestamp(d).timestamp() * 1000) for d in ticks["date"]]
    tick_expr = " : ".join(
        f"time(datum.value) == {ms} ? [{vega_string(f'R{r}')}, {vega_string(pd.Timestamp(d).strftime('%d %b %Y'))}]"
        for ms, r, d in zip(stamps, ticks["round"], ticks["date"], strict=True)
    )
    x = alt.X(
        "date:T",
        title=x_title,
        scale=alt.Scale(type="utc", padding=24),
        axis=alt.Axis(values=stamps, labelExpr=f"{tick_expr} : ''", labelAngle=0, grid=True),
    )
    y = alt.Y(
        "score:Q",
        title="Dimension score / level",
        scale=alt.Scale(domain=[0, top], nice=False),
        axis=alt.Axis(values=list(range(top + 1)), labelExpr=label_expr, labelLimit=260),
    )
    color = alt.Color("series:N", scale=alt.Scale(domain=domain, range=colors), title=None, sort=domain)
    tips = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("round:Q", title="Round"),
        alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
        alt.Tooltip("score:Q", title="Score", format=".2f"),
        alt.Tooltip("level:N", title="Level"),
    ]
    dims = frame[frame["kind"] == "dimension"]
    overall = frame[frame["kind"] == "overall"]
    lines = (
        alt.Chart(dims)
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True), strokeWidth=2)
        .encode(x, y, color, alt.Detail("series:N"), tooltip=tips)
    )
    level = (
        alt.Chart(overall)
        .mark_line(interpolate="step-after", strokeWidth=4, point=alt.OverlayMarkDef(size=90, shape="square"))
        .encode(x, y, color, tooltip=tips)
    )
    heading = title or f"{framework.name}: progress over {frame['round'].nunique()} rounds"
    return layered(
        [lines, level],
        width=520,
        height=260,
        title=alt.TitleParams(
            heading,
            subtitle=list(subtitle),
        ),
    )


def trend_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The chart's numbers as a table: one row per round, a column per series (scores, 2 decimals)."""
    if frame.empty:
        return pd.DataFrame(columns=["Round", "Date"])
    wide = frame.pivot_table(index=["round", "date"], columns="series", values="score", sort=False).reset_index()
    series = list(dict.fromkeys(frame["series"]))
    wide = wide[["round", "date", *series]].round(2)
    wide["date"] = wide["date"].str.slice(0, 10)
    return wide.rename(columns={"round": "Round", "date": "Date"})


__all__ = [
    "OVERALL_SERIES",
    "TREND_COLUMNS",
    "cards_trend_frame",
    "load_rounds",
    "team_rounds",
    "trend_chart",
    "trend_frame",
    "trend_table",
]
