"""The consensus editor of the facilitator page: one row per discussed question.

A saved consensus is an ordinary assessment with ``kind="consensus"``; its answers
either record a decision (value and rationale) or were copied from the team's median
answers (``provenance="team_median"``, see :mod:`mlops_workbook.workshop.consensus`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from html import escape
from typing import Any

import ipywidgets as w
import pandas as pd

from mlops_workbook.app.controls import ANSWER_OPTIONS
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.workshop.consensus import Decision, decided, rationale


class ConsensusRow:
    """One discussed question in the consensus editor: the agreed value and why."""

    def __init__(self, framework: Framework, row: Mapping[Hashable, Any], value: Any, rationale: str):
        q = framework.question(row["question"])
        counts = " ".join(f"{v}:{row[f'count_{v}']}" for v in range(framework.scale.top + 1) if row[f"count_{v}"])
        extra = "".join(f" {word} {row[key]}" for word, key in (("?:", "unknown"), ("N/A:", "na")) if row[key])
        self.question = q
        self.buttons = w.ToggleButtons(
            options=ANSWER_OPTIONS,
            value=value if value in dict(ANSWER_OPTIONS).values() else None,
            tooltips=[framework.scale.label(v) for _, v in ANSWER_OPTIONS],
            style={"button_width": "44px"},
            description=f"Agreed answer: {q.text}",  # for screen readers (the label is visually hidden)
        )
        self.rationale = w.Text(
            value=rationale,
            placeholder="Why the team agreed on this",
            description=f"Why the team agreed: {q.text}",
            layout=w.Layout(width="95%"),
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


def decisions(rows: dict[str, ConsensusRow]) -> dict[str, Decision]:
    """What the editor shows: ``{question id: (value, rationale)}``."""
    return {qid: (row.buttons.value, row.rationale.value) for qid, row in rows.items()}


def editor_rows(
    framework: Framework, rows: pd.DataFrame, shown: dict[str, ConsensusRow], previous: Assessment | None
) -> dict[str, ConsensusRow]:
    """Rows for the questions to discuss, prefilled with (in this order of preference) what the
    editor already shows (unsaved choices survive a refresh), the saved consensus, the median answer."""
    keep = decisions(shown)
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


__all__ = ["ConsensusRow", "decisions", "editor_rows", "intro_html"]
