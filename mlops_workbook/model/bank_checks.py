"""Checks that help a bank's author: every problem at once, grouped, located, each with a fix.

* :func:`reference_problems` reads the raw YAML data, so references between parts of the
  bank (ids, dimensions, levels, sources, the scoring block) are checked even when the
  schema found errors — one pass finds everything.
* :func:`instrument_warnings` looks at a built bank: levels without questions, bands of
  the table no answer can reach or holes between them, weights the rule ignores, no
  ``about`` text.
* :func:`group_problems` folds identical problems (28 × "points: is not a known field")
  into one that lists where.
* :func:`with_fixes` gives a fix to schema messages that have none.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from mlops_workbook.model.errors import Problem
from mlops_workbook.model.schema import Framework
from mlops_workbook.model.scoring_spec import AllOf, SectionPoints

FIELD_FIXES = {
    "met_threshold": "give the lowest value of the scale that counts as met (3 on maturity_0_4, 1 on yes_no)",
    "band": "give [lowest, highest] on the common 0-3 crosswalk scale, or leave band out (not compared)",
    "weight": "give a number above 0 and at most 10 (default 1)",
    "rank": "number the levels 0 (baseline) upwards",
    "answer_scale": "use a scale of data/scales.yaml, or add one there (options with value, label, meaning)",
    "rule": "use gated_levels, section_points or all_of",
}


def with_fixes(problems: list[Problem]) -> list[Problem]:
    """Give schema messages without a fix the fix for their field."""
    fixed = []
    for p in problems:
        field = p.where.rsplit(".", 1)[-1].rsplit(": ", 1)[-1].strip()
        if not p.fix and field in FIELD_FIXES:
            p = Problem(p.file, p.where, p.what, FIELD_FIXES[field], p.severity)
        elif field == "answer_scale" and "unknown scale" in p.what:
            p = Problem(p.file, p.where, p.what + " (or add a scale to data/scales.yaml)", p.fix, p.severity)
        fixed.append(p)
    return fixed


def group_problems(problems: list[Problem], shown: int = 3) -> list[Problem]:
    """Fold problems that say the same thing about the same field in different places into one."""
    groups: dict[tuple[str, str, str, str, str], list[Problem]] = defaultdict(list)
    for p in problems:
        field = p.where.rsplit(":", 1)[-1].strip() if ":" in p.where else p.where
        groups[(p.file, field, p.what, p.fix, p.severity)].append(p)
    out = []
    for (file, field, what, fix, severity), members in groups.items():
        if len(members) == 1:
            out.append(members[0])
            continue
        places = [m.where.rsplit(":", 1)[0] for m in members]
        listed = ", ".join(places[:shown]) + (f" and {len(places) - shown} more" if len(places) > shown else "")
        out.append(Problem(file, f"{field} ({len(members)} places: {listed})", what, fix, severity))
    return out


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def reference_problems(name: str, data: dict[str, Any]) -> list[Problem]:
    """Duplicate ids (with where) and references to unknown parts, from the raw data."""
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for kind in ("levels", "dimensions", "questions", "sources"):
        seen: dict[str, list[int]] = defaultdict(list)
        for i, item in enumerate(_items(data, kind)):
            seen[str(item.get("id", ""))].append(i)
        ids[kind] = set(seen)
        for item_id, places in seen.items():
            if item_id and len(places) > 1:
                where = ", ".join(f"{kind}[{i}]" for i in places)
                problems.append(
                    Problem(name, f"{kind} {item_id}", f"id is used {len(places)} times ({where})", "make ids unique")
                )
    raw = data.get("scoring")
    scoring: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for i, band in enumerate(scoring.get("bands") or []):
        if isinstance(band, dict) and band.get("level") not in ids["levels"]:
            problems.append(
                Problem(
                    name,
                    f"scoring.bands[{i}].level",
                    f"unknown level {band.get('level')!r}",
                    f"use one of: {', '.join(sorted(ids['levels']))}",
                )
            )
    for section in scoring.get("sections") or []:
        if section not in ids["dimensions"]:
            problems.append(
                Problem(
                    name,
                    "scoring.sections",
                    f"unknown dimension {section!r}",
                    f"use one of: {', '.join(sorted(ids['dimensions']))}",
                )
            )
    if scoring.get("outcome") is not None and scoring.get("outcome") not in ids["levels"]:
        problems.append(
            Problem(
                name,
                "scoring.outcome",
                f"unknown level {scoring.get('outcome')!r}",
                f"use one of: {', '.join(sorted(ids['levels']))}",
            )
        )
    return problems


def instrument_warnings(fw: Framework, name: str) -> list[Problem]:
    """Things that load but are probably not what the author meant."""
    warnings: list[Problem] = []

    def warn(where: str, what: str, fix: str) -> None:
        warnings.append(Problem(name, where, what, fix, "warning"))

    if not fw.about.strip():
        warn("about", "is missing", "say in a few sentences what the instrument measures, for whom, and how it scores")
    spec = fw.scoring
    if spec.rule == "gated_levels":
        used = {q.level for q in fw.questions}
        for level in fw.levels_by_rank[1:]:
            if level.id not in used:
                warn(
                    f"levels {level.id}",
                    "has no questions in any dimension: it is reached with the level below",
                    "attach questions to it or remove it",
                )
    elif any(q.weight != 1 for q in fw.questions):
        warn("questions: weight", f"has no effect under the {spec.rule} rule", "remove the weights")
    if isinstance(spec, SectionPoints):
        warnings += _band_warnings(fw, spec, name)
    if isinstance(spec, AllOf) and fw.level(spec.outcome).rank == fw.baseline.rank:
        warn("scoring.outcome", "is the baseline level, so it is reached without any answer", "name a higher level")
    return warnings


def _band_warnings(fw: Framework, spec: SectionPoints, name: str) -> list[Problem]:
    warnings: list[Problem] = []
    sizes = [sum(q.dimension == d.id for q in fw.questions) * fw.scale.max_points for d in fw.dimensions]
    highest = {"min": min(sizes), "sum": sum(sizes), "mean": sum(sizes) / len(sizes)}[spec.combine]
    ranks = [fw.level(b.level).rank for b in spec.bands if b.level in {lv.id for lv in fw.levels}]
    if ranks != sorted(ranks):
        warnings.append(
            Problem(name, "scoring.bands", "levels do not rise with the bands", "list bands lowest first", "warning")
        )
    for i, band in enumerate(spec.bands):
        if band.lower is not None and (band.lower > highest or (band.lower_open and band.lower == highest)):
            warnings.append(
                Problem(
                    name,
                    f"scoring.bands[{i}] {band.level}",
                    f"is unreachable: the {spec.combine} over sections is at most {highest:g}",
                    "lower its bounds or add questions",
                    "warning",
                )
            )
    for before, after in zip(spec.bands, spec.bands[1:], strict=False):
        touching = before.upper == after.lower and before.upper_closed == after.lower_open
        if before.upper is not None and after.lower is not None and not touching:
            warnings.append(
                Problem(
                    name,
                    f"scoring.bands {before.level} → {after.level}",
                    f"leave a hole or overlap between {before.text} and {after.text}",
                    "make each band start where the one before it ends, one bound open and one closed",
                    "warning",
                )
            )
    return warnings
