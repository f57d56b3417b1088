"""The report of one assessment, as HTML fragments and inline SVG charts.

``notebooks/report.ipynb`` calls these functions and displays what they return, so the
notebook stays thin and the same rendering is tested without a kernel. Every piece of
user text (names, notes, reasons) and of bank text is escaped here: a note containing
``<script>`` shows as text.

>>> "&lt;script&gt;" in _text("<script>alert(1)</script>")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from mlops_workbook.model.assessment import check_assessment
from mlops_workbook.model.checked import load_checked
from mlops_workbook.model.errors import WorkbookError, display_name
from mlops_workbook.model.paths import PROJECT_ROOT
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.render.defend import DEFEND_STYLE, defence_html, defend_dimension
from mlops_workbook.scoring.explanations import (
    NO_REASON,
    completeness_words,
    describe_answer,
    explain_dimension,
    one_away_words,
    overall_words,
    rule_sentence,
)
from mlops_workbook.scoring.rules import score_assessment
from mlops_workbook.scoring.scorecard import ScoreCard, level_label

#: The report's look: scoped to ``.mwr`` so it cannot leak into a notebook's own styles.
STYLE = """<style>
.mwr {font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 14px; line-height: 1.5;
      color: #1d2329; max-width: 1000px}
.mwr h1 {font-size: 26px; margin: 0 0 4px; border: 0}
.mwr .mwr-sub {color: #5b6570; margin: 0 0 12px}
.mwr dl {display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 12px}
.mwr dt {color: #5b6570} .mwr dd {margin: 0}
.mwr .mwr-overall {background: #f3f6fa; border-left: 4px solid #2f6db5; padding: 10px 14px; margin: 8px 0}
.mwr .mwr-overall b {font-size: 18px}
.mwr table {border-collapse: collapse; width: 100%; margin: 4px 0 12px; table-layout: auto}
.mwr th, .mwr td {text-align: left !important; padding: 5px 8px; border-bottom: 1px solid #dde2e7;
                  vertical-align: top}
.mwr th {background: #f3f5f7; font-weight: 600}
.mwr td.mwr-num {text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap}
.mwr .mwr-muted {color: #5b6570}
.mwr ol.mwr-gap li {margin-bottom: 8px}
.mwr .mwr-tag {display: inline-block; padding: 0 7px; border-radius: 9px; background: #e4ecf7; color: #1f3b5c;
               font-size: 12px; margin-right: 4px}
.mwr .mwr-note {white-space: pre-wrap}
.mwr .mwr-flag {color: #a40000; font-weight: 600}
.mwr .mwr-provisional {display: inline-block; padding: 0 7px; border-radius: 9px; background: #fff1c2;
                       color: #6b4e00; font-size: 12px; font-weight: 600}
.mwr .mwr-away {background: #fff7e0; border-left: 4px solid #e0a800; padding: 8px 14px; margin: 8px 0}
</style>"""


@dataclass(frozen=True)
class Report:
    """Everything one report shows: the assessment, its bank, its score and the earlier round."""

    assessment: Assessment
    framework: Framework
    card: ScoreCard
    source: str
    title: str = ""
    previous: Assessment | None = None
    previous_card: ScoreCard | None = None


def resolve_input(path: str | Path) -> Path:
    """A path as given, or relative to the project root (the notebook's literal default).

    Jupyter starts a notebook's kernel in the notebook's folder, papermill in the
    caller's: the bundled default ``data/examples/...`` must work from both.
    """
    p = Path(path).expanduser()
    if p.is_absolute() or p.exists():
        return p
    rooted = PROJECT_ROOT / p
    return rooted if rooted.exists() else p


def _load_checked(path: str | Path) -> tuple[Assessment, Framework]:
    checked = load_checked(resolve_input(path))
    return checked.assessment, checked.framework


def build_report(assessment_path: str | Path, previous_path: str | Path = "", title: str = "") -> Report:
    """Load, check and score an assessment (and its earlier round, when given)."""
    assessment, framework = _load_checked(assessment_path)
    previous = previous_card = None
    if str(previous_path).strip():
        previous, previous_framework = _load_checked(previous_path)
        if previous_framework.id != framework.id:
            raise WorkbookError(check_assessment(previous, framework, display_name(resolve_input(previous_path)))[:1])
        previous_card = score_assessment(framework, previous)
    return Report(
        assessment=assessment,
        framework=framework,
        card=score_assessment(framework, assessment),
        source=Path(str(assessment_path)).name,
        title=title,
        previous=previous,
        previous_card=previous_card,
    )


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _wrap(body: str) -> str:
    return f'<div class="mwr">{body}</div>'


def report_title(report: Report) -> str:
    a = report.assessment
    return report.title or f"MLOps maturity report — {a.team or a.organisation or 'unnamed team'}"


# --------------------------------------------------------------------------- header


def header_html(report: Report) -> str:
    """Title, who and what was assessed, and the overall result in words."""
    a, fw, card = report.assessment, report.framework, report.card
    facts = [
        ("Organisation", a.organisation or "—"),
        ("Team", a.team or "—"),
        ("Respondent", a.respondent or "—"),
        ("Kind", a.kind),
        ("Framework", f"{fw.name} (bank {fw.version})"),
        ("Round", str(a.round)),
        ("Date", a.updated.date().isoformat()),
        ("File", report.source),
    ]
    rows = "".join(f"<dt>{_text(k)}</dt><dd>{_text(v)}</dd>" for k, v in facts)
    change = ""
    if report.previous is not None and report.previous_card is not None:
        prev = report.previous_card.overall
        now = card.overall
        if prev and now:
            change = (
                f"<p>Previous round ({_text(report.previous.round)}, {report.previous.updated.date().isoformat()}): "
                f"{_text(level_label(fw, prev.rank))}, average of dimension scores {prev.score:.2f}; "
                f"change {now.score - prev.score:+.2f}.</p>"
            )
    level = away = ""
    if card.overall:
        o = card.overall
        level = (
            f"<b>Overall level (weakest dimension): {_text(level_label(fw, o.rank))} · average of dimension scores "
            f"{o.score:.2f} of {card.top_rank}</b> {_provisional(o.provisional)}<br>"
        )
        if o.one_away:
            away = f'<div class="mwr-away"><b>{_text(one_away_words(fw, o.one_away, overall=True))}</b></div>'
    return STYLE + _wrap(
        f"<h1>{_text(report_title(report))}</h1>"
        f'<p class="mwr-sub">Self-assessment against the {_text(fw.name)}</p>'
        f"<dl>{rows}</dl>"
        f'<div class="mwr-overall">{level}{_text(overall_words(fw, card))}{change}</div>{away}'
    )


def _provisional(provisional: bool) -> str:
    return '<span class="mwr-provisional">provisional</span>' if provisional else ""


# --------------------------------------------------------------------------- charts

_ID = re.compile(r'\bid="([^"]+)"')


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix every id in an SVG so two charts on one page don't share clip paths."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(re.escape(i) for i in sorted(ids)) + r')(["\)])')
    return pattern.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}{m.group(3)}", svg)


def radar_svg(report: Report) -> str:
    """The radar of scores per dimension, with the target and the previous round when given.

    An inline ``<svg>`` string, to display as HTML: nbconvert would turn an SVG output
    into a base64 ``<img>`` (or strip it when told not to encode it), and inline SVG
    keeps the chart's text searchable in the saved page, offline.
    """
    from mlops_workbook.charts.figures import radar_chart, to_svg

    chart = radar_chart(report.framework, report.card, target=True, previous=report.previous_card)
    return _unique_ids(to_svg(chart), "radar")


def level_svg(report: Report) -> str:
    """Progress through each level's questions, per dimension."""
    from mlops_workbook.charts.figures import level_chart, to_svg

    return _unique_ids(to_svg(level_chart(report.framework, report.card)), "levels")


# --------------------------------------------------------------------------- sections


def dimensions_html(report: Report) -> str:
    """Per dimension: level, score, target, previous score and why this level."""
    fw, card = report.framework, report.card
    prev = report.previous_card
    head = "<th>Dimension</th><th>Level</th><th>Score</th><th>Answered</th><th>Target</th>"
    head += "<th>Previous</th>" if prev else ""
    rows = []
    for d in card.dimensions:
        level = (
            f"{_text(level_label(fw, d.rank))} {_provisional(d.provisional)}"
            if d.assessed and d.rank is not None
            else '<span class="mwr-muted">not assessed</span>'
        )
        score = f"{d.score:.2f}" if d.score is not None else "—"
        target = _text(level_label(fw, d.target_rank)) if d.target_rank is not None else "—"
        cells = (
            f"<td>{_text(d.name)}</td><td>{level}</td><td class='mwr-num'>{score}</td>"
            f"<td>{_text(completeness_words(d.completeness))}</td><td>{target}</td>"
        )
        if prev:
            before = prev.dimension(d.id).score
            cells += f"<td class='mwr-num'>{'—' if before is None else f'{before:.2f}'}</td>"
        rows.append(f"<tr>{cells}<td>{_text(explain_dimension(fw, d))}</td></tr>")
    return _wrap(f"<table><tr>{head}<th>Why this level</th></tr>{''.join(rows)}</table>")


def gap_html(report: Report) -> str:
    """The gap to target as an ordered action list; without targets, what blocks the next level."""
    fw, card = report.framework, report.card
    if card.gap:
        intro = (
            f"<p>{len(card.gap)} practice{'s' if len(card.gap) != 1 else ''} stand between the current and the "
            "target levels. Work through them in this order: lower levels first, heavier questions first.</p>"
        )
        items = [(g.question, g.dimension_name, level_label(fw, g.result.rank), g.result.value) for g in card.gap]
    else:
        targets = [d for d in card.dimensions if d.target_id]
        unknown = [d.name for d in targets if not d.target_reached]
        intro = (
            "<p>No target levels are set in this assessment. The next steps below are the practices that "
            "block each dimension's next level.</p>"
            if not targets
            else f"<p>Not assessed yet, so the gap is unknown: {_text(', '.join(unknown))}.</p>"
            if unknown
            else "<p>Every dimension has reached its target level.</p>"
        )
        items = [(b.question, d.name, level_label(fw, b.rank), b.value) for d in card.dimensions for b in d.blockers]
    if not items:
        return _wrap(intro)
    lis = "".join(
        f'<li><span class="mwr-tag">{_text(level)}</span><span class="mwr-tag">{_text(dim)}</span>'
        f"{_text(q.text)} <span class='mwr-muted'>(now: {_text(describe_answer(fw, value))}; {_text(q.id)})</span>"
        f"<br><b>Next step:</b> {_text(q.next_step)}</li>"
        for q, dim, level, value in items
    )
    return _wrap(f'{intro}<ol class="mwr-gap">{lis}</ol>')


def evidence_html(report: Report) -> str:
    """Every note the respondent left, with the question and the answer it explains."""
    fw, a = report.framework, report.assessment
    rows = []
    for d in fw.dimensions:
        for q in fw.questions_for(d.id):
            answer = a.answers.get(q.id)
            if answer and answer.note.strip():
                rows.append(
                    f"<tr><td>{_text(d.name)}</td><td>{_text(q.text)}<br><span class='mwr-muted'>{_text(q.id)}"
                    f"</span></td><td>{_text(describe_answer(fw, answer.value))}</td>"
                    f"<td class='mwr-note'>{_text(answer.note)}</td></tr>"
                )
    if not rows:
        return _wrap("<p class='mwr-muted'>No evidence notes were recorded.</p>")
    return _wrap(
        f"<table><tr><th>Dimension</th><th>Question</th><th>Answer</th><th>Note</th></tr>{''.join(rows)}</table>"
    )


def na_unknown_html(report: Report) -> str:
    """Questions answered 'not applicable' (with the reason) or 'don't know', and unanswered ones."""
    fw, card, a = report.framework, report.card, report.assessment
    parts = []
    for status, heading, empty in (
        ("na", "Not applicable", "No question was marked not applicable."),
        ("unknown", "Don't know", "No question was answered 'don't know'."),
        ("unanswered", "Not answered", ""),
    ):
        results = card.with_status(status)
        if not results:
            if empty:
                parts.append(f"<p><b>{heading}:</b> <span class='mwr-muted'>{empty}</span></p>")
            continue
        rows = []
        for r in results:
            answer = a.answers.get(r.id)
            reason = answer.na_reason.strip() if answer and status == "na" else ""
            shown = _text(reason or "—")
            if status == "na" and not reason:
                shown = f"<span class='mwr-flag'>⚠ {NO_REASON}</span>"
            rows.append(
                f"<tr><td>{_text(fw.dimension(r.question.dimension).name)}</td><td>{_text(r.question.text)}"
                f"<br><span class='mwr-muted'>{_text(r.id)}</span></td><td>{shown}</td></tr>"
            )
        reason_head = "Reason" if status == "na" else "—"
        parts.append(
            f"<p><b>{heading}</b> ({len(results)}):</p><table><tr><th>Dimension</th><th>Question</th>"
            f"<th>{reason_head}</th></tr>{''.join(rows)}</table>"
        )
    if card.unknown_question_ids:
        ids = ", ".join(_text(i) for i in card.unknown_question_ids)
        parts.append(f"<p><b>Kept but not scored</b> (not questions of this bank version): {ids}</p>")
    return _wrap("".join(parts))


def defend_html(report: Report) -> str:
    """'Defend this score' for every dimension: the rule, the deciding questions, answers, notes, sources."""
    fw, card, a = report.framework, report.card, report.assessment
    parts = [defence_html(defend_dimension(fw, a, card, d.id), style=False) for d in card.dimensions]
    return DEFEND_STYLE + _wrap("<hr>".join(parts))


def levels_html(framework: Framework) -> str:
    """What each level of the model means, lowest first, with the sources it comes from."""
    top = framework.top.rank
    rows = "".join(
        f"<tr><td class='mwr-num'>{lv.rank} of {top}</td><td><b>{_text(lv.name)}</b></td>"
        f"<td>{_text(lv.summary)}</td></tr>"
        for lv in framework.levels_by_rank
    )
    sources = []
    for s in framework.sources:
        item = (
            _text(s.title)
            + (f" — {_text(s.publisher)}" if s.publisher else "")
            + (f" ({_text(s.date)})" if s.date else "")
        )
        if s.url:
            item += f'<br><span class="mwr-muted">{_text(s.url)}</span>'
        sources.append(f"<li>{item}</li>")
    return _wrap(
        f"<p>{_text(framework.about)}</p>"
        f"<table><tr><th>Level</th><th>Name</th><th>What it means</th></tr>{rows}</table>"
        f"<p class='mwr-muted'>{_text(rule_sentence(framework))} The overall level is the weakest dimension's; "
        "levels are counted from the baseline, level 0, to the top.</p>"
        f"<p><b>Sources</b></p><ul>{''.join(sources)}</ul>"
    )


# --------------------------------------------------------------------------- standalone page


def page_html(report: Report) -> str:
    """The whole report as one standalone HTML page (the app's download; opens offline).

    The same sections as ``notebooks/report.ipynb``, without a kernel or nbconvert.
    """
    sections = [
        header_html(report),
        _wrap("<h2>Maturity at a glance</h2>") + _wrap(radar_svg(report) + level_svg(report)),
        _wrap("<h2>Dimensions: level, score and why</h2>") + dimensions_html(report),
        _wrap("<h2>Next steps</h2>") + gap_html(report),
        _wrap("<h2>Defend this score</h2>") + defend_html(report),
        _wrap("<h2>Evidence notes</h2>") + evidence_html(report),
        _wrap("<h2>Not applicable, don't know and unanswered</h2>") + na_unknown_html(report),
        _wrap("<h2>Appendix: what the levels mean</h2>") + levels_html(report.framework),
    ]
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{_text(report_title(report))}"
        f"</title></head><body style='margin: 24px auto; max-width: 1000px'>{''.join(sections)}</body></html>"
    )
