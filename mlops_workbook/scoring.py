"""Scoring: pure functions from a bank and answers to levels, scores, blockers and gaps.

The rules, in plain words (the README explains them for facilitators):

* An answer **meets** a question when it is at or above the bank's ``met_threshold``
  (3, "largely in place", in the bundled banks). ``na`` removes the question from every
  count; ``unknown`` and unanswered questions count as not met and are listed apart.
* A dimension **reaches** a level when every applicable question at that level and at
  every lower level is met (the gated rule). The lowest level is the baseline: every
  organisation starts there. A level where the model states nothing new for a
  dimension is credited together with the next level that does.
* Its **score** is the achieved rank plus partial progress on the next level with
  statements: the weighted mean, over that level's applicable questions, of
  ``min(answer, threshold) / threshold``. So ``achieved <= score < achieved + 1`` below the top, and the top rank
  at the top.
* A dimension whose questions are all ``na`` or unanswered is **not assessed**.
* **Overall** level = the lowest achieved level over assessed dimensions (weakest
  link); overall score = the mean of their scores.
* The **gap** to a target level lists the unmet questions between the achieved and the
  target level, ordered by level, then weight (heaviest first), then dimension.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .schema import Assessment, Framework, Question

Status = Literal["met", "not_met", "unknown", "unanswered", "na"]


@dataclass(frozen=True)
class QuestionResult:
    """One question as scored: its answer, whether it is met and how much it counts."""

    question: Question
    rank: int
    value: int | str | None
    status: Status
    credit: float  # 0..1, partial progress; 0 for unknown/unanswered, unused for na

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def applicable(self) -> bool:
        return self.status != "na"


@dataclass(frozen=True)
class LevelProgress:
    """How far one dimension is through one level's questions."""

    level_id: str
    level_name: str
    rank: int
    questions: int
    applicable: int
    met: int

    @property
    def share(self) -> float | None:
        """Share of applicable questions met; None when none applies."""
        return self.met / self.applicable if self.applicable else None

    @property
    def status(self) -> Literal["baseline", "empty", "met", "partly", "not_met", "na"]:
        if self.rank == 0:
            return "baseline"
        if not self.questions:
            return "empty"  # the model states nothing new for this dimension at this level
        if not self.applicable:
            return "na"
        if self.met == self.applicable:
            return "met"
        return "partly" if self.met else "not_met"


@dataclass(frozen=True)
class DimensionScore:
    id: str
    name: str
    assessed: bool
    rank: int | None
    level_id: str | None
    level_name: str | None
    score: float | None
    target_rank: int | None
    target_id: str | None
    blockers: tuple[QuestionResult, ...]
    levels: tuple[LevelProgress, ...]
    questions: tuple[QuestionResult, ...]


@dataclass(frozen=True)
class Overall:
    level_id: str
    level_name: str
    rank: int
    score: float


@dataclass(frozen=True)
class GapItem:
    result: QuestionResult
    dimension_name: str
    level_name: str

    @property
    def question(self) -> Question:
        return self.result.question


@dataclass(frozen=True)
class ScoreCard:
    framework_id: str
    framework_version: str
    threshold: int
    top_rank: int
    dimensions: tuple[DimensionScore, ...]
    overall: Overall | None
    gap: tuple[GapItem, ...]
    unknown_question_ids: tuple[str, ...] = field(default=())

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dimension_id)

    @property
    def results(self) -> list[QuestionResult]:
        return [r for d in self.dimensions for r in d.questions]

    def with_status(self, status: Status) -> list[QuestionResult]:
        return [r for r in self.results if r.status == status]

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable form printed by ``mlops-workbook score --json``."""
        overall = (
            {"level": self.overall.level_id, "rank": self.overall.rank, "score": round(self.overall.score, 3)}
            if self.overall
            else {"level": None, "rank": None, "score": None}
        )
        return {
            "framework": self.framework_id,
            "framework_version": self.framework_version,
            "overall": overall,
            "dimensions": [
                {
                    "id": d.id,
                    "level": d.level_id,
                    "rank": d.rank,
                    "score": None if d.score is None else round(d.score, 3),
                    "assessed": d.assessed,
                    "target": d.target_id,
                    "blockers": [b.id for b in d.blockers],
                }
                for d in self.dimensions
            ],
            "gap": [
                {
                    "question": g.question.id,
                    "dimension": g.question.dimension,
                    "level": g.question.level,
                    "next_step": g.question.next_step,
                }
                for g in self.gap
            ],
            "unknown_question_ids": list(self.unknown_question_ids),
        }


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


def _achieved_rank(levels: tuple[LevelProgress, ...]) -> int:
    """The gated rule, with one refinement for gaps in a model.

    A level whose statements are all met (or all ``na``) is reached once every lower
    level is. A level for which the bank has *no* statement in this dimension (Azure
    describes People at Level 1 exactly as at Level 0) gives no evidence of its own:
    it is credited together with the next level that has statements, or, at the top
    of the model, once everything below is met.
    """
    achieved, pending = 0, 0
    for progress in levels[1:]:
        if not progress.questions:
            pending = progress.rank
            continue
        if progress.met < progress.applicable:
            return achieved
        achieved, pending = progress.rank, 0
    return max(achieved, pending)


def score_dimension(
    framework: Framework, dimension_id: str, values: dict[str, int | str | None], target: str | None = None
) -> DimensionScore:
    """Level, score, blockers and per-level progress of one dimension."""
    threshold = framework.met_threshold
    ranks = {lv.id: lv.rank for lv in framework.levels}
    dimension = framework.dimension(dimension_id)
    results = tuple(
        _result(q, ranks[q.level], values.get(q.id), threshold) for q in framework.questions_for(dimension_id)
    )
    levels = tuple(
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
    target_rank = ranks.get(target) if target else None
    assessed = any(r.status not in ("na", "unanswered") for r in results)
    if not assessed:
        return DimensionScore(
            dimension.id,
            dimension.name,
            False,
            None,
            None,
            None,
            None,
            target_rank,
            target if target_rank is not None else None,
            (),
            levels,
            results,
        )

    achieved = _achieved_rank(levels)
    ahead = [p for p in levels if p.rank > achieved and p.questions]
    if not ahead:
        score, blockers = float(achieved), ()
    else:
        next_level = [r for r in results if r.rank == ahead[0].rank and r.applicable]
        score = achieved + _weighted_credit(next_level)
        blockers = tuple(r for r in next_level if r.status != "met")
    level = framework.level_at(achieved)
    return DimensionScore(
        dimension.id,
        dimension.name,
        True,
        achieved,
        level.id,
        level.name,
        score,
        target_rank,
        target if target_rank is not None else None,
        blockers,
        levels,
        results,
    )


def score_assessment(framework: Framework, assessment: Assessment) -> ScoreCard:
    """Score one assessment against its bank. Pure: no I/O.

    >>> from mlops_workbook import load_framework, new_assessment
    >>> fw = load_framework("aws")
    >>> score_assessment(fw, new_assessment(fw)).overall is None   # nothing answered yet
    True
    """
    values = {qid: answer.value for qid, answer in assessment.answers.items()}
    dimensions = tuple(
        score_dimension(framework, d.id, values, assessment.targets.get(d.id)) for d in framework.dimensions
    )
    assessed = [d for d in dimensions if d.assessed]
    overall = None
    if assessed:
        rank = min(d.rank for d in assessed if d.rank is not None)
        level = framework.level_at(rank)
        mean = sum(d.score for d in assessed if d.score is not None) / len(assessed)
        overall = Overall(level.id, level.name, rank, mean)
    return ScoreCard(
        framework_id=framework.id,
        framework_version=framework.version,
        threshold=framework.met_threshold,
        top_rank=framework.top.rank,
        dimensions=dimensions,
        overall=overall,
        gap=tuple(gap_to_target(framework, dimensions)),
        unknown_question_ids=tuple(sorted(set(values) - framework.question_ids)),
    )


def gap_to_target(framework: Framework, dimensions: tuple[DimensionScore, ...]) -> list[GapItem]:
    """Unmet questions between each dimension's achieved and target level, in work order."""
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


def describe_answer(framework: Framework, value: int | str | None) -> str:
    """``3`` -> ``3 Largely in place``; ``'na'`` -> ``Not applicable``."""
    label = framework.scale.label(value if value is not None else "")
    return f"{value} {label}" if isinstance(value, int) else label


def explain_dimension(framework: Framework, d: DimensionScore) -> str:
    """ "Why this level", in one or two plain sentences."""
    threshold_label = framework.scale.label(framework.met_threshold).lower()
    if not d.assessed:
        return f"{d.name}: not assessed (every question is unanswered or not applicable)."
    assert d.rank is not None and d.score is not None
    reached = (
        f"{d.name} is at {d.level_name}"
        + (
            " (the baseline)"
            if d.rank == 0
            else f": every applicable question up to {d.level_name} is answered '{threshold_label}' or better"
        )
        + "."
    )
    if not d.blockers:
        return reached + " This is the top level of the model."
    next_name = framework.level_at(d.blockers[0].rank).name
    listed = "; ".join(f"{b.id} ({describe_answer(framework, b.value)})" for b in d.blockers)
    count = len(d.blockers)
    return (
        f"{reached} {next_name} is blocked by {count} question{'s' if count > 1 else ''}: {listed}. "
        f"Score {d.score:.2f} = {d.rank} + progress on {next_name}."
    )
