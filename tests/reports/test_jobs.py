"""Planning a batch, before any kernel starts: report names, and files refused with the reason."""

from __future__ import annotations

import json
from pathlib import Path

from mlops_workbook.model.assessment import load_assessment, save_assessment, slug
from mlops_workbook.reports.jobs import plan
from tests.reports.common import EXAMPLES


def test_same_team_and_framework_are_told_apart_by_respondent(tmp_path: Path):
    for name, respondent in (("a.json", "Ann"), ("b.json", "Bob")):
        a = load_assessment(EXAMPLES[0])
        a.respondent = respondent
        save_assessment(a, tmp_path / name)
    jobs, refused = plan([tmp_path], tmp_path / "out")
    assert not refused
    assert sorted(j.output.name for j in jobs) == sorted(
        f"{slug(load_assessment(EXAMPLES[0]).team)}--aws--{r}.html" for r in ("ann", "bob")
    )


def test_invalid_answers_are_refused_before_a_kernel_starts(tmp_path: Path):
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["targets"] = {"no_such_dimension": "initial"}
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    jobs, refused = plan([tmp_path], tmp_path / "out")
    assert not jobs and "targets.no_such_dimension" in refused[0].error
