"""The ``section_points`` rule: sum points per section, combine the sections, read the band table.

In words (the ML Test Score's rule, with ``combine: min``):

* each answer is worth its option's points on the bank's scale (not done 0, manual 0.5,
  automated 1); ``na`` is left out, ``unknown`` and blank are worth 0;
* a **section** (dimension) scores the sum of its answers' points;
* the **overall figure** is the ``min`` (or ``sum``, or ``mean``, as the bank declares) of
  the section sums — every section counts, an unanswered one with 0 points — and is read
  on the bank's **band table**: the first band holding the figure names the result;
* **why**: the deciding sections (for ``min``: those at the minimum) and, in them, the
  items not yet at full points.

Raising an answer never lowers a section sum, the figure or the band (bands rise with
their bounds; ``frameworks`` checks the table). Pure functions, no I/O.
"""

from __future__ import annotations

from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.model.scoring_spec import PointBand, SectionPoints
from mlops_workbook.scoring.outcome import RuleOutcome
from mlops_workbook.scoring.scorecard import ScoreCard
from mlops_workbook.scoring.sections import card, dimension_score, question_results, rule_inputs, section_result

COMBINE_WORDS = {"min": "the lowest section sum", "sum": "the sum of section sums", "mean": "the mean section sum"}


def band_for(spec: SectionPoints, value: float) -> PointBand | None:
    """The first band of the table that holds ``value`` (None when the table has a hole there)."""
    return next((band for band in spec.bands if band.holds(value)), None)


def combine(how: str, sums: list[float]) -> float:
    if how == "min":
        return min(sums)
    if how == "sum":
        return sum(sums)
    return sum(sums) / len(sums)


def rule_text(framework: Framework, spec: SectionPoints) -> str:
    points = ", ".join(f"{o.label.lower()} {o.worth:g}" for o in framework.scale.options)
    table = "; ".join(f"{band.text} {framework.level(band.level).name}" for band in spec.bands)
    return (
        f"Each item scores its answer's points ({points}); each section sums its items; the result is "
        f"{COMBINE_WORDS[spec.combine]}, read on the band table: {table}."
    )


def score_section_points(framework: Framework, assessment: Assessment) -> ScoreCard:
    """Score a ``section_points`` bank. Pure: no I/O."""
    spec, values = rule_inputs(framework, assessment, SectionPoints)
    baseline = framework.baseline
    dimensions = []
    sections = []
    for d in framework.dimensions:
        results = question_results(framework, d.id, values)
        section = section_result(framework, d.id, results)
        band = band_for(spec, section.points)
        rank = framework.level(band.level).rank if band else baseline.rank
        below_full = tuple(r for r in results if r.applicable and r.credit < 1)
        dimensions.append(
            dimension_score(framework, results, dimension_id=d.id, rank=rank, score=section.points, blockers=below_full)
        )
        sections.append(section)
    answered = any(d.assessed for d in dimensions)
    sums = [s.points for s in sections]
    value = combine(spec.combine, sums)
    deciding = tuple(s.id for s in sections if spec.combine != "min" or s.points == value)
    outcome = None
    if answered:
        band = band_for(spec, value)
        level = framework.level(band.level) if band else baseline
        items = tuple(r.id for d in dimensions if d.id in deciding for r in d.blockers)
        names = ", ".join(s.name for s in sections if s.id in deciding)
        figure = f"{value:g} ({COMBINE_WORDS[spec.combine]}"
        figure += f": {names})" if spec.combine == "min" else ")"
        where = f"band {band.text}" if band else "no band of the table (it has a hole there)"
        why = f"{figure}, read on the band table: {where} → {level.name}."
        if items and spec.combine == "min":
            why += f" Raising the {len(items)} item(s) of {names} not yet at full points raises it."
        outcome = RuleOutcome(
            rule="section_points",
            rule_text=rule_text(framework, spec),
            value=value,
            value_text=figure,
            level_id=level.id,
            name=level.name,
            meaning=level.summary,
            band_text=band.text if band else "",
            why=why,
            deciding=deciding,
            deciding_items=items,
            sections=tuple(sections),
        )
    top = max((s.max_points for s in sections), default=0.0)
    return card(framework, assessment, tuple(dimensions), outcome, score=value, weakest=deciding, score_max=top or None)
