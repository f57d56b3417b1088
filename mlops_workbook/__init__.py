"""mlops-workbook: assess MLOps maturity against the AWS, Google Cloud and Azure models."""

from __future__ import annotations

import sys

# jsonschema (imported by altair) loads the optional ``rfc3987_syntax`` when installed;
# that module builds a parser grammar at import, ~1.1 s of every kernel start here, for
# a check of the "iri" string format that neither altair nor this package uses. Keep it
# out unless something imported it already.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from mlops_workbook.model.assessment import (
    assessment_path,
    check_assessment,
    load_assessment,
    new_assessment,
    save_assessment,
    set_answer,
    start_new_round,
)
from mlops_workbook.model.errors import Problem, WorkbookError
from mlops_workbook.model.frameworks import check_framework, list_frameworks, load_framework
from mlops_workbook.model.schema import Answer, Assessment, Framework
from mlops_workbook.scoring.rules import ScoreCard, explain_dimension, score_assessment

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
