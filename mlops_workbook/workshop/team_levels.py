"""The teams' levels on the facilitator page, in the words of every other face.

Each team's level comes from its median answers (or its consensus) and is worded as the
app words one person's result: :func:`~mlops_workbook.scoring.rules.level_label`, the overall
level as the weakest dimension, the second figure as the average of dimension scores,
answered / applicable with the N/A count, and the provisional mark. Every name a
participant typed is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import altair as alt
import pandas as pd

from mlops_workbook import charts
from mlops_workbook.model.schema import Framework
from mlops_workbook.render import views
from mlops_workbook.reports.portfolio import NOT_ASSESSED, star_provisional
from mlops_workbook.scoring.explanations import completeness_words
from mlops_workbook.scoring.scorecard import Completeness, ScoreCard, level_label
from mlops_workbook.workshop.aggregation import OVERALL, WorkshopSummary


def team_level_words(framework: Framework, card: ScoreCard, *, consensus: bool = False) -> list[str]:
    """The team's overall level in the app's words, as lines: whose answers, the level, the average.

    ``["Team (median answers): overall level (weakest dimension) Initial (level 0 of 3) · provisional",
    "average of dimension scores 1.18 of 3 · 33 of 33 answered (100%) · 1 N/A"]``; one line when
    nothing is assessed yet.
    """
    whose = "Consensus" if consensus else "Team (median answers)"
    o = card.overall
    if o is None:
        return [f"{whose}: not assessed yet"]
    flag = " · provisional" if o.provisional else ""
    return [
        f"{whose}: overall level (weakest dimension) {level_label(framework, o.rank)}{flag}",
        f"average of dimension scores {o.score:.2f} of {card.top_rank} · {completeness_words(o.completeness)}",
    ]


def team_level_html(framework: Framework, card: ScoreCard, team: str, *, consensus: bool = False) -> str:
    """The selected team's overall level as the app shows it (:func:`views.overall_html`), with whose answers."""
    whose = "consensus" if consensus else "median answers of the team"
    return (
        f"<div class='mw-card mw-team-level'><b>{escape(team)}</b> <span class='mw-muted'>({whose})</span>"
        f"{views.overall_html(framework, card)}</div>"
    )


#: The teams × dimensions table's column of the team's level (from its median answers).
TEAM_LEVEL = "team level"
#: The heatmap's value: the median over the team's respondents of their own scores.
MEDIAN_SCORE = "median score"


def _answered(answered: int, applicable: int, na: int) -> str:
    """``33 of 34 answered (97%) · 1 N/A``: the app's words for the team's median answers."""
    # completeness_words reads answered, applicable and na only; the missing ones are lumped
    return completeness_words(Completeness(answered, applicable, na, 0, applicable - answered))


def teams_frame(framework: Framework, summary: WorkshopSummary, teams: Sequence[str] | None = None) -> pd.DataFrame:
    """Team × dimension (and overall): the team's level and the median of its respondents' scores.

    ``team level`` is the level the team's median answers reach, as :func:`level_label`
    names it (" · provisional" when it rests on too few answers; for ``Overall`` the
    weakest dimension), ``answered`` their completeness; ``median score`` the median of
    the respondents' own scores (for ``Overall``, of their averages of dimension scores);
    ``provisional`` the flag behind the mark. ``teams`` limits it to the teams picked for
    comparison (``None``: every team).
    """
    frame = summary.teams if teams is None else summary.teams[summary.teams["team"].isin(list(teams))]
    provisional = frame["level_provisional"].astype(bool).tolist()
    level = [
        (label if isinstance(label, str) else NOT_ASSESSED) + (" · provisional" if flag else "")
        for label, flag in zip(frame["level_label"], provisional, strict=True)
    ]
    counts = zip(frame["level_answered"], frame["level_applicable"], frame["level_na"], strict=True)
    return pd.DataFrame(
        {
            "team": frame["team"].to_numpy(),
            "dimension": frame["dimension_name"].to_numpy(),
            TEAM_LEVEL: level,
            "answered": [_answered(int(a), int(b), int(n)) for a, b, n in counts],
            MEDIAN_SCORE: frame["median"].round(2).to_numpy(),
            "spread (IQR)": frame["iqr"].round(2).to_numpy(),
            "respondents": frame["respondents"].to_numpy(),
            "provisional": provisional,
        }
    )


def team_levels_html(framework: Framework, summary: WorkshopSummary, teams: Sequence[str] | None = None) -> str:
    """Teams as rows: overall level (weakest dimension), average of dimension scores, then each dimension's level.

    All from the team's median answers, worded as the app words one person's result, with
    its provisional mark and answered / applicable.
    """
    frame = summary.teams if teams is None else summary.teams[summary.teams["team"].isin(list(teams))]
    dims = [d for d in framework.dimensions]
    head = "<th>Team</th><th>Overall level (weakest dimension)</th><th>Average of dimension scores</th>" + "".join(
        f"<th>{escape(d.name)}</th>" for d in dims
    )

    def cell(row: Any) -> str:
        if pd.isna(row["level_rank"]):
            return f"<span class='mw-muted'>{NOT_ASSESSED}</span>"
        answered = _answered(int(row["level_answered"]), int(row["level_applicable"]), int(row["level_na"]))
        return (
            f"{escape(level_label(framework, int(row['level_rank'])))} "
            f"{views.provisional_badge(bool(row['level_provisional']))}"
            f"<br><span class='mw-muted'>{escape(answered)}</span>"
        )

    rows = []
    for team, group in frame.groupby("team", sort=False):
        by_dim = {r["dimension"]: r for r in group.to_dict("records")}
        overall = by_dim[OVERALL]
        average = "–" if pd.isna(overall["level_score"]) else f"{overall['level_score']:.2f} of {framework.top.rank}"
        rows.append(
            f"<tr><td><b>{escape(str(team))}</b></td><td>{cell(overall)}</td><td>{average}</td>"
            + "".join(f"<td>{cell(by_dim[d.id])}</td>" for d in dims)
            + "</tr>"
        )
    return (
        "<div class='mw-card mw-team-levels'><p class='mw-muted' style='margin:0 0 4px'>Each team's level from its "
        "median answers, as the app words one person's result.</p>"
        f"<table><tr>{head}</tr>{''.join(rows)}</table></div>"
    )


def teams_heatmap(framework: Framework, summary: WorkshopSummary, teams: Sequence[str] | None = None) -> alt.LayerChart:
    frame = teams_frame(framework, summary, teams)
    chart = charts.heatmap(
        frame.drop(columns=["provisional"]),
        x="dimension",
        y="team",
        value=MEDIAN_SCORE,
        title=f"{framework.name}: median score per team and dimension (0–{framework.top.rank})",
        domain=(0, framework.top.rank),
        tooltip=(TEAM_LEVEL, "answered", "spread (IQR)"),
    )
    subtitle = ("Median of the respondents' own scores; Overall: of their averages of dimension scores.",)
    return star_provisional(charts.tilt_labels(chart), frame["provisional"].tolist(), subtitle)


__all__ = [
    "MEDIAN_SCORE",
    "TEAM_LEVEL",
    "team_level_html",
    "team_level_words",
    "team_levels_html",
    "teams_frame",
    "teams_heatmap",
]
