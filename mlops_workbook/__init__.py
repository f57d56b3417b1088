"""mlops-workbook: assess MLOps maturity against the AWS, Google Cloud and Azure models."""

from __future__ import annotations

from .assessment import (
    assessment_path,
    check_assessment,
    load_assessment,
    new_assessment,
    save_assessment,
    set_answer,
    start_new_round,
)
from .errors import Problem, WorkbookError
from .frameworks import check_framework, list_frameworks, load_framework
from .schema import Answer, Assessment, Framework
from .scoring import ScoreCard, explain_dimension, score_assessment

__all__ = [
    "Answer",
    "Assessment",
    "Framework",
    "Problem",
    "ScoreCard",
    "WorkbookError",
    "assessment_path",
    "check_assessment",
    "check_framework",
    "explain_dimension",
    "list_frameworks",
    "load_assessment",
    "load_framework",
    "new_assessment",
    "save_assessment",
    "score_assessment",
    "set_answer",
    "start_new_round",
]
