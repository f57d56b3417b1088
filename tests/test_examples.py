"""The worked examples in data/examples/ teach: evidence on every claim, reasons for N/A, a level worth showing."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_workbook import load_framework
from mlops_workbook.model.assessment import check_assessment, load_assessment
from mlops_workbook.model.frameworks import list_frameworks
from mlops_workbook.model.paths import EXAMPLES_DIR
from mlops_workbook.scoring.rules import score_assessment

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))


def test_there_is_one_example_per_bundled_model():
    assert sorted(load_assessment(p).framework for p in EXAMPLES) == [fw.id for fw in list_frameworks()]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_answers_the_current_bank_cleanly(path: Path):
    assessment = load_assessment(path)
    framework = load_framework(assessment.framework)
    assert check_assessment(assessment, framework, path.name) == []
    assert set(assessment.answers) == framework.question_ids


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_strong_answer_has_evidence_and_every_na_a_reason(path: Path):
    assessment = load_assessment(path)
    answers, scale = assessment.answers, load_framework(assessment.framework).scale
    strong = {qid for qid, a in answers.items() if isinstance(a.value, int) and a.value >= min(3, scale.top)}
    assert strong, "an example with no answer of 3 or 4 teaches nothing about evidence"
    assert [qid for qid in strong if len(answers[qid].note.strip()) < 20] == []
    assert [qid for qid, a in answers.items() if a.value == "na" and len(a.na_reason.strip()) < 20] == []
    assert [qid for qid, a in answers.items() if a.value == "unknown" and not a.note.strip()] == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_reaches_a_level_above_the_baseline(path: Path):
    assessment = load_assessment(path)
    framework = load_framework(assessment.framework)
    card = score_assessment(framework, assessment)
    assert card.overall is not None and card.overall.rank > framework.baseline.rank
    # ...and still has somewhere to go, so the gap and blockers have something to show.
    assert (card.gap or card.outcome) and any(d.blockers for d in card.dimensions)
