"""The consensus editor of the facilitator page: one row per discussed question.

A saved consensus is an ordinary assessment with ``kind="consensus"``; its answers
either record a decision (value and rationale) or were copied from the team's median
answers (their note starts ``team median of``, see
:func:`~mlops_workbook.workshop.aggregation.median_assessment`).
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w
import pandas as pd

from mlops_workbook.app.controls import ANSWER_OPTIONS
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.workshop.aggregation import consensus_assessment, median_assessment

_MEDIAN_NOTE = "team median of "


class ConsensusRow:
    """One discussed question in the consensus editor: the agreed value and why."""

    def __init__(self, framework: Framework, row: dict[str, Any], value: Any, rationale: str):
        q = framework.question(row["question"])
        counts = " ".join(f"{v}:{row[f'count_{v}']}" for v in range(framework.scale.top + 1) if row[f"count_{v}"])
        extra = "".join(f" {word} {row[key]}" for word, key in (("?:", "unknown"), ("N/A:", "na")) if row[key])
        self.question = q
        self.buttons = w.ToggleButtons(
            options=ANSWER_OPTIONS,
            value=value if value in dict(ANSWER_OPTIONS).values() else None,
            tooltips=[framework.scale.label(v) for _, v in ANSWER_OPTIONS],
            style={"button_width": "44px"},
        )
        self.rationale = w.Text(
            value=rationale, placeholder="Why the team agreed on this", layout=w.Layout(width="95%")
        )
        self.box = w.VBox(
            [
                w.HTML(
                    f"<div class='mw-card'><span class='mw-disc-rank'>{row['order']}</span><b>{escape(q.text)}</b> "
                    f"<span class='mw-muted'>(answers {escape(counts + extra) or 'none'})</span></div>"
                ),
                self.buttons,
                self.rationale,
            ],
            layout=w.Layout(border_bottom="1px solid #e4e4e4", padding="4px 0 8px 0"),
        )
        self.box.add_class("mw-consensus-row")


def decided(consensus: Assessment | None) -> dict[str, Any]:
    """The questions a saved consensus decided (answers not merely copied from the median)."""
    if consensus is None:
        return {}
    return {qid: a.value for qid, a in consensus.answers.items() if not a.note.startswith(_MEDIAN_NOTE)}


def rationale(consensus: Assessment | None, question_id: str) -> str:
    a = consensus.answers.get(question_id) if consensus else None
    return "" if a is None or a.note.startswith(_MEDIAN_NOTE) else a.note


def editor_rows(
    framework: Framework, rows: pd.DataFrame, shown: dict[str, ConsensusRow], previous: Assessment | None
) -> dict[str, ConsensusRow]:
    """Rows for the questions to discuss, prefilled with (in this order of preference) what the
    editor already shows (unsaved choices survive a refresh), the saved consensus, the median answer."""
    keep = {qid: (r.buttons.value, r.rationale.value) for qid, r in shown.items()}
    agreed = decided(previous)
    out = {}
    for row in rows.to_dict("records"):
        qid = row["question"]
        if qid in keep:
            value, why = keep[qid]
        elif qid in agreed:
            value, why = agreed[qid], rationale(previous, qid)
        else:
            value, why = row["median_answer"], ""
        out[qid] = ConsensusRow(framework, row, value, why)
    return out


def intro_html(team: str, previous: Assessment | None) -> str:
    start = "a saved consensus (loaded below)" if previous else "the team's median answers"
    return (
        f"<div class='mw-card'>Record what <b>{escape(team)}</b> agreed on the questions discussed, starting "
        f"from {start}. Questions not listed keep the median answer. The saved file is an ordinary assessment "
        "(kind consensus): score it, chart it, report it.</div>"
    )


def agreed_assessment(
    framework: Framework,
    answers: pd.DataFrame,
    team: str,
    rows: dict[str, ConsensusRow],
    previous: Assessment | None = None,
) -> Assessment:
    """The editor's decisions, earlier decisions on questions no longer listed, the median elsewhere."""
    decisions: dict[str, Any] = {qid: (v, rationale(previous, qid)) for qid, v in decided(previous).items()}
    decisions |= {qid: (row.buttons.value, row.rationale.value) for qid, row in rows.items()}
    agreed = consensus_assessment(framework, team, decisions, base=median_assessment(framework, answers, team))
    if previous is not None:
        agreed.created = previous.created
    return agreed


__all__ = ["ConsensusRow", "agreed_assessment", "decided", "editor_rows", "intro_html", "rationale"]
