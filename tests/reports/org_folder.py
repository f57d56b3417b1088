"""A small assessments folder for the organisation's view: units, rounds, a median team, hostile names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from mlops_workbook import load_framework, new_assessment, set_answer
from mlops_workbook.model.assessment import assessment_path, round_path, save_assessment
from tests.reports.common import HOSTILE

HOSTILE_UNIT = "<b>Evil unit</b>"


def make_org_folder(folder: Path) -> Path:
    """AWS files: Payments (2 rounds, unit from units.yaml), Fraud (3 respondents), a hostile team and unit."""
    aws = load_framework("aws")
    ids = [q.id for q in aws.questions]

    def write(team: str, respondent: str, value: int, *, round: int = 1, unit: str = "", month: int = 1) -> None:
        a = new_assessment(aws, team=team, respondent=respondent)
        a.round, a.unit = round, unit
        for qid in ids:
            set_answer(a, qid, value)
        a.updated = datetime(2026, month, 5, tzinfo=UTC)
        path = assessment_path(folder, "aws", team, respondent)
        path.parent.mkdir(parents=True, exist_ok=True)
        save_assessment(a, path if round == 2 or team != "Payments" else round_path(path, 1), touch=False)

    write("Payments", "R01", 1, round=1, month=1)
    write("Payments", "R01", 3, round=2, month=6)
    for i, value in enumerate((0, 2, 4)):
        write("Fraud", f"R0{i}", value, month=3)
    write(HOSTILE, "R01", 1, unit=HOSTILE_UNIT, month=4)
    (folder / "units.yaml").write_text("Retail: [Payments]\nRisk: [fraud]\n", encoding="utf-8")
    return folder
