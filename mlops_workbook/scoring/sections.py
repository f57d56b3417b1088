"""What the data-declared rules share: per-question results of one section, and the card around them.

A question is **met** when its answer is at least the bank's ``met_threshold``; its
**points** are its answer's points on the bank's scale (``na`` is left out, ``unknown``
and blank are worth 0). Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.scoring.outcome import RuleOutcome, SectionResult
from mlops_workbook.scoring.scorecard import (
    Completeness,
    DimensionScore,
    LevelProgress,
    Overall,
    QuestionResult,
    ScoreCard,
    Status,
)

Values = Mapping[str, int | str | None]


def question_results(framework: Framework, dimension_id: str, values: Values) -> tuple[QuestionResult, ...]:
    """Each question of a section, in bank order: status and credit (its share of the scale's top points)."""
    scale = framework.scale
    ranks = {level.id: level.rank for level in framework.levels}
    results = []
    for question in (q for q in framework.questions if q.dimension == dimension_id):
        value = values.get(question.id)
        status: Status
        if value in ("na", "unknown"):
            status = "na" if value == "na" else "unknown"
        elif value is None:
            status = "unanswered"
        else:
            status = "met" if isinstance(value, int) and value >= framework.met_threshold else "not_met"
        credit = scale.points(value) / scale.max_points if scale.max_points else 0.0
        results.append(QuestionResult(question, ranks[question.level], value, status, credit))
    return tuple(results)


def points_of(framework: Framework, results: tuple[QuestionResult, ...]) -> float:
    return sum(framework.scale.points(r.value) for r in results if r.applicable)


def level_progress(framework: Framework, results: tuple[QuestionResult, ...]) -> tuple[LevelProgress, ...]:
    return tuple(
        LevelProgress(
            level_id=lv.id,
            level_name=lv.name,
            rank=lv.rank,
            questions=sum(r.rank == lv.rank for r in results),
            applicable=sum(r.rank == lv.rank and r.applicable for r in results),
            met=sum(r.rank == lv.rank and r.status == "met" for r in results),
        )
        for lv in framework.levels_by_rank
    )


def section_result(framework: Framework, dimension_id: str, results: tuple[QuestionResult, ...]) -> SectionResult:
    completeness = Completeness.of(results)
    return SectionResult(
        id=dimension_id,
        name=framework.dimension(dimension_id).name,
        points=points_of(framework, results),
        max_points=framework.scale.max_points * completeness.applicable,
        answered=completeness.answered,
        applicable=completeness.applicable,
    )


def dimension_score(
    framework: Framework,
    results: tuple[QuestionResult, ...],
    *,
    dimension_id: str,
    rank: int,
    score: float,
    blockers: tuple[QuestionResult, ...],
) -> DimensionScore:
    completeness = Completeness.of(results)
    assessed = any(r.status not in ("na", "unanswered") for r in results)
    level = framework.level_at(rank)
    return DimensionScore(
        id=dimension_id,
        name=framework.dimension(dimension_id).name,
        assessed=assessed,
        rank=rank if assessed else None,
        level_id=level.id if assessed else None,
        level_name=level.name if assessed else None,
        score=score if assessed else None,
        target_rank=None,
        target_id=None,
        blockers=blockers if assessed else (),
        levels=level_progress(framework, results),
        questions=results,
        completeness=completeness,
        provisional=assessed and completeness.share < framework.provisional_below,
    )


def card(
    framework: Framework,
    assessment: Assessment,
    dimensions: tuple[DimensionScore, ...],
    outcome: RuleOutcome | None,
    *,
    score: float,
    weakest: tuple[str, ...],
    score_max: float | None = None,
) -> ScoreCard:
    """The score card of a data-declared rule; no overall result while nothing is answered."""
    completeness = Completeness.of([r for d in dimensions for r in d.questions])
    overall = None
    if outcome is not None:
        overall = Overall(
            level_id=outcome.level_id,
            level_name=outcome.name,
            rank=framework.level(outcome.level_id).rank,
            score=score,
            completeness=completeness,
            provisional=completeness.share < framework.provisional_below or any(d.provisional for d in dimensions),
            weakest=weakest,
        )
    values = assessment.answers
    return ScoreCard.of(framework, dimensions, overall, values, outcome=outcome, score_max=score_max)


Spec = TypeVar("Spec")


def rule_inputs(framework: Framework, assessment: Assessment, kind: type[Spec]) -> tuple[Spec, dict[str, Any]]:
    """The bank's scoring block (checked to be a ``kind``) and the assessment's answers by question id."""
    spec = framework.scoring
    if not isinstance(spec, kind):
        raise TypeError(f"{framework.id} is scored by {framework.scoring.rule}, not {kind.__name__}")
    return spec, {qid: answer.value for qid, answer in assessment.answers.items()}
