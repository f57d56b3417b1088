"""mlops-workbook: assess MLOps maturity against the AWS, Google Cloud and Azure models."""

from __future__ import annotations

import sys

# jsonschema (imported by altair) loads the optional ``rfc3987_syntax`` when installed;
# that module builds a parser grammar at import, ~1.1 s of every kernel start here, for
# a check of the "iri" string format that neither altair nor this package uses. Keep it
# out unless something imported it already.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

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
