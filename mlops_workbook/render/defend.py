"""'Defend this score': the evidence behind one dimension's level, for a facilitator to show.

For a dimension: the rule in one sentence, and the questions that decided its level —
the met questions of the levels it reached, the questions set aside as N/A (with their
reason), and the blockers of the next level with statements — each with its answer, the
respondent's evidence note and the source criterion it comes from.
:func:`defend_dimension` is pure; :func:`defence_html` renders it, escaping every
piece of user and bank text.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Literal

from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.scoring.explanations import NO_REASON, describe_answer, explain_dimension, rule_sentence
from mlops_workbook.scoring.scorecard import ScoreCard, level_label

Role = Literal["met", "na", "blocker"]


@dataclass(frozen=True)
class Deciding:
    """One question that decided a dimension's level, with what supports the answer."""

    role: Role
    question_id: str
    text: str
    level: str  # "Name (level n of N)"
    answer: str
    note: str
    na_reason: str
    source_title: str
    source_url: str
    criterion: str


@dataclass(frozen=True)
class Defence:
    dimension_id: str
    dimension_name: str
    level: str | None  # None: not assessed
    score: float | None
    rule: str
    why: str
    rows: tuple[Deciding, ...]


def defend_dimension(framework: Framework, assessment: Assessment, card: ScoreCard, dimension_id: str) -> Defence:
    """The questions that decided one dimension's level, in level order (pure)."""
    d = card.dimension(dimension_id)
    sources = {s.id: s for s in framework.sources}
    rows = []
    if d.assessed and d.rank is not None:
        next_rank = d.blockers[0].rank if d.blockers else d.rank
        blockers = {b.id for b in d.blockers}
        for r in d.questions:
            role: Role | None = None
            if r.id in blockers:
                role = "blocker"
            elif r.status == "met" and r.rank <= d.rank:
                role = "met"
            elif r.status == "na" and r.rank <= next_rank:
                role = "na"
            if role is None:
                continue
            answer = assessment.answers.get(r.id)
            source = sources.get(r.question.source.ref)
            rows.append(
                Deciding(
                    role=role,
                    question_id=r.id,
                    text=r.question.text,
                    level=level_label(framework, r.rank),
                    answer=describe_answer(framework, r.value),
                    note=answer.note if answer else "",
                    na_reason=answer.na_reason if answer else "",
                    source_title=source.title if source else r.question.source.ref,
                    source_url=source.url if source else "",
                    criterion=r.question.source.criterion,
                )
            )
    return Defence(
        dimension_id=d.id,
        dimension_name=d.name,
        level=level_label(framework, d.rank) if d.rank is not None else None,
        score=d.score,
        rule=rule_sentence(framework),
        why=explain_dimension(framework, d),
        rows=tuple(rows),
    )


def _role_html(row: Deciding) -> str:
    if row.role == "met":
        return "<span class='mw-role mw-role-met'>met</span>"
    if row.role == "blocker":
        return "<span class='mw-role mw-role-blocker'>blocks the next level</span>"
    reason = (
        f"<br><i>Reason:</i> {escape(row.na_reason)}"
        if row.na_reason.strip()
        else f"<br><span class='mw-flag'>⚠ {NO_REASON}</span>"
    )
    return f"<span class='mw-role mw-role-na'>set aside: N/A</span>{reason}"


def _source_html(row: Deciding) -> str:
    title = escape(row.source_title)
    if row.source_url.startswith(("https://", "http://")):
        title = f"<a href='{escape(row.source_url, quote=True)}' target='_blank' rel='noopener'>{title}</a>"
    return f"{title}<br><span class='mw-muted'>{escape(row.criterion)}</span>"


def defence_html(defence: Defence) -> str:
    """The defence as an HTML fragment (a table of deciding questions under the rule), styled by
    the ``.mw-defend`` rules of the one stylesheet (:mod:`mlops_workbook.render.style`)."""
    head = f"<p><b>{escape(defence.dimension_name)}: {escape(defence.level or 'not assessed')}</b>"
    head += f" · score {defence.score:.2f}</p>" if defence.score is not None else "</p>"
    body = f"<p><i>Rule:</i> {escape(defence.rule)}</p><p>{escape(defence.why)}</p>"
    if defence.rows:
        rows = "".join(
            f"<tr><td>{_role_html(r)}</td><td>{escape(r.level)}</td>"
            f"<td>{escape(r.text)}<br><code class='mw-muted'>{escape(r.question_id)}</code></td>"
            f"<td>{escape(r.answer)}</td>"
            f"<td class='mw-note'>{escape(r.note) or '<span class=mw-muted>no note</span>'}</td>"
            f"<td>{_source_html(r)}</td></tr>"
            for r in defence.rows
        )
        body += (
            "<table><tr><th>Decides as</th><th>Level</th><th>Question</th><th>Answer</th><th>Evidence note</th>"
            f"<th>Source criterion</th></tr>{rows}</table>"
        )
    return f"<div class='mw-defend'>{head}{body}</div>"
