"""Validation that helps an author: every problem in one pass, grouped, located, each with a fix."""

from __future__ import annotations

import yaml

from mlops_workbook.model.frameworks import check_framework
from tests.instruments.banks import write_yes_no_bank


def _bank(tmp_path, change):
    path = write_yes_no_bank(tmp_path / "banks", "checklist")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return check_framework(path)


def test_schema_errors_do_not_hide_reference_problems(tmp_path):
    def change(data):
        data["met_threshold"] = "yes"  # a schema error
        data["questions"][1]["id"] = data["questions"][0]["id"]  # a duplicate id: a cross-check
        data["scoring"]["sections"] = ["basics", "nosuch"]  # an unknown section: a cross-check

    framework, problems = _bank(tmp_path, change)
    text = "\n".join(map(str, problems))
    assert framework is None
    # fails if check_framework returns before reference_problems on a schema error
    assert "met_threshold" in text and "id is used 2 times (questions[0], questions[1])" in text
    assert "unknown dimension 'nosuch'" in text
    # every problem has a fix (fails if with_fixes is dropped: met_threshold has none from pydantic)
    assert all(p.fix for p in problems), [str(p) for p in problems if not p.fix]


def test_identical_problems_are_grouped_with_where(tmp_path):
    def change(data):
        for q in data["questions"]:
            q["points"] = 1

    _, problems = _bank(tmp_path, change)
    # fails without group_problems: three identical "points: is not a known field" lines
    (problem,) = [p for p in problems if "not a known field" in p.what]
    assert "3 places" in problem.where and "questions[0]" in problem.where


def test_warnings_for_missing_about_and_weights_without_effect(tmp_path):
    def change(data):
        data["about"] = ""
        data["questions"][0]["weight"] = 2

    framework, problems = _bank(tmp_path, change)
    warnings = {p.where: p for p in problems if p.severity == "warning"}
    assert framework is not None and "about" in warnings
    assert "no effect under the all_of rule" in warnings["questions: weight"].what


def test_unreachable_bands_and_holes_are_warned(tmp_path):
    def change(data):
        data["answer_scale"] = "yes_no"
        data["scoring"] = {
            "rule": "section_points",
            "combine": "min",
            "bands": [
                {"level": "not_yet", "lower": 0, "upper": 1, "lower_open": False},
                {"level": "ready", "lower": 2, "upper": 5},  # a hole (1, 2], and out of reach: min is at most 1
            ],
        }

    framework, problems = _bank(tmp_path, change)
    text = "\n".join(str(p) for p in problems if p.severity == "warning")
    assert framework is not None
    # fails if _band_warnings is not called from instrument_warnings
    assert "is unreachable: the min over sections is at most 1" in text and "hole or overlap" in text


def test_levels_without_questions_are_warned_in_a_gated_bank(tmp_path):
    def change(data):
        data["scoring"] = {"rule": "gated_levels"}
        data["levels"].append({"id": "extra", "rank": 2, "name": "Extra", "summary": "s"})
        for q in data["questions"]:
            q["level"] = "ready"

    framework, problems = _bank(tmp_path, change)
    assert framework is not None
    assert [p.where for p in problems if "has no questions in any dimension" in p.what] == ["levels extra"]
