"""The HTML fragments of a result, shared by every face: the app's Results and Next steps tabs,
its report download, the batch report (:mod:`mlops_workbook.render.report_html`), the facilitator
page and the index of reports. Every piece of user or bank text is escaped here.

Functions return strings; they never display anything. The look is the one stylesheet of
:mod:`mlops_workbook.render.style` (:data:`STYLE` is re-exported here for the pages that put it
in their header).

>>> "&lt;script&gt;" in problems_html(["<script>alert(1)</script>"])
True
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from html import escape
from typing import Any

from mlops_workbook.model.schema import Assessment, Framework, Question
from mlops_workbook.render.defend import defence_html, defend_dimension
from mlops_workbook.render.outcome import outcome_html
from mlops_workbook.render.style import STYLE
from mlops_workbook.scoring.explanations import (
    NO_REASON,
    completeness_words,
    describe_answer,
    explain_dimension,
    one_away_words,
)
from mlops_workbook.scoring.instruments import describe_rule
from mlops_workbook.scoring.scorecard import ScoreCard, level_label

__all__ = [
    "STYLE",
    "defend_html",
    "dimensions_html",
    "download_links_html",
    "figure",
    "gap_html",
    "na_html",
    "overall_html",
    "problems_html",
    "provisional_badge",
    "question_html",
    "table_details",
    "unique_ids",
]


def figure(chart: Any, table: Any = None) -> Any:
    """A chart as inline SVG (works offline, in JupyterLab, Voilà and HTML reports),
    with its table alternative behind a click."""
    from IPython.display import HTML

    from mlops_workbook.charts.export import to_svg

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
    if card.outcome is not None:  # a rule declared as data shows its own result (render.outcome)
        return outcome_html(card)
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


def dimensions_html(framework: Framework, card: ScoreCard, previous: ScoreCard | None = None) -> str:
    """Level, score, completeness and target per dimension, and the previous round's score when
    ``previous`` is given; 'why this level' in a row beneath each."""
    head = "<th>Dimension</th><th>Level</th><th>Score</th><th>Answered</th><th>Target</th>"
    head += "<th>Previous</th>" if previous else ""
    rows = []
    for d in card.dimensions:
        if d.assessed and d.rank is not None:
            level = f"{_level_cell(framework, d.rank)} {provisional_badge(d.provisional)}"
        else:
            level = '<span class="mw-muted">not assessed</span>'
        target = _level_cell(framework, d.target_rank) if d.target_rank is not None else "—"
        cells = (
            f"<td><b>{escape(d.name)}</b></td><td>{level}</td><td>{_score(d.score)}</td>"
            f"<td>{escape(completeness_words(d.completeness))}</td><td>{target}</td>"
        )
        if previous:
            cells += f"<td>{_score(previous.dimension(d.id).score)}</td>"
        why = escape(explain_dimension(framework, d))
        span = 6 if previous else 5
        rows.append(f'<tr>{cells}</tr><tr class="mw-why-row"><td colspan="{span}" class="mw-muted">{why}</td></tr>')
    return f'<div class="mw-card"><table><tr>{head}</tr>{"".join(rows)}</table></div>'


def _score(score: float | None) -> str:
    return "—" if score is None else f"{score:.2f}"


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


def gap_html(framework: Framework, card: ScoreCard, *, blockers_without_gap: bool = False) -> str:
    """The gap to target as an action list, in the order to work on it.

    With no gap to show (no target set, every target reached, or a target dimension not assessed
    yet) it says so and what to do; with ``blockers_without_gap`` (a report, which cannot ask for a
    target) it then lists the practices that block each dimension's next level instead.
    """
    if card.gap:
        n = len(card.gap)
        intro = (
            f"{n} practice{'s' if n != 1 else ''} stand between the current and the target levels. "
            "Work through them in this order: lower levels first, heavier questions first."
        )
        steps = [(g.question, g.dimension_name, g.result.rank, g.result.value) for g in card.gap]
        return f'<div class="mw-card"><p>{intro}</p>{_steps_html(framework, steps)}</div>'
    targets = [d for d in card.dimensions if d.target_id]
    unknown = [d.name for d in targets if not d.target_reached]
    tone = "mw-muted"
    if not targets and blockers_without_gap:
        say = (
            "No target levels are set in this assessment. The next steps below are the practices that block "
            "each dimension's next level."
        )
    elif not targets:
        say = "Set a target level per dimension to see the gap and next steps."
    elif unknown:
        say = (
            f"Not assessed yet, so the gap is unknown: {escape(', '.join(unknown))}. Answer its questions to see "
            "what stands before the target."
        )
    else:
        say, tone = "Every dimension with a target has reached it. Well done.", "mw-ok"
    steps = [(b.question, d.name, b.rank, b.value) for d in card.dimensions for b in d.blockers]
    if not blockers_without_gap or not steps:
        return f'<div class="mw-card {tone}">{say}</div>'
    return f'<div class="mw-card"><p class="{tone}">{say}</p>{_steps_html(framework, steps)}</div>'


def _steps_html(framework: Framework, steps: Sequence[tuple[Question, str, int, int | str | None]]) -> str:
    """Practices to put in place, numbered: level and dimension, statement, answer now, next step."""
    items = "".join(
        f"<li><span class='mw-level'>{escape(level_label(framework, rank))}</span> <b>{escape(dimension)}</b>: "
        f"{escape(q.text)} <span class='mw-muted'>(now: {escape(describe_answer(framework, value))}; "
        f"{escape(q.id)})</span><br><b>Next step:</b> {escape(q.next_step)}</li>"
        for q, dimension, rank, value in steps
    )
    return f'<ol class="mw-gap">{items}</ol>'


def question_html(framework: Framework, question: Question) -> str:
    """The statement, its level (banks scored by levels), and its 'why' and source behind a click (no JavaScript)."""
    gated = framework.scoring.rule == "gated_levels"  # other rules score sections, not levels per question
    chip = f'<span class="mw-level">{escape(framework.level(question.level).name)}</span> ' if gated else ""
    source = next(s for s in framework.sources if s.id == question.source.ref)
    link = (
        f'<a href="{escape(source.url)}" target="_blank" rel="noopener">{escape(source.title)}</a>'
        if source.url.startswith("http")
        else escape(source.title)
    )
    return (
        f'<div class="mw-card">{chip}<b>{escape(question.text)}</b>'
        f'<details class="mw-why"><summary>Why it matters</summary>{escape(question.why)}'
        f"<br><i>If not yet:</i> {escape(question.next_step)}"
        f"<br><span class='mw-muted'>Source: {link} — {escape(question.source.criterion)} "
        f"<code>{escape(question.id)}</code></span></details></div>"
    )


def problems_html(messages: list[str]) -> str:
    """Problems in red, one a line (empty when there are none)."""
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


_ID = re.compile(r'\bid="([^"]+)"')


def banks_html(frameworks: Sequence[Framework]) -> str:
    """Every bank there is, one row each: what it is, how it is answered and how it is scored."""
    rows = "".join(
        f"<tr><td><b>{escape(fw.name)}</b><br><span class='mw-muted'>{escape(fw.id)} · "
        f"{len(fw.questions)} questions</span></td><td>{escape(fw.about)}</td>"
        f"<td>{escape(fw.scale.name)}</td><td>{escape(describe_rule(fw))}</td></tr>"
        for fw in frameworks
    )
    table = f"<table><tr><th>Bank</th><th>What it is</th><th>Answered on</th><th>Scored by</th></tr>{rows}</table>"
    return f"<div class='mw-card'>{scroll_box(table, 'Every bank')}</div>"


def scroll_box(table_html: str, label: str) -> str:
    """A wide table in its own focusable box that scrolls sideways, so the page itself fits 320 px."""
    return (
        f'<div class="mw-scroll" tabindex="0" role="region" aria-label="{escape(label)} (scrolls sideways)">'
        f"{table_html}</div>"
    )


def unique_ids(svg: str, prefix: str) -> str:
    """Prefix every id in an SVG so two charts on one page don't share clip paths.

    >>> unique_ids('<clipPath id="c"/><g clip-path="url(#c)"/>', "radar")
    '<clipPath id="radar-c"/><g clip-path="url(#radar-c)"/>'
    """
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(re.escape(i) for i in sorted(ids)) + r')(["\)])')
    return pattern.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}{m.group(3)}", svg)
