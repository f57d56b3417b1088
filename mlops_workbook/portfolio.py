"""The portfolio page of a report batch: every team × model, a heatmap, links to the reports.

Built in the calling process from the scored assessments (no kernel needed) and written
as one offline HTML file with inline SVG. All user text is escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from .errors import display_name
from .frameworks import load_framework
from .report_html import STYLE, _unique_ids
from .scoring import score_assessment

if TYPE_CHECKING:
    from .reports import Outcome


def portfolio_table(outcomes: list[Outcome]) -> pd.DataFrame:
    """One row per report made: team, organisation, model, respondent, overall level and score."""
    rows = []
    for o in outcomes:
        if not o.ok or o.assessment is None:
            continue
        a = o.assessment
        framework = load_framework(a.framework)
        card = score_assessment(framework, a)
        rows.append(
            {
                "team": a.team or "—",
                "organisation": a.organisation,
                "framework": framework.short_name,
                "framework_id": framework.id,
                "respondent": a.respondent,
                "round": a.round,
                "level": card.overall.level_name if card.overall else "not assessed",
                "score": round(card.overall.score, 2) if card.overall else None,
                "top": card.top_rank,
                "report": o.output.name if o.output else "",
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["team", "framework", "respondent"], kind="stable") if rows else frame


def dimension_frame(outcomes: list[Outcome], framework_id: str) -> pd.DataFrame:
    """Team × dimension scores of one model (long form, for the heatmap)."""
    framework = load_framework(framework_id)
    rows = []
    for o in outcomes:
        a = o.assessment
        if not o.ok or a is None or a.framework != framework_id:
            continue
        card = score_assessment(framework, a)
        who = a.team or "—"
        if a.respondent:
            who += f" ({a.respondent})"
        for d in card.dimensions:
            rows.append({"team": who, "dimension": d.name, "score": d.score, "level": d.level_name or "not assessed"})
    return pd.DataFrame(rows)


def _tilt_labels(chart: alt.LayerChart) -> alt.LayerChart:
    """Slant the column labels: dimension names are longer than a heatmap cell is wide."""
    chart = chart.copy(deep=True)
    for layer in chart.layer:
        layer.encoding.x.axis = alt.Axis(
            orient="top", labelAngle=-35, labelAlign="left", labelLimit=220, ticks=False, domain=False
        )
    return chart


def _heatmaps(outcomes: list[Outcome]) -> str:
    from .charts import heatmap, to_svg

    parts = []
    ids = sorted({o.assessment.framework for o in outcomes if o.ok and o.assessment is not None})
    for framework_id in ids:
        framework = load_framework(framework_id)
        frame = dimension_frame(outcomes, framework_id)
        chart = heatmap(
            frame,
            x="dimension",
            y="team",
            value="score",
            title=f"{framework.name}: score per dimension (0–{framework.top.rank})",
            domain=(0, framework.top.rank),
            tooltip=("level",),
        )
        parts.append(f'<div class="mwr-chart">{_unique_ids(to_svg(_tilt_labels(chart)), f"heat-{framework_id}")}</div>')
    return "".join(parts)


def index_html(outcomes: list[Outcome], title: str = "MLOps maturity portfolio") -> str:
    """The whole index page as a string."""
    table = portfolio_table(outcomes)
    rows = "".join(
        f"<tr><td>{escape(r.team)}</td><td>{escape(r.organisation)}</td><td>{escape(r.framework)}</td>"
        f"<td>{escape(r.respondent)}</td><td class='mwr-num'>{r.round}</td><td>{escape(r.level)}</td>"
        f"<td class='mwr-num'>{'—' if pd.isna(r.score) else f'{r.score:.2f} / {r.top}'}</td>"
        f'<td style="white-space: nowrap"><a href="{escape(r.report)}">{escape(r.report)}</a></td></tr>'
        for r in table.itertuples()
    )
    failed = [o for o in outcomes if not o.ok]
    failures = ""
    if failed:
        items = "".join(f"<li><b>{escape(display_name(o.path))}</b>: {escape(o.error)}</li>" for o in failed)
        failures = f"<h2>Not reported ({len(failed)})</h2><ul>{items}</ul>"
    body = (
        f"<h1>{escape(title)}</h1>"
        f'<p class="mwr-sub">{len(table)} report{"s" if len(table) != 1 else ""}. The overall level is the '
        "weakest dimension's; the score is the mean of the dimension scores (level reached plus progress on the "
        "next level). Scores compare within a model only: the models have different numbers of levels.</p>"
        "<table><tr><th>Team</th><th>Organisation</th><th>Model</th><th>Respondent</th><th>Round</th>"
        f"<th>Overall level</th><th>Score</th><th>Report</th></tr>{rows}</table>"
        f"<h2>Teams × dimensions</h2>{_heatmaps(outcomes)}{failures}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{STYLE}<style>body {{margin: 24px}} .mwr h2 {{font-size: 19px; margin-top: 24px}}</style></head>"
        f'<body><div class="mwr">{body}</div></body></html>\n'
    )


def write_index(out_dir: Path, outcomes: list[Outcome]) -> Path:
    """Write ``out_dir/index.html`` atomically; return its path."""
    path = Path(out_dir) / "index.html"
    from .reports import write_public

    write_public(path, index_html(outcomes))
    return path


__all__ = ["dimension_frame", "index_html", "portfolio_table", "write_index"]
