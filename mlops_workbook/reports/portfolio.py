"""The portfolio page of a report batch: the organisation's view, every team × model, a heatmap, links.

Built in the calling process from the scored assessments (no kernel needed) and written
as one offline HTML file with inline SVG. All user text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from mlops_workbook.model.errors import display_name
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.render.style import STYLE
from mlops_workbook.render.views import provisional_badge, scroll_box, unique_ids
from mlops_workbook.reports.marks import DIMENSION_SCORE, NOT_ASSESSED, STAR_NOTE, star_provisional
from mlops_workbook.reports.organisation import TeamResult, blockers_csv, blockers_frame, team_results
from mlops_workbook.reports.organisation_html import BLOCKERS_CSV, organisation_html
from mlops_workbook.reports.outputs import Outcome, write_public
from mlops_workbook.scoring.explanations import completeness_words
from mlops_workbook.scoring.rules import level_label, score_assessment


def portfolio_table(outcomes: list[Outcome]) -> pd.DataFrame:
    """One row per report made: who, which model, and the overall result as every face words it.

    ``level`` is the overall level (the weakest dimension) as :func:`level_label` names it;
    ``average`` the average of dimension scores (of ``top``); ``provisional``, ``answered``,
    ``applicable``, ``na`` and ``answered_words`` come from the score card's completeness.
    """
    rows = []
    for o in outcomes:
        if not o.ok or o.assessment is None:
            continue
        a = o.assessment
        framework = load_framework(a.framework)
        card = score_assessment(framework, a)
        overall = card.overall
        c = overall.completeness if overall else None
        rows.append(
            {
                "team": a.team or "—",
                "organisation": a.organisation,
                "framework": framework.short_name,
                "framework_id": framework.id,
                "respondent": a.respondent,
                "round": a.round,
                "level": level_label(framework, overall.rank) if overall else NOT_ASSESSED,
                "provisional": bool(overall and overall.provisional),
                "average": round(overall.score, 2) if overall else None,
                "top": card.top_rank,
                "answered": c.answered if c else 0,
                "applicable": c.applicable if c else 0,
                "na": c.na if c else 0,
                # N/A has a column of its own here, so the words leave it out
                "answered_words": completeness_words(replace(c, na=0)) if c else "",
                "report": o.output.name if o.output else "",
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["team", "framework", "respondent"], kind="stable") if rows else frame


def dimension_frame(outcomes: list[Outcome], framework_id: str) -> pd.DataFrame:
    """Team × dimension scores of one model (long form, for the heatmap).

    ``level`` is the dimension's :func:`level_label`, with " · provisional" when it rests on
    too few answers (``provisional``); ``answered`` its completeness in the app's words.
    """
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
            level = level_label(framework, d.rank) if d.assessed and d.rank is not None else NOT_ASSESSED
            rows.append(
                {
                    "team": who,
                    "dimension": d.name,
                    DIMENSION_SCORE: d.score,
                    "level": level + (" · provisional" if d.provisional else ""),
                    "answered": completeness_words(d.completeness),
                    "provisional": d.provisional,
                }
            )
    return pd.DataFrame(rows)


def _heatmaps(outcomes: list[Outcome]) -> str:
    from mlops_workbook.charts import heatmap, tilt_labels, to_svg

    parts = []
    ids = sorted({o.assessment.framework for o in outcomes if o.ok and o.assessment is not None})
    for framework_id in ids:
        framework = load_framework(framework_id)
        frame = dimension_frame(outcomes, framework_id)
        chart = heatmap(
            frame,
            x="dimension",
            y="team",
            value=DIMENSION_SCORE,
            title=f"{framework.name}: dimension score per team (0–{framework.top.rank})",
            domain=(0, framework.top.rank),
            tooltip=("level", "answered"),
        )
        chart = star_provisional(tilt_labels(chart), list(frame["provisional"]))
        table = (
            frame.drop(columns=["provisional"])
            .assign(**{DIMENSION_SCORE: frame[DIMENSION_SCORE].round(2)})
            .rename(columns=str.capitalize)
        )
        parts.append(
            f'<div class="mwr-chart">{unique_ids(to_svg(chart), f"heat-{framework_id}")}'
            "<details><summary>Show as table (level per dimension)</summary>"
            f"{table.to_html(index=False, escape=True, border=0)}</details></div>"
        )
    return "".join(parts)


def _row_html(r: Any) -> str:
    average = "—" if pd.isna(r.average) else f"{r.average:.2f} of {r.top}"
    return (
        f"<tr><td>{escape(r.team)}</td><td>{escape(r.organisation)}</td><td>{escape(r.framework)}</td>"
        f"<td>{escape(r.respondent)}</td><td class='mwr-num'>{r.round}</td>"
        f"<td>{escape(r.level)} {provisional_badge(r.provisional)}</td><td class='mwr-num'>{average}</td>"
        f"<td>{escape(r.answered_words)}</td><td class='mwr-num'>{r.na}</td>"
        f'<td style="white-space: nowrap"><a href="{escape(r.report)}">{escape(r.report)}</a></td></tr>'
    )


def _thresholds(outcomes: list[Outcome]) -> str:
    """The completeness below which a level is provisional, as the banks reported here set it."""
    ids = sorted({o.assessment.framework for o in outcomes if o.ok and o.assessment is not None})
    shares = {load_framework(i).provisional_below for i in ids}
    if len(shares) == 1:
        return f"{shares.pop():.0%}"
    return ", ".join(f"{load_framework(i).short_name} {load_framework(i).provisional_below:.0%}" for i in ids)


def organisation_results(outcomes: list[Outcome], units: Mapping[str, str] | None = None) -> list[TeamResult]:
    """Every team's result per model and round, from the batch's checked assessments (reported or not)."""
    return team_results([o.assessment for o in outcomes if o.assessment is not None], units)


def index_html(
    outcomes: list[Outcome],
    title: str = "MLOps maturity portfolio",
    *,
    units: Mapping[str, str] | None = None,
    csv_href: str = "",
    results: Sequence[TeamResult] | None = None,
) -> str:
    """The whole index page as a string: the organisation's view, then every report and its heatmaps.

    ``units`` maps team names' identity keys to business units (``units.yaml``); ``csv_href``
    is where the blockers CSV is linked (empty: inline, as a data URI); ``results``, when given,
    are :func:`organisation_results` already computed.
    """
    results = organisation_results(outcomes, units) if results is None else results
    organisation = organisation_html(results, csv_href=csv_href)
    table = portfolio_table(outcomes)
    rows = "".join(_row_html(r) for r in table.itertuples())
    failed = [o for o in outcomes if not o.ok]
    failures = ""
    if failed:
        items = "".join(f"<li><b>{escape(display_name(o.path))}</b>: {escape(o.error)}</li>" for o in failed)
        failures = f"<h2>Not reported ({len(failed)})</h2><ul>{items}</ul>"
    explained = (
        (
            "The overall level is the weakest dimension's, named as in every report: the model's level name and "
            "“level n of N”, counting the baseline as level 0. The second figure is the average of dimension "
            "scores (each dimension's level reached plus progress on its next level). "
            f"{provisional_badge(True)} marks a level resting on too few answers "
            f"(fewer than {_thresholds(outcomes)} of the "
            "applicable questions answered 0–4); N/A answers are left out of “applicable” and counted apart. "
            "Levels and averages compare within a model only: the models have different numbers of levels."
        )
        if len(table)
        else ""
    )
    body = (
        f"<h1>{escape(title)}</h1>"
        '<p class="mwr-sub"><a href="#organisation">The organisation\'s view</a> · '
        '<a href="#reports">Every report</a></p>'
        f"{organisation}"
        f'<h2 id="reports">Every report</h2><p class="mwr-sub">{len(table)} report{"s" if len(table) != 1 else ""}. '
        f"{explained}</p>"
        + scroll_box(
            "<table><tr><th>Team</th><th>Organisation</th><th>Model</th><th>Respondent</th><th>Round</th>"
            "<th>Overall level (weakest dimension)</th><th>Average of dimension scores</th><th>Answered</th>"
            f"<th>N/A</th><th>Report</th></tr>{rows}</table>",
            "Every report",
        )
        + f"<h2>Teams × dimensions: dimension score and level</h2>{_heatmaps(outcomes)}{failures}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{STYLE}<style>body {{margin: 24px}} .mwr h2 {{font-size: 19px; margin-top: 24px}}</style></head>"
        f'<body><main class="mwr">{body}</main></body></html>\n'
    )


def write_index(out_dir: Path, outcomes: list[Outcome], units: Mapping[str, str] | None = None) -> Path:
    """Write ``out_dir/index.html`` and the ranked blockers beside it (:data:`BLOCKERS_CSV`), atomically;
    return the index's path."""
    path = Path(out_dir) / "index.html"
    results = organisation_results(outcomes, units)
    write_public(Path(out_dir) / BLOCKERS_CSV, blockers_csv(blockers_frame(results)))
    write_public(path, index_html(outcomes, csv_href=BLOCKERS_CSV, results=results))
    return path


__all__ = [
    "DIMENSION_SCORE",
    "NOT_ASSESSED",
    "STAR_NOTE",
    "dimension_frame",
    "index_html",
    "organisation_results",
    "portfolio_table",
    "star_provisional",
    "write_index",
]
