"""The organisation's view as HTML sections: the batch index and the Voilà page ``60-portfolio`` show the same.

Charts are inline SVG (:func:`mlops_workbook.charts.export.to_svg`), each with its table
behind "Show as table"; every name a team typed is escaped here. The ranked blockers are
also a CSV (formula-neutralised): a file beside the index, a download link on the page.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

import pandas as pd

from mlops_workbook.model.errors import Problem
from mlops_workbook.model.schema import Framework
from mlops_workbook.render.views import scroll_box, table_details, unique_ids
from mlops_workbook.reports.marks import DIMENSION_SCORE, star_provisional
from mlops_workbook.reports.organisation import (
    MEDIAN_TEAM,
    NO_UNIT,
    TeamResult,
    blockers_csv,
    blockers_frame,
    level_distribution,
    organisation_trend,
    team_progress,
    teams_dimensions,
    unit_levels,
)

#: The file the ranked blockers are written to, beside ``index.html``.
BLOCKERS_CSV = "blockers.csv"
#: How many blockers the page lists (the CSV has them all).
SHOWN_BLOCKERS = 15
ORG_SUBTITLE = (
    "Lines: the median team's score per dimension in each round, dated at the teams' median date.",
    "Thick steps: the median team's overall level. Later rounds count the teams that reached them.",
)


def _models(results: Sequence[TeamResult]) -> list[Framework]:
    found = {r.framework.id: r.framework for r in results}
    return sorted(found.values(), key=lambda f: f.short_name)


def _svg(chart: object, prefix: str) -> str:
    from mlops_workbook.charts.export import to_svg

    return unique_ids(to_svg(chart), prefix)  # type: ignore[arg-type]


def _chart_block(svg: str, table: pd.DataFrame) -> str:
    return f'<div class="mwr-chart">{svg}{table_details(table)}</div>'


def summary_html(results: Sequence[TeamResult]) -> str:
    """How many teams, units and models the view covers, and how a team's result is chosen."""
    latest = [r for r in results if r.latest]
    teams = {(r.unit, r.team) for r in latest}
    units = {r.unit for r in latest if r.unit != NO_UNIT}
    rounds = max((r.round for r in results), default=0)
    return (
        f'<p class="mwr-sub"><b>{len(teams)}</b> team{"s" if len(teams) != 1 else ""} in '
        f"<b>{len(units)}</b> business unit{'s' if len(units) != 1 else ''}, <b>{len(_models(results))}</b> "
        f"model{'s' if len(_models(results)) != 1 else ''}, up to <b>{rounds}</b> round{'s' if rounds != 1 else ''}. "
        "A team's result in a round is its consensus when it saved one, else its one respondent's answers, "
        "else the median of its respondents' answers. Units come from the assessments' <code>unit</code> "
        "field, else from <code>units.yaml</code> in the assessments folder.</p>"
    )


def distribution_html(results: Sequence[TeamResult]) -> str:
    """Per model: teams per overall level, for each team's latest round and for each round."""
    from mlops_workbook.charts.distribution import distribution_chart, distribution_table

    frame = level_distribution(results)
    parts = []
    for fw in _models(results):
        rows = frame[frame["framework_id"] == fw.id]
        chart = distribution_chart(fw, rows)
        if chart is not None:
            parts.append(_chart_block(_svg(chart, f"dist-{fw.id}"), distribution_table(rows)))
    return "<h3>Teams per level, per model and round</h3>" + "".join(parts)


def units_html(results: Sequence[TeamResult]) -> str:
    """Per model: a row per business unit, its teams counted per overall level (latest round)."""
    parts = []
    for fw in _models(results):
        table = unit_levels(results, fw.id)
        if len(table):
            table = table.rename(columns={"unit": "Unit", "teams": "Teams"})
            units = scroll_box(table.to_html(index=False, escape=True, border=0), f"{fw.name}: business units")
            parts.append(f"<h4>{escape(fw.name)}</h4>{units}")
    return "<h3>Business units: teams per overall level (latest round)</h3>" + "".join(parts)


def blockers_html(frame: pd.DataFrame, export: str = "") -> str:
    """The statements that hold back the most teams, ranked; ``export`` is the link to the full CSV."""
    head = "<h3>Blockers that hold back the most teams</h3>"
    if frame.empty:
        return head + "<p>No statement blocks a team's next level.</p>"
    rows = "".join(
        f"<tr><td class='mwr-num'>{r['rank']}</td><td>{escape(r['model'])}</td>"
        f"<td><b>{escape(r['statement'])}</b><br><span class='mwr-muted'>{escape(r['question'])} · "
        f"{escape(r['dimension'])}</span><br>Next step: {escape(r['next step'])}</td>"
        f"<td>{escape(r['blocks level'])}</td><td class='mwr-num'>{r['teams blocked']} of {r['of teams']}</td>"
        f"<td>{escape(r['units'])}</td></tr>"
        for r in frame.head(SHOWN_BLOCKERS).to_dict("records")
    )
    shown = min(len(frame), SHOWN_BLOCKERS)
    return (
        f"{head}<p class='mwr-sub'>A statement blocks a team when it keeps one of the team's dimensions from "
        "its next level (each team's latest round). Most teams first; at equal counts the lower level first. "
        f"{shown} of {len(frame)} shown. {export}</p>"
        + scroll_box(
            "<table class='mwr-blockers'><tr><th>#</th><th>Model</th><th>Statement and its next step</th>"
            f"<th>Blocks level</th><th>Teams blocked</th><th>Units</th></tr>{rows}</table>",
            "Blockers",
        )
    )


def csv_link(frame: pd.DataFrame, href: str = "") -> str:
    """A link to the blockers CSV: ``href`` (a file beside the page), else the CSV inline as a data URI."""
    if not href:
        data = base64.b64encode(blockers_csv(frame).encode("utf-8")).decode()
        href = f"data:text/csv;base64,{data}"
    return f"<a download='{BLOCKERS_CSV}' href='{escape(href)}'>Export every blocker as CSV ({BLOCKERS_CSV})</a>"


def dimensions_html(results: Sequence[TeamResult]) -> str:
    """Per model: teams (grouped by unit) × dimensions, the latest round's scores."""
    from mlops_workbook.charts import heatmap, tilt_labels

    parts = []
    for fw in _models(results):
        frame = teams_dimensions(results, fw.id).rename(columns={"dimension score": DIMENSION_SCORE})
        if frame.empty:
            continue
        # the top of the score scale: the top rank, or a points rule's most points
        top = max(r.card.score_top for r in results if r.framework.id == fw.id)
        chart = heatmap(
            frame,
            x="dimension",
            y="row",
            value=DIMENSION_SCORE,
            title=f"{fw.name}: teams by unit × dimension (0–{top:g})",
            domain=(0, top),
            tooltip=("level", "basis"),
        )
        chart = star_provisional(tilt_labels(chart), list(frame["provisional"]))
        table = frame.drop(columns=["row", "provisional"]).round({DIMENSION_SCORE: 2})
        parts.append(_chart_block(_svg(chart, f"org-heat-{fw.id}"), table.rename(columns=str.capitalize)))
    return "<h3>Teams × dimensions, grouped by business unit (latest round)</h3>" + "".join(parts)


def trend_html(results: Sequence[TeamResult]) -> str:
    """Per model with two rounds or more: the median team's progress over rounds."""
    from mlops_workbook.charts.trend import trend_chart, trend_table

    parts = []
    for fw in _models(results):
        frame = organisation_trend(results, fw.id)
        chart = trend_chart(
            fw, frame, f"{fw.name}: the median team over rounds", ORG_SUBTITLE, "Round (the teams' median date)"
        )
        if chart is not None:
            parts.append(_chart_block(_svg(chart, f"org-trend-{fw.id}"), trend_table(frame)))
        progress = team_progress(results, fw.id)
        if len(progress):
            table = scroll_box(
                progress.rename(columns=str.capitalize).to_html(index=False, escape=True, border=0),
                f"{fw.name}: teams with two rounds or more",
            )
            parts.append(f"<h4>{escape(fw.name)}: teams with two rounds or more, most improved first</h4>{table}")
    if not parts:
        return "<h3>Progress over rounds</h3><p>Every team has one round so far: no trend yet.</p>"
    return f"<h3>Progress over rounds ({escape(MEDIAN_TEAM.lower())} and dimensions)</h3>" + "".join(parts)


def problems_html(problems: Sequence[Problem]) -> str:
    """The files left out of the view, each with its reason."""
    if not problems:
        return ""
    items = "".join(f"<li>{escape(str(p))}</li>" for p in problems[:50])
    more = f"<li>… and {len(problems) - 50} more</li>" if len(problems) > 50 else ""
    return f"<h3>Left out ({len(problems)})</h3><ul>{items}{more}</ul>"


def organisation_html(results: Sequence[TeamResult], problems: Sequence[Problem] = (), *, csv_href: str = "") -> str:
    """Every section of the organisation's view (an ``<h2>`` and its parts), for the index and the page."""
    head = '<h2 id="organisation">The organisation\'s view</h2>'
    if not results:
        return head + "<p>No usable assessment: nothing to show.</p>" + problems_html(problems)
    blockers = blockers_frame(results)
    return (
        head
        + summary_html(results)
        + distribution_html(results)
        + units_html(results)
        + blockers_html(blockers, csv_link(blockers, csv_href))
        + dimensions_html(results)
        + trend_html(results)
        + problems_html(problems)
    )


__all__ = [
    "BLOCKERS_CSV",
    "SHOWN_BLOCKERS",
    "blockers_html",
    "csv_link",
    "dimensions_html",
    "distribution_html",
    "organisation_html",
    "problems_html",
    "summary_html",
    "trend_html",
    "units_html",
]
