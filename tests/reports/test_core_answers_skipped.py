"""Folder readers leave the core answers (``<folder>/core/``, written by app/core_session.py) alone.

Core answer files are not assessments: listing them as refused files would be a false alarm.
"""

from __future__ import annotations

import json
from pathlib import Path

from mlops_workbook.app.core_session import CORE_FOLDER
from mlops_workbook.model.assessment import load_assessment, save_assessment
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.reports.jobs import plan
from mlops_workbook.reports.organisation_files import read_assessments
from mlops_workbook.workshop.responses import load_responses
from tests.reports.common import EXAMPLES


def _folder_with_core_answers(tmp_path: Path) -> Path:
    save_assessment(load_assessment(EXAMPLES[0]), tmp_path / "team.json")
    core = tmp_path / CORE_FOLDER
    core.mkdir()
    answers = {"questionnaire": "core", "team": "Team", "respondent": "ann", "answers": {}}
    (core / "team--ann.json").write_text(json.dumps(answers), encoding="utf-8")
    return tmp_path


def test_report_batch_does_not_refuse_core_answers(tmp_path: Path):
    jobs, refused = plan([_folder_with_core_answers(tmp_path)], tmp_path / "out")
    assert len(jobs) == 1 and refused == []


def test_organisation_reader_does_not_list_core_answers_as_problems(tmp_path: Path):
    checked, problems = read_assessments(_folder_with_core_answers(tmp_path))
    assert len(checked) == 1 and problems == []


def test_workshop_responses_do_not_list_core_answers_as_problems(tmp_path: Path):
    framework = load_framework(load_assessment(EXAMPLES[0]).framework)
    assessments, problems = load_responses(_folder_with_core_answers(tmp_path), framework)
    assert len(assessments) == 1 and problems == []
