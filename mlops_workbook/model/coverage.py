"""Check that every criterion of the reference is covered by a question or a reason.

``data/coverage/<framework>.yaml`` lists each criterion of ``data/reference/frameworks.json``
(the team's paraphrased reference of the three models) as
``<model or variant>/<level>/<dimension>/<n>`` with its text, and either the question
ids that cover it or the reason it is not a question.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from mlops_workbook.model.errors import Problem, display_name
from mlops_workbook.model.files import load_data
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import COVERAGE_DIR, REFERENCE_FILE


def reference_criteria(framework_id: str, reference: str | Path = REFERENCE_FILE) -> dict[str, str]:
    """``ref -> text`` for every criterion of a model (and its variants) in the reference."""
    data = json.loads(Path(reference).read_text(encoding="utf-8"))
    model = next((f for f in data["frameworks"] if f["id"] == framework_id), None)
    found: dict[str, str] = {}
    if model is None:  # a bank without a reference (ML Test Score, a private bank): nothing to cover
        return found
    for source in [model, *model.get("variants", [])]:
        counters: dict[tuple[str, str], int] = defaultdict(int)
        for criterion in source["criteria"]:
            cell = (criterion["level"], criterion["dimension"])
            counters[cell] += 1
            found[f"{source['id']}/{cell[0]}/{cell[1]}/{counters[cell]}"] = criterion["text"]
    return found


def has_reference(framework_id: str, reference: str | Path = REFERENCE_FILE) -> bool:
    """Whether the reference lists the bank's model, so a coverage map is required."""
    return bool(reference_criteria(framework_id, reference))


def check_coverage(
    framework_id: str, folder: str | Path = COVERAGE_DIR, reference: str | Path = REFERENCE_FILE
) -> list[Problem]:
    """Every unmapped criterion, stale entry and missing question, at once."""
    path = Path(folder) / f"{framework_id}.yaml"
    name = display_name(path)
    expected = reference_criteria(framework_id, reference)
    if not expected and not path.is_file():  # no reference, no map: nothing to check
        return []
    entries = (load_data(path) or {}).get("criteria", [])
    question_ids = load_framework(framework_id).question_ids
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        ref = str(entry.get("ref", ""))
        where = f"criteria[{i}] {ref}"
        if ref in seen:
            problems.append(Problem(name, where, "is listed twice", "keep one entry per criterion"))
        seen.add(ref)
        if ref not in expected:
            problems.append(Problem(name, where, "is not a criterion of the reference", "check the ref"))
        elif entry.get("text") != expected[ref]:
            problems.append(Problem(name, where, "text differs from the reference", "copy the reference text"))
        questions, reason = entry.get("questions") or [], str(entry.get("reason") or "").strip()
        if not questions and not reason:
            problems.append(Problem(name, where, "has neither questions nor a reason", "map it or say why not"))
        for qid in questions:
            if qid not in question_ids:
                problems.append(
                    Problem(name, where, f"maps to {qid!r}, which is not in the bank", "fix the question id")
                )
    for ref in expected.keys() - seen:
        problems.append(
            Problem(name, ref, "criterion of the reference is not mapped", f"add an entry for it: {expected[ref][:60]}")
        )
    return problems
