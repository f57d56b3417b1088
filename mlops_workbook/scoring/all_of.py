"""The ``all_of`` rule: a named outcome when every statement of the listed sections is met.

In words (Marvelous MLOps: *mature* when every statement of sections 1-4 is "yes"):

* a statement is **met** when its answer reaches the bank's ``met_threshold`` ("Yes");
  ``na`` is left out, ``unknown`` and blank are not met;
* the outcome (``scoring.outcome``, a level of the bank) is reached when every applicable
  statement of every listed section is met; otherwise the result is the baseline level;
* **partial progress**: per section, statements met of applicable ones; overall, the
  share of the listed sections' statements met (the score, 0 to the outcome's rank);
* **why**: the listed sections still short, and their unmet statements.

Raising an answer never lowers a share, a section or the outcome. Pure, no I/O.
"""

from __future__ import annotations

from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.model.scoring_spec import AllOf
from mlops_workbook.scoring.outcome import RuleOutcome, SectionResult
from mlops_workbook.scoring.scorecard import ScoreCard
from mlops_workbook.scoring.sections import card, dimension_score, question_results, rule_inputs


def rule_text(framework: Framework, spec: AllOf) -> str:
    met = framework.scale.label(framework.met_threshold)
    names = ", ".join(framework.dimension(s).name for s in spec.sections)
    return (
        f"{framework.level(spec.outcome).name} when every statement of {names} is answered '{met}' "
        f"(not applicable ones left out); the other sections show further progress."
    )


def score_all_of(framework: Framework, assessment: Assessment) -> ScoreCard:
    """Score an ``all_of`` bank. Pure: no I/O."""
    spec, values = rule_inputs(framework, assessment, AllOf)
    baseline, goal = framework.baseline, framework.level(spec.outcome)
    span = goal.rank - baseline.rank
    dimensions = []
    sections = []
    for d in framework.dimensions:
        results = question_results(framework, d.id, values)
        applicable = [r for r in results if r.applicable]
        met = sum(r.status == "met" for r in applicable)
        share = met / len(applicable) if applicable else 1.0
        unmet = tuple(r for r in applicable if r.status != "met")
        rank = goal.rank if not unmet else baseline.rank
        dimensions.append(
            dimension_score(
                framework, results, dimension_id=d.id, rank=rank, score=baseline.rank + share * span, blockers=unmet
            )
        )
        answered = sum(r.status in ("met", "not_met") for r in results)
        sections.append((d, met, len(applicable), answered, unmet))
    results_by_section = tuple(
        SectionResult(d.id, d.name, float(met), float(n), answered, n, required=d.id in spec.sections)
        for d, met, n, answered, _ in sections
    )
    required = [s for s in results_by_section if s.required]
    met_required = sum(s.points for s in required)
    total_required = sum(s.max_points for s in required)
    short = tuple(s.id for s in required if s.points < s.max_points)
    reached = not short
    level = goal if reached else baseline
    share = met_required / total_required if total_required else 1.0
    outcome = None
    if any(d.assessed for d in dimensions):
        items = tuple(r.id for _, _, _, _, unmet in sections for r in unmet if r.question.dimension in short)
        if reached:
            why = f"Every statement of the required sections is met ({met_required:g} of {total_required:g})."
        else:
            names = ", ".join(f"{s.name} ({s.max_points - s.points:g} not met)" for s in required if s.id in short)
            why = f"{goal.name} needs every statement of the required sections; still short: {names}."
        outcome = RuleOutcome(
            rule="all_of",
            rule_text=rule_text(framework, spec),
            value=share,
            value_text=f"{met_required:g} of {total_required:g} required statements met",
            level_id=level.id,
            name=level.name,
            meaning=level.summary,
            band_text="",
            why=why,
            deciding=short,
            deciding_items=items,
            sections=results_by_section,
        )
    return card(framework, assessment, tuple(dimensions), outcome, score=baseline.rank + share * span, weakest=short)
