"""The result of a rule declared as data (section_points, all_of), as HTML: figure, band, why, sections.

Shared by the app's results, the report and the facilitator page, like the other
fragments of :mod:`mlops_workbook.render.views`. Every text is escaped.
"""

from __future__ import annotations

from html import escape

from mlops_workbook.scoring.scorecard import ScoreCard


def outcome_html(card: ScoreCard) -> str:
    """``Result: Strong automated testing and monitoring — 3.5 (the lowest section sum: …)`` and why."""
    o = card.outcome
    if o is None:
        return ""
    band = f" · band {escape(o.band_text)}" if o.band_text else ""
    rows = "".join(
        f"<tr><td>{escape(s.name)}{'' if s.required or o.rule != 'all_of' else ' <i>(not required)</i>'}</td>"
        f"<td class='mw-num'>{s.points:g} of {s.max_points:g}</td>"
        f"<td>{'<b>decides</b>' if s.id in o.deciding else ''}</td></tr>"
        for s in o.sections
    )
    figure = "points" if o.rule == "section_points" else "statements met"
    return (
        f'<div class="mw-card mw-overall mw-outcome">Result: <b>{escape(o.name)}</b>{band}<br>'
        f"<span class='mw-muted'>{escape(o.value_text)} · {escape(o.meaning)}</span>"
        f"<p>{escape(o.why)}</p>"
        f"<table class='mw-table'><thead><tr><th>Section</th><th>{figure}</th><th></th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f"<details class='mw-why'><summary>How this bank is scored</summary>{escape(o.rule_text)}</details></div>"
    )
