"""Answer scales as data: options, points, N/A and "don't know", checked everywhere by the bank's scale."""

from __future__ import annotations

import json

import pytest

from mlops_workbook.model.assessment import check_assessment, parse_assessment
from mlops_workbook.model.checked import load_checked
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.frameworks import load_framework, load_scales
from mlops_workbook.model.schema import json_schemas
from mlops_workbook.workshop import responses_csv as rcsv
from tests.instruments.banks import write_yes_no_bank


def test_bundled_scales_declare_options_points_and_words():
    scales = load_scales()
    assert {"maturity_0_4", "yes_no", "not_done_manual_automated"} <= set(scales)
    three = scales["not_done_manual_automated"]
    assert [three.points(v) for v in three.values] == [0, 0.5, 1]
    assert three.words == ("unknown",)  # the paper has no "not applicable"
    assert [o.label for o in scales["yes_no"].options] == ["No", "Yes"]
    assert scales["maturity_0_4"].points(3) == 3  # points default to the value


@pytest.fixture
def checklist(tmp_path):
    return load_framework(write_yes_no_bank(tmp_path / "banks"))


def _file(tmp_path, value):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"framework": "checklist", "answers": {"checklist.basics.versioned": {"value": value}}}))
    return path


def test_an_answer_off_a_yes_no_scale_is_refused_naming_the_scales_values(tmp_path, checklist):
    # fails if check_assessment stops asking the bank's scale (a 4 would pass as on 0-4)
    with pytest.raises(WorkbookError) as info:
        load_checked(_file(tmp_path, 4), checklist)
    (problem,) = info.value.problems
    assert "0 (No), 1 (Yes)" in str(problem) and "0-4" not in str(problem)
    assert load_checked(_file(tmp_path, 1), checklist).errors == []


def test_parse_names_the_scale_of_the_bank_the_file_answers(tmp_path):
    # fails if parse_assessment validates without context={"scale": ...} (message: "the bank's answer scale")
    data = {"framework": "aws", "answers": {"aws.data.automated_pipelines": {"value": "yes"}}}
    with pytest.raises(WorkbookError) as info:
        parse_assessment(data, "x.json")
    assert "4 (Fully in place and routine)" in str(info.value) and "not 'yes'" in str(info.value)


def test_words_the_scale_does_not_offer_are_refused(tmp_path):
    from mlops_workbook.model.scales import AnswerScale

    scale = AnswerScale.model_validate(
        {"id": "t", "name": "Three", "na": False, "options": [{"value": 0, "label": "a"}, {"value": 1, "label": "b"}]}
    )
    # fails if AnswerScale.problem accepts every word in ANSWER_WORDS
    assert scale.problem("na") is not None and scale.problem("unknown") is None


def test_csv_import_follows_the_banks_scale(checklist):
    text = "team,respondent,checklist.basics.versioned,checklist.basics.reviewed\nred,a,1,4\n"
    found, problems = rcsv.parse_csv(text, checklist)
    # fails if _parse_value goes back to accepting 0-4
    (bad,) = [p for p in problems if p.severity == "error"]
    assert found == [] and "'Yes / no'" in bad.what and "0 (No), 1 (Yes)" in bad.fix
    assert rcsv.parse_csv(rcsv.csv_template(checklist, example=True), checklist)[1] == []


def test_scale_options_must_rise_and_points_never_fall():
    from pydantic import ValidationError

    from mlops_workbook.model.scales import AnswerScale

    options = [{"value": 0, "label": "a", "points": 1}, {"value": 1, "label": "b", "points": 0}]
    # fails if the _rising validator is removed
    with pytest.raises(ValidationError, match="must not fall"):
        AnswerScale.model_validate({"id": "t", "name": "T", "options": options})


def test_json_schema_describes_a_value_of_the_banks_scale():
    value = json_schemas()["assessment.schema.json"]["$defs"]["Answer"]["properties"]["value"]
    assert "bank's answer scale" in value["description"]
    scoring = json_schemas()["framework.schema.json"]["properties"]["scoring"]
    assert "section_points" in json.dumps(scoring) and "all_of" in json.dumps(scoring)


def test_check_refuses_a_word_the_banks_scale_does_not_offer(checklist):
    checklist.scale.na = False  # a private copy: the bank was loaded from the test's own folder
    assessment = parse_assessment(
        {"framework": "checklist", "answers": {"checklist.basics.versioned": {"value": "na"}}}, "x"
    )
    # fails if check_assessment only checks numbers against the scale
    (problem,) = check_assessment(assessment, checklist)
    assert "must be 0 (No), 1 (Yes) or 'unknown'" in problem.what
    checklist.scale.na = True
