"""Which rule scores a bank: the small dispatch on the bank's ``scoring: {rule: …}``.

``gated_levels`` stays in :mod:`mlops_workbook.scoring.rules` (which calls this module for
the other rules, so every face keeps calling ``score_assessment``).
"""

from __future__ import annotations

from collections.abc import Callable

from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.model.scoring_spec import AllOf, SectionPoints
from mlops_workbook.scoring.all_of import rule_text as all_of_text
from mlops_workbook.scoring.all_of import score_all_of
from mlops_workbook.scoring.scorecard import ScoreCard
from mlops_workbook.scoring.section_points import rule_text as section_points_text
from mlops_workbook.scoring.section_points import score_section_points

DATA_RULES: dict[str, Callable[[Framework, Assessment], ScoreCard]] = {
    "section_points": score_section_points,
    "all_of": score_all_of,
}


def score_by_rule(framework: Framework, assessment: Assessment) -> ScoreCard:
    """Score a bank whose rule is declared as data (not ``gated_levels``)."""
    return DATA_RULES[framework.scoring.rule](framework, assessment)


def describe_rule(framework: Framework) -> str:
    """The bank's scoring rule in one sentence ("" for gated_levels: explanations.rule_sentence says it)."""
    spec = framework.scoring
    if isinstance(spec, SectionPoints):
        return section_points_text(framework, spec)
    if isinstance(spec, AllOf):
        return all_of_text(framework, spec)
    return ""
