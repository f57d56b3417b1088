"""The roadmap as an Excel workbook: answers, scores and gap, one sheet each (openpyxl).

openpyxl stores a text starting with ``=`` as a formula, so every text cell first goes
through :func:`~mlops_workbook.model.files.neutralise_cell` (a leading ``'``), as every CSV
the workbook writes does; control characters a worksheet cannot hold are dropped.
"""

from __future__ import annotations

import io
from typing import Any

from mlops_workbook.model.files import neutralise_cell
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.render.roadmap import Roadmap, roadmap_records
from mlops_workbook.scoring.explanations import describe_answer
from mlops_workbook.scoring.scorecard import ScoreCard, level_label

SHEETS = ("answers", "scores", "gap")

ANSWER_HEADER = (
    "question_id",
    "dimension",
    "level",
    "question",
    "value",
    "answer",
    "note",
    "na_reason",
    "derived_from",
)
SCORE_HEADER = (
    "dimension_id",
    "dimension",
    "level",
    "score",
    "answered",
    "applicable",
    "na",
    "provisional",
    "target",
    "target_reached",
)


def answer_rows(framework: Framework, assessment: Assessment) -> list[list[Any]]:
    """One row per question of the bank, in the bank's order per dimension."""
    rows: list[list[Any]] = [list(ANSWER_HEADER)]
    for d in framework.dimensions:
        for q in framework.questions_for(d.id):
            a = assessment.answers.get(q.id)
            value = a.value if a else None
            rows.append(
                [
                    q.id,
                    d.name,
                    framework.level(q.level).name,
                    q.text,
                    value,
                    describe_answer(framework, value),
                    a.note if a else "",
                    a.na_reason if a else "",
                    ", ".join(a.derived_from) if a else "",
                ]
            )
    return rows


def score_rows(framework: Framework, card: ScoreCard) -> list[list[Any]]:
    """One row per dimension and one for the overall level (the weakest dimension)."""
    rows: list[list[Any]] = [list(SCORE_HEADER)]
    for d in card.dimensions:
        c = d.completeness
        rows.append(
            [
                d.id,
                d.name,
                level_label(framework, d.rank) if d.rank is not None else "not assessed",
                None if d.score is None else round(d.score, 3),
                c.answered,
                c.applicable,
                c.na,
                d.provisional,
                level_label(framework, d.target_rank) if d.target_rank is not None else "",
                d.target_reached if d.target_rank is not None else "",
            ]
        )
    if card.overall:
        o, c = card.overall, card.overall.completeness
        rows.append(
            [
                "overall",
                "OVERALL (weakest dimension)",
                level_label(framework, o.rank),
                round(o.score, 3),
                *(c.answered, c.applicable, c.na, o.provisional, "", ""),
            ]
        )
    return rows


def gap_rows(roadmap: Roadmap) -> list[list[Any]]:
    """The roadmap items, the same fields as the JSON export."""
    records = roadmap_records(roadmap)
    header = list(records[0]) if records else ["order", "question_id", "question", "next_step"]
    return [header] + [[record[key] for key in header] for record in records]


def _cell(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return neutralise_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def roadmap_workbook(framework: Framework, assessment: Assessment, card: ScoreCard, roadmap: Roadmap) -> bytes:
    """The ``.xlsx`` file's bytes: sheets ``answers``, ``scores`` and ``gap``, header rows bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    tables = (answer_rows(framework, assessment), score_rows(framework, card), gap_rows(roadmap))
    for title, rows in zip(SHEETS, tables, strict=True):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(rows[0], start=1):
            longest = max(len(str(row[index - 1] or "")) for row in rows[:50]) if len(rows) > 1 else len(header)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(len(header), longest) + 2, 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
