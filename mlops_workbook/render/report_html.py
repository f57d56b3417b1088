"""The report of one assessment: its sections, in order, as HTML with inline SVG charts.

:data:`SECTIONS` is the one list of the report's parts: ``notebooks/report.ipynb`` (the batch
report) displays each in turn, and :func:`page_html` (the app's download) joins them into one
page, so both show the same report; the fragments a section shares with the app come from
:mod:`mlops_workbook.render.views`. Every piece of user text (names, notes, reasons) and of
bank text is escaped: a note containing ``<script>`` shows as text.

>>> "&lt;script&gt;" in _text("<script>alert(1)</script>")
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from mlops_workbook.model.assessment import check_assessment
from mlops_workbook.model.checked import load_checked
from mlops_workbook.model.errors import WorkbookError, display_name
from mlops_workbook.model.paths import PROJECT_ROOT
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.render.defend import defence_html, defend_dimension
from mlops_workbook.render.outcome import outcome_html
from mlops_workbook.render.style import STYLE
from mlops_workbook.render.views import dimensions_html, gap_html, provisional_badge, table_details, unique_ids
from mlops_workbook.scoring.explanations import NO_REASON, describe_answer, one_away_words, overall_words, rule_sentence
from mlops_workbook.scoring.rules import score_assessment
from mlops_workbook.scoring.scorecard import ScoreCard, Status, level_label


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
    #: Every round of this assessment, oldest first, this one last (empty or one: no trend is shown).
    rounds: tuple[Assessment, ...] = ()


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
    rounds: tuple[Assessment, ...] = ()
    if assessment.round > 1:  # the rounds archived beside the file, for the trend
        from mlops_workbook.charts.trend import load_rounds

        rounds = (*load_rounds(resolve_input(assessment_path))[:-1], assessment)
    return Report(
        assessment=assessment,
        framework=framework,
        card=score_assessment(framework, assessment),
        source=Path(str(assessment_path)).name,
        title=title,
        previous=previous,
        previous_card=previous_card,
        rounds=rounds,
    )


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _wrap(body: str) -> str:
    return f'<div class="mwr">{body}</div>'


def report_title(assessment: Assessment, title: str = "") -> str:
    """The title given, or the report's default title naming the team.

    >>> report_title(Assessment(framework="aws", team="Payments"))
    'MLOps maturity report — Payments'
    """
    return title or f"MLOps maturity report — {assessment.team or assessment.organisation or 'unnamed team'}"


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
    if card.outcome is not None:  # a rule declared as data shows its own result
        level = outcome_html(card)
    elif card.overall:
        o = card.overall
        level = (
            f"<b>Overall level (weakest dimension): {_text(level_label(fw, o.rank))} · average of dimension scores "
            f"{o.score:.2f} of {card.top_rank}</b> {provisional_badge(o.provisional)}<br>"
        )
        if o.one_away:
            away = f'<div class="mwr-away"><b>{_text(one_away_words(fw, o.one_away, overall=True))}</b></div>'
    return (
        f"<h1>{_text(report_title(a, report.title))}</h1>"
        f'<p class="mwr-sub">Self-assessment against the {_text(fw.name)}</p>'
        f"<dl>{rows}</dl>"
        f'<div class="mwr-overall">{level}{_text(overall_words(fw, card))}{change}</div>{away}'
    )


# --------------------------------------------------------------------------- charts


def radar_svg(report: Report) -> str:
    """The radar of scores per dimension, with the target and the previous round when given.

    An inline ``<svg>`` string, to display as HTML: nbconvert would turn an SVG output
    into a base64 ``<img>`` (or strip it when told not to encode it), and inline SVG
    keeps the chart's text searchable in the saved page, offline.
    """
    from mlops_workbook.charts import radar_chart, to_svg

    chart = radar_chart(report.framework, report.card, target=True, previous=report.previous_card)
    return unique_ids(to_svg(chart), "radar")


def trend_html(report: Report) -> str:
    """Progress over rounds (dimension scores and the overall level per round, dated) and its table;
    empty with fewer than two rounds: one round is no trend."""
    if len(report.rounds) < 2:
        return ""
    from mlops_workbook.charts import to_svg
    from mlops_workbook.charts.trend import trend_chart, trend_frame, trend_table

    frame = trend_frame(report.framework, report.rounds)
    chart = trend_chart(report.framework, frame)
    if chart is None:
        return ""
    return "<div class='mw-trend'>" + unique_ids(to_svg(chart), "trend") + table_details(trend_table(frame)) + "</div>"


def level_svg(report: Report) -> str:
    """Progress through each level's questions, per dimension."""
    from mlops_workbook.charts import level_chart, to_svg

    return unique_ids(to_svg(level_chart(report.framework, report.card)), "levels")


# --------------------------------------------------------------------------- sections


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
        return "<p class='mwr-muted'>No evidence notes were recorded.</p>"
    return f"<table><tr><th>Dimension</th><th>Question</th><th>Answer</th><th>Note</th></tr>{''.join(rows)}</table>"


def na_unknown_html(report: Report) -> str:
    """Questions answered 'not applicable' (with the reason) or 'don't know', and unanswered ones."""
    fw, card, a = report.framework, report.card, report.assessment
    parts = []
    kinds: tuple[tuple[Status, str, str], ...] = (
        ("na", "Not applicable", "No question was marked not applicable."),
        ("unknown", "Don't know", "No question was answered 'don't know'."),
        ("unanswered", "Not answered", ""),
    )
    for status, heading, empty in kinds:
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
    return "".join(parts)


def defend_html(report: Report) -> str:
    """'Defend this score' for every dimension: the rule, the deciding questions, answers, notes, sources."""
    fw, card, a = report.framework, report.card, report.assessment
    return "<hr>".join(defence_html(defend_dimension(fw, a, card, d.id)) for d in card.dimensions)


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
    return (
        f"<p>{_text(framework.about)}</p>"
        f"<table><tr><th>Level</th><th>Name</th><th>What it means</th></tr>{rows}</table>"
        f"<p class='mwr-muted'>{_text(rule_sentence(framework))} The overall level is the weakest dimension's; "
        "levels are counted from the baseline, level 0, to the top.</p>"
        f"<p><b>Sources</b></p><ul>{''.join(sources)}</ul>"
    )


# --------------------------------------------------------------------------- the sections, in order


@dataclass(frozen=True)
class Section:
    """One part of the report: its heading (none for the header), how to read it, and its body."""

    heading: str
    intro: str  # HTML written here, not user text
    body: Callable[[Report], str]

    optional: bool = False  # left out, heading and all, when its body is empty

    def html(self, report: Report) -> str:
        """The section as one HTML fragment in the report's frame (``.mwr``)."""
        body = self.body(report)
        if self.optional and not body:
            return ""
        head = f"<h2>{_text(self.heading)}</h2>" if self.heading else ""
        intro = f"<p>{self.intro}</p>" if self.intro else ""
        return _wrap(head + intro + body)


def _header(report: Report) -> str:
    return STYLE + header_html(report)  # the first section brings the one stylesheet


#: The report's parts, in order: the notebook displays each, :func:`page_html` joins them.
SECTIONS: tuple[Section, ...] = (
    Section("", "", _header),
    Section(
        "Maturity at a glance",
        "The radar shows each dimension's score (the level reached plus progress on the next level), with the "
        "target and the previous round when there is one. The bars show how many of each level's practices are "
        "in place.",
        lambda r: radar_svg(r) + level_svg(r),
    ),
    Section(
        "Progress over rounds",
        "Each round's dimension scores (lines) and overall level (thick steps), dated by the round's last answer. "
        "Shown from the second round on.",
        trend_html,
        optional=True,
    ),
    Section(
        "Dimensions: level, score and why",
        "Each level is named with its place in the model (the baseline is level 0). <i>Answered</i> counts the "
        "applicable questions with a 0–4 answer; a level resting on fewer than the bank's threshold of them is "
        "marked <i>provisional</i>.",
        lambda r: dimensions_html(r.framework, r.card, r.previous_card),
    ),
    Section(
        "Next steps: the gap to the target", "", lambda r: gap_html(r.framework, r.card, blockers_without_gap=True)
    ),
    Section(
        "Defend this score",
        "For each dimension: the rule in one sentence, then the questions that decided its level — the practices "
        "met at the levels it reached, those set aside as not applicable (with the reason), and those that block "
        "the next level — with each answer, its evidence note and the source criterion it comes from.",
        defend_html,
    ),
    Section("Evidence notes", "", evidence_html),
    Section("Not applicable, don't know and unanswered", "", na_unknown_html),
    Section("Appendix: what the levels mean", "", lambda r: levels_html(r.framework)),
)


def page_html(report: Report) -> str:
    """The whole report as one standalone HTML page (the app's download; opens offline):
    the :data:`SECTIONS` of ``notebooks/report.ipynb``, without a kernel or nbconvert."""
    title = _text(report_title(report.assessment, report.title))
    body = "".join(section.html(report) for section in SECTIONS)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body style='margin: 24px auto; max-width: 1000px'>{body}</body></html>"
    )
