"""HTML fragments for results: every piece of user or bank text is escaped here.

Used by the widget app and the downloadable summary. Functions return strings; they
never display anything.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape
from typing import Any

from mlops_workbook.model.schema import Assessment, Framework, Question
from mlops_workbook.render.defend import defence_html, defend_dimension
from mlops_workbook.scoring.explanations import (
    NO_REASON,
    completeness_words,
    describe_answer,
    explain_dimension,
    one_away_words,
)
from mlops_workbook.scoring.scorecard import ScoreCard, level_label

STYLE = """
<style>
.mw-card {font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 14px; line-height: 1.45}
.mw-card table {border-collapse: collapse; width: 100%}
.mw-card th, .mw-card td {text-align: left; padding: 4px 8px; border-bottom: 1px solid #ddd; vertical-align: top}
.mw-card th {background: #f4f4f4}
.mw-overall {font-size: 18px; margin: 4px 0 8px}
.mw-overall b {font-size: 22px}
.mw-muted {color: #666}
.mw-level {display: inline-block; padding: 1px 6px; border-radius: 8px; background: #e8eef7; font-size: 12px;
           color: #234}
.mw-gap li {margin-bottom: 6px}
.mw-error {color: #a40000; font-weight: 600}
.mw-flag {color: #a40000; font-weight: 600}
.mw-provisional {display: inline-block; padding: 0 6px; border-radius: 8px; background: #fff1c2; color: #6b4e00;
                 font-size: 12px; font-weight: 600}
.mw-card tr.mw-why-row td {font-size: 12px; padding-top: 0; border-bottom: 2px solid #ccc}
.mw-card tr:has(+ tr.mw-why-row) td {border-bottom: 0}
.mw-away {background: #fff7e0; border-left: 4px solid #e0a800; padding: 6px 10px; margin: 6px 0}
.mw-ok {color: #1a6b2f}
.mw-example, .mw-hint {display: inline-block; background: #fff4ce; border-left: 4px solid #8a6d00;
  padding: 4px 8px; color: #3d3000}
details.mw-why summary {cursor: pointer; color: #0b5394}
.widget-html-content svg.marks {max-width: 100%; height: auto}
.mw-card a, .widget-html-content a[download] {color: #0b5394; text-decoration: underline}
.widget-toggle-button.mod-active {background: #0072B2 !important; color: white !important; font-weight: 600}
.mw-q textarea {font-family: inherit}
</style>
"""


def figure(chart: Any, table: Any = None) -> Any:
    """A chart as inline SVG (works offline, in JupyterLab, Voilà and HTML reports),
    with its table alternative behind a click."""
    from IPython.display import HTML

    from mlops_workbook.charts.figures import to_svg

    details = table_details(table) if table is not None else ""
    return HTML(f"{STYLE}<div class='mw-card'>{to_svg(chart)}{details}</div>")


def table_details(frame: Any) -> str:
    """A DataFrame as an escaped HTML table behind 'Show as table' (the chart's text alternative)."""
    return (
        "<details class='mw-why'><summary>Show as table</summary>"
        f"{frame.to_html(index=False, escape=True, border=0)}</details>"
    )


def provisional_badge(provisional: bool) -> str:
    """A visible mark on a level that rests on too few answers (empty when it does not)."""
    if not provisional:
        return ""
    return '<span class="mw-provisional" title="Too few questions answered to rely on">provisional</span>'


def overall_html(framework: Framework, card: ScoreCard) -> str:
    """The overall level (the weakest dimension's), the average of dimension scores, completeness,
    and, when one question would lift the overall level, that question."""
    if card.overall is None:
        return '<div class="mw-card mw-overall">Overall: <b>not assessed yet</b> — answer a question to start.</div>'
    o = card.overall
    assessed = sum(d.assessed for d in card.dimensions)
    weakest = ", ".join(card.dimension(i).name for i in o.weakest)
    html = (
        f'<div class="mw-card mw-overall">Overall level (weakest dimension): <b>{escape(o.level_name)}</b> '
        f"{provisional_badge(o.provisional)}<br><span class='mw-muted'>level {o.rank} of {card.top_rank}, "
        f"set by {escape(weakest)} · average of dimension scores {o.score:.2f} of {card.top_rank} over {assessed} "
        f"assessed dimension{'s' if assessed != 1 else ''} · {escape(completeness_words(o.completeness))}</span>"
        "</div>"
    )
    if o.one_away:
        html += f'<div class="mw-card mw-away">{escape(one_away_words(framework, o.one_away, overall=True))}</div>'
    return html


def _level_cell(framework: Framework, rank: int) -> str:
    """The level's name, with "level n of N" beneath it (the label of :func:`level_label`, set narrow)."""
    return (
        f"{escape(framework.level_at(rank).name)}<br><span class='mw-muted'>level {rank} of {framework.top.rank}</span>"
    )


def dimension_table_html(framework: Framework, card: ScoreCard) -> str:
    """Level, score, completeness and target per dimension; 'why this level' in a row beneath each."""
    rows = []
    for d in card.dimensions:
        if d.assessed and d.rank is not None:
            level = f"{_level_cell(framework, d.rank)} {provisional_badge(d.provisional)}"
        else:
            level = '<span class="mw-muted">not assessed</span>'
        score = f"{d.score:.2f}" if d.score is not None else "–"
        target = _level_cell(framework, d.target_rank) if d.target_rank is not None else "–"
        why = escape(explain_dimension(framework, d))
        rows.append(
            f"<tr><td><b>{escape(d.name)}</b></td><td>{level}</td><td>{score}</td>"
            f"<td>{escape(completeness_words(d.completeness))}</td><td>{target}</td></tr>"
            f'<tr class="mw-why-row"><td colspan="5" class="mw-muted">{why}</td></tr>'
        )
    return (
        '<div class="mw-card"><table><tr><th>Dimension</th><th>Level</th><th>Score</th><th>Answered</th>'
        f"<th>Target</th></tr>{''.join(rows)}</table></div>"
    )


def na_html(framework: Framework, assessment: Assessment, card: ScoreCard) -> str:
    """The questions marked N/A with their reasons; a missing reason is flagged."""
    na = card.with_status("na")
    if not na:
        return ""
    items = []
    for r in na:
        answer = assessment.answers.get(r.id)
        reason = answer.na_reason.strip() if answer else ""
        shown = escape(reason) if reason else f"<span class='mw-flag'>⚠ {NO_REASON}</span>"
        items.append(
            f"<li><b>{escape(framework.dimension(r.question.dimension).name)}</b>: {escape(r.question.text)} "
            f"<code class='mw-muted'>{escape(r.id)}</code><br>N/A — {shown}</li>"
        )
    return f"<div class='mw-card'><b>Not applicable ({len(na)})</b><ul>{''.join(items)}</ul></div>"


def defend_html(framework: Framework, assessment: Assessment, card: ScoreCard, dimension_id: str) -> str:
    """'Defend this score' for one dimension (see :mod:`mlops_workbook.render.defend`)."""
    return f"<div class='mw-card'>{defence_html(defend_dimension(framework, assessment, card, dimension_id))}</div>"


def gap_html(framework: Framework, card: ScoreCard, limit: int | None = None) -> str:
    if not any(d.target_id for d in card.dimensions):
        return '<div class="mw-card mw-muted">Set a target level per dimension to see the gap and next steps.</div>'
    if not card.gap:
        open_targets = [d.name for d in card.dimensions if d.target_id and not d.target_reached]
        if open_targets:
            return (
                '<div class="mw-card mw-muted">Not assessed yet, so the gap is unknown: '
                f"{escape(', '.join(open_targets))}. Answer its questions to see what stands before the target.</div>"
            )
        return '<div class="mw-card mw-ok">Every dimension with a target has reached it. Well done.</div>'
    items = card.gap if limit is None else card.gap[:limit]
    lis = "".join(
        f"<li><span class='mw-level'>{escape(level_label(framework, g.result.rank))}</span> "
        f"<b>{escape(g.dimension_name)}</b>: "
        f"{escape(g.question.text)} <span class='mw-muted'>(now: "
        f"{escape(describe_answer(framework, g.result.value))})</span><br>→ {escape(g.question.next_step)}</li>"
        for g in items
    )
    more = f"<p class='mw-muted'>…and {len(card.gap) - len(items)} more.</p>" if len(items) < len(card.gap) else ""
    return f'<div class="mw-card"><ol class="mw-gap">{lis}</ol>{more}</div>'


def question_html(framework: Framework, question: Question) -> str:
    """The statement, its level, and its 'why' and source behind a click (no JavaScript)."""
    level = framework.level(question.level)
    source = next(s for s in framework.sources if s.id == question.source.ref)
    link = (
        f'<a href="{escape(source.url)}" target="_blank" rel="noopener">{escape(source.title)}</a>'
        if source.url.startswith("http")
        else escape(source.title)
    )
    return (
        f'<div class="mw-card"><span class="mw-level">{escape(level.name)}</span> '
        f"<b>{escape(question.text)}</b>"
        f'<details class="mw-why"><summary>Why it matters</summary>{escape(question.why)}'
        f"<br><i>If not yet:</i> {escape(question.next_step)}"
        f"<br><span class='mw-muted'>Source: {link} — {escape(question.source.criterion)} "
        f"<code>{escape(question.id)}</code></span></details></div>"
    )


def problems_html(messages: list[str]) -> str:
    if not messages:
        return ""
    return '<div class="mw-card mw-error">' + "<br>".join(escape(m) for m in messages) + "</div>"


def download_links_html(files: Sequence[tuple[str, str, bytes]]) -> str:
    """Data-URI download links, ``(file name, MIME type, content)`` each: they work in
    Voilà, where links to server paths do not."""
    items = "".join(
        f"<li><a download='{escape(name)}' href='data:{mime};base64,{base64.b64encode(data).decode()}'>"
        f"{escape(name)}</a> <span class='mw-muted'>({len(data) / 1024:.0f} KB)</span></li>"
        for name, mime, data in files
    )
    return f"<div class='mw-card'><ul>{items}</ul></div>"
