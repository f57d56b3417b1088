"""Scoring: pure functions from a bank and answers to levels, scores, blockers and gaps.

The rules, in plain words (the README explains them for facilitators):

* An answer **meets** a question when it is at or above the bank's ``met_threshold``
  (3, "largely in place", in the bundled banks). ``na`` removes the question from every
  count; ``unknown`` and unanswered questions count as not met and are listed apart.
* A dimension **reaches** a level when every applicable question at that level and at
  every lower level is met (the gated rule). The lowest level is the baseline: every
  organisation starts there. A level where the model states nothing new for a
  dimension has nothing to meet: it is reached as soon as the level below it is.
* Its **score** is the achieved rank plus partial progress on the *next level with
  statements*: the weighted mean, over that level's applicable questions, of
  ``min(answer, threshold) / threshold``. So ``achieved <= score < achieved + 1`` below
  the top, and the top rank at the top. Its **blockers** are that level's unmet
  applicable questions.
* A dimension whose questions are all ``na`` or unanswered is **not assessed**.
* **Overall** level = the lowest achieved level over assessed dimensions (the weakest
  dimension); the second figure is the **average of dimension scores** over them.
* **Completeness** = questions with a 0-4 answer / applicable questions (``na``
  excluded; ``unknown`` and blank count as missing), per dimension and over the whole
  bank. A level is **provisional** while its completeness is below the bank's
  ``provisional_below`` (0.8 by default); the overall level is provisional when the
  whole bank's completeness is, or any assessed dimension is.
* **One question away**: a dimension with a single blocker rises when that one question
  is met; the overall level rises with it when that dimension is the only weakest one.
* The **gap** to a target level lists the unmet questions between the achieved and the
  target level, ordered by level, then weight (heaviest first), then dimension. It is
  empty exactly when an assessed dimension has reached its target.
* **Level numbers** (:func:`level_label`): a level is named with its own name and its rank,
  "level n of N", where the baseline is level 0 and N is the top rank, the highest
  possible score. Google and Microsoft number their levels this way; AWS's unnumbered
  stages follow the same count (Initial = level 0 of 3).
"""

from __future__ import annotations

from collections.abc import Mapping

from mlops_workbook.model.schema import Assessment, Framework, Question
from mlops_workbook.scoring.explanations import describe_answer, explain_dimension
from mlops_workbook.scoring.instruments import score_by_rule
from mlops_workbook.scoring.scorecard import (
    Completeness,
    DimensionScore,
    GapItem,
    LevelProgress,
    OneAway,
    Overall,
    QuestionResult,
    ScoreCard,
    Status,
    level_label,
)
from mlops_workbook.scoring.sections import level_progress

__all__ = [
    "Completeness",
    "DimensionScore",
    "GapItem",
    "LevelProgress",
    "OneAway",
    "Overall",
    "QuestionResult",
    "ScoreCard",
    "Status",
    "describe_answer",
    "explain_dimension",
    "gap_to_target",
    "level_label",
    "score_assessment",
    "score_dimension",
]


def _result(question: Question, rank: int, value: int | str | None, threshold: int) -> QuestionResult:
    if value == "na":
        return QuestionResult(question, rank, value, "na", 0.0)
    if value == "unknown":
        return QuestionResult(question, rank, value, "unknown", 0.0)
    if value is None:
        return QuestionResult(question, rank, value, "unanswered", 0.0)
    assert isinstance(value, int)
    status: Status = "met" if value >= threshold else "not_met"
    return QuestionResult(question, rank, value, status, min(value, threshold) / threshold)


def _weighted_credit(results: list[QuestionResult]) -> float:
    total = sum(r.question.weight for r in results)
    return sum(r.question.weight * r.credit for r in results) / total


def _achieved_rank(levels: tuple[LevelProgress, ...], also_met: int | None = None) -> int:
    """The gated rule: the last level of the unbroken run of passed levels from the baseline.

    A level without statements in this dimension has nothing to meet, so it passes as
    soon as the level below it does. ``also_met``: the rank of one more question counted
    as met (what-if for "one question away").
    """
    achieved = 0
    for progress in levels[1:]:
        met = progress.met + (progress.rank == also_met)
        if met < progress.applicable:
            break
        achieved = progress.rank
    return achieved


def score_dimension(
    framework: Framework, dimension_id: str, values: Mapping[str, int | str | None], target: str | None = None
) -> DimensionScore:
    """Level, score, blockers, completeness and per-level progress of one dimension."""
    threshold = framework.met_threshold
    ranks = {lv.id: lv.rank for lv in framework.levels}
    dimension = framework.dimension(dimension_id)
    results = tuple(
        _result(q, ranks[q.level], values.get(q.id), threshold) for q in framework.questions_for(dimension_id)
    )
    levels = level_progress(framework, results)
    target_rank = ranks.get(target) if target else None
    completeness = Completeness.of(results)
    achieved: int | None = None
    score: float | None = None
    blockers: tuple[QuestionResult, ...] = ()
    one_away = None
    assessed = any(r.status not in ("na", "unanswered") for r in results)
    if assessed:
        achieved = _achieved_rank(levels)
        score = float(achieved)
        if achieved < framework.top.rank:
            # the level above the run failed, so it has statements: the next level with statements
            next_level = [r for r in results if r.rank == achieved + 1 and r.applicable]
            score += _weighted_credit(next_level)
            blockers = tuple(r for r in next_level if r.status != "met")
            if len(blockers) == 1:
                to_rank = _achieved_rank(levels, also_met=achieved + 1)
                one_away = OneAway(blockers[0], dimension.id, dimension.name, achieved, to_rank)
    level = framework.level_at(achieved) if achieved is not None else None
    return DimensionScore(
        id=dimension.id,
        name=dimension.name,
        assessed=assessed,
        rank=achieved,
        level_id=level.id if level else None,
        level_name=level.name if level else None,
        score=score,
        target_rank=target_rank,
        target_id=target if target_rank is not None else None,
        blockers=blockers,
        levels=levels,
        questions=results,
        completeness=completeness,
        provisional=assessed and completeness.share < framework.provisional_below,
        one_away=one_away,
    )


def _overall(framework: Framework, dimensions: tuple[DimensionScore, ...]) -> Overall | None:
    assessed = [d for d in dimensions if d.assessed and d.rank is not None and d.score is not None]
    if not assessed:
        return None
    rank = min(d.rank for d in assessed if d.rank is not None)
    level = framework.level_at(rank)
    weakest = [d for d in assessed if d.rank == rank]
    one_away = None
    if len(weakest) == 1 and weakest[0].one_away is not None:
        rise = weakest[0].one_away
        others = [d.rank for d in assessed if d is not weakest[0] and d.rank is not None]
        one_away = OneAway(rise.result, rise.dimension_id, rise.dimension_name, rank, min([rise.to_rank, *others]))
    completeness = Completeness.of([r for d in dimensions for r in d.questions])
    return Overall(
        level_id=level.id,
        level_name=level.name,
        rank=rank,
        score=sum(d.score for d in assessed if d.score is not None) / len(assessed),
        completeness=completeness,
        provisional=completeness.share < framework.provisional_below or any(d.provisional for d in assessed),
        weakest=tuple(d.id for d in weakest),
        one_away=one_away,
    )


def score_assessment(framework: Framework, assessment: Assessment) -> ScoreCard:
    """Score one assessment against its bank. Pure: no I/O.

    >>> from mlops_workbook import load_framework, new_assessment
    >>> fw = load_framework("aws")
    >>> score_assessment(fw, new_assessment(fw)).overall is None   # nothing answered yet
    True
    """
    if framework.scoring.rule != "gated_levels":  # a rule declared as data (scoring.instruments)
        return score_by_rule(framework, assessment)
    values = {qid: answer.value for qid, answer in assessment.answers.items()}
    dimensions = tuple(
        score_dimension(framework, d.id, values, assessment.targets.get(d.id)) for d in framework.dimensions
    )
    overall = _overall(framework, dimensions)
    return ScoreCard.of(framework, dimensions, overall, values, gap=tuple(gap_to_target(framework, dimensions)))


def gap_to_target(framework: Framework, dimensions: tuple[DimensionScore, ...]) -> list[GapItem]:
    """Unmet questions between each dimension's achieved and target level, in work order.

    A target level with no statements of its own (Azure People, Level 1) is reached with
    the level below it, so its gap is the unmet questions of the levels below.
    """
    order = {d.id: i for i, d in enumerate(framework.dimensions)}
    items = []
    for d in dimensions:
        if d.target_rank is None:
            continue
        achieved = d.rank or 0
        for r in d.questions:
            if achieved < r.rank <= d.target_rank and r.applicable and r.status != "met":
                items.append(GapItem(r, d.name, framework.level(r.question.level).name))
    bank_order = {q.id: i for i, q in enumerate(framework.questions)}
    items.sort(
        key=lambda g: (g.result.rank, -g.question.weight, order[g.question.dimension], bank_order[g.question.id])
    )
    return items
