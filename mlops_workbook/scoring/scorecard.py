"""What scoring returns: one result per question, level and dimension, and the score card.

Plain frozen dataclasses with no rules in them (the rules are in :mod:`mlops_workbook.scoring.rules`,
which re-exports these names), plus the one way every face names a level, :func:`level_label`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from mlops_workbook.model.schema import Framework, Question
from mlops_workbook.scoring.outcome import RuleOutcome

Status = Literal["met", "not_met", "unknown", "unanswered", "na"]


def level_label(framework: Framework, rank: int) -> str:
    """A level as every face names it: its own name and "level n of N".

    >>> from mlops_workbook import load_framework
    >>> level_label(load_framework("aws"), 0)
    'Initial (level 0 of 3)'
    """
    if framework.scoring.rule != "gated_levels":  # bands and outcomes are named, not numbered
        return framework.level_at(rank).name
    return _label(framework.level_at(rank).name, rank, framework.top.rank)


def _label(name: str, rank: int, top: int) -> str:
    return f"{name} (level {rank} of {top})"


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
    def passed(self) -> bool:
        """Nothing left to meet: every applicable question met (true when there are none)."""
        return self.met >= self.applicable

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


#: The answers that count against completeness, as :class:`Completeness` counts them.
MISSING = ("na", "unknown", "unanswered")


@dataclass(frozen=True)
class Completeness:
    """How many applicable questions have a 0-4 answer (``unknown`` and blank are missing)."""

    answered: int
    applicable: int
    na: int
    unknown: int
    unanswered: int

    @property
    def share(self) -> float:
        """``answered / applicable``; 0 when nothing applies."""
        return self.answered / self.applicable if self.applicable else 0.0

    @staticmethod
    def of(results: list[QuestionResult] | tuple[QuestionResult, ...]) -> Completeness:
        count = {s: sum(r.status == s for r in results) for s in MISSING}
        applicable = len(results) - count["na"]
        return Completeness(applicable - count["unknown"] - count["unanswered"], applicable, **count)

    def to_dict(self) -> dict[str, Any]:
        answered = {"answered": self.answered, "applicable": self.applicable, "completeness": round(self.share, 3)}
        return answered | {status: getattr(self, status) for status in MISSING}


@dataclass(frozen=True)
class AboutAQuestion:
    """Something the score card says about one question's result (a gap item, a question one away)."""

    result: QuestionResult

    @property
    def question(self) -> Question:
        return self.result.question


@dataclass(frozen=True)
class OneAway(AboutAQuestion):
    """One question whose being met would lift a level: which one, and how far."""

    dimension_id: str
    dimension_name: str
    from_rank: int
    to_rank: int


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
    completeness: Completeness
    provisional: bool = False
    one_away: OneAway | None = None

    @property
    def target_reached(self) -> bool:
        return self.assessed and self.target_rank is not None and (self.rank or 0) >= self.target_rank


@dataclass(frozen=True)
class Overall:
    level_id: str
    level_name: str
    rank: int
    score: float  # the average of the assessed dimensions' scores
    completeness: Completeness
    provisional: bool = False
    weakest: tuple[str, ...] = ()  # ids of the dimensions at the overall level
    one_away: OneAway | None = None


@dataclass(frozen=True)
class GapItem(AboutAQuestion):
    dimension_name: str
    level_name: str


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
    level_names: tuple[str, ...] = field(default=())  # by rank
    provisional_below: float = 0.8
    rule: str = "gated_levels"  # the bank's scoring rule
    outcome: RuleOutcome | None = None  # section_points / all_of: the rule's own result and why
    score_max: float | None = None  # top of the score scale when it is not top_rank (section sums)

    @classmethod
    def of(
        cls,
        framework: Framework,
        dimensions: tuple[DimensionScore, ...],
        overall: Overall | None,
        answered: Iterable[str],
        *,
        gap: tuple[GapItem, ...] = (),
        outcome: RuleOutcome | None = None,
        score_max: float | None = None,
    ) -> ScoreCard:
        """The card of ``framework``: its id, version, threshold, top rank, rule, level names, provisional
        share and the ``answered`` ids that are not its questions filled in from the bank."""
        return cls(
            framework_id=framework.id,
            framework_version=framework.version,
            threshold=framework.met_threshold,
            top_rank=framework.top.rank,
            dimensions=dimensions,
            overall=overall,
            unknown_question_ids=tuple(sorted(set(answered) - framework.question_ids)),
            level_names=tuple(lv.name for lv in framework.levels_by_rank),
            provisional_below=framework.provisional_below,
            gap=gap,
            rule=framework.scoring.rule,
            outcome=outcome,
            score_max=score_max,
        )

    @property
    def score_top(self) -> float:
        """The highest score a dimension can have (the top rank, or the rule's most points)."""
        return self.score_max if self.score_max is not None else float(self.top_rank)

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def label(self, rank: int) -> str:
        """:func:`level_label` without the bank at hand."""
        if self.rule != "gated_levels":
            return self.level_names[rank]
        return _label(self.level_names[rank], rank, self.top_rank)

    @property
    def results(self) -> list[QuestionResult]:
        return [r for d in self.dimensions for r in d.questions]

    def with_status(self, status: Status) -> list[QuestionResult]:
        return [r for r in self.results if r.status == status]

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable form printed by ``mlops-workbook score --json``."""

        def one_away(o: OneAway | None) -> dict[str, Any] | None:
            if o is None:
                return None
            return {
                "question": o.question.id,
                "dimension": o.dimension_id,
                "from_rank": o.from_rank,
                "to_rank": o.to_rank,
                "to_level": self.label(o.to_rank),
            }

        o = self.overall
        overall: dict[str, Any] = {
            "rule": "weakest assessed dimension",
            "level": o.level_id if o else None,
            "rank": o.rank if o else None,
            "label": self.label(o.rank) if o else None,
            "score": round(o.score, 3) if o else None,
            "score_is": "average of dimension scores",
            "provisional": o.provisional if o else None,
            "one_question_away": one_away(o.one_away) if o else None,
        }
        if o:
            overall |= o.completeness.to_dict()
        if self.outcome is not None:
            overall |= {"rule": self.rule, "score_is": self.outcome.value_text, "outcome": self.outcome.to_dict()}
        return {
            "framework": self.framework_id,
            "framework_version": self.framework_version,
            "provisional_below": self.provisional_below,
            "overall": overall,
            "dimensions": [
                {
                    "id": d.id,
                    "level": d.level_id,
                    "rank": d.rank,
                    "label": None if d.rank is None else self.label(d.rank),
                    "score": None if d.score is None else round(d.score, 3),
                    "assessed": d.assessed,
                    "provisional": d.provisional,
                    **d.completeness.to_dict(),
                    "target": d.target_id,
                    "blockers": [b.id for b in d.blockers],
                    "one_question_away": one_away(d.one_away),
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
