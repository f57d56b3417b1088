"""Banks are discovered, not listed: a bank written inside the test shows up in the CLI, reports and views."""

from __future__ import annotations

import json

import pytest

from mlops_workbook.cli.main import main
from mlops_workbook.model.coverage import check_coverage, has_reference, reference_criteria
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.frameworks import BANKS_ENV, framework_ids, load_framework
from mlops_workbook.render.report_html import build_report, header_html
from tests.instruments.banks import write_yes_no_bank


@pytest.fixture
def private_banks(tmp_path, monkeypatch):
    folder = tmp_path / "private-banks"
    write_yes_no_bank(folder, "teamcheck")
    monkeypatch.setenv(BANKS_ENV, str(folder))
    return folder


def _answers(tmp_path, values):
    path = tmp_path / "teamcheck-answers.json"
    answers = {f"teamcheck.{q}": {"value": v, "note": "seen in the repository"} for q, v in values.items()}
    path.write_text(json.dumps({"framework": "teamcheck", "team": "Red", "answers": answers}), encoding="utf-8")
    return path


def test_a_private_bank_is_listed_with_the_bundled_ones(private_banks):
    # fails if bank_folders ignores $MLOPS_WORKBOOK_BANKS
    assert "teamcheck" in framework_ids() and {"aws", "mltestscore", "marvelous"} <= set(framework_ids())
    assert load_framework("teamcheck").scoring.rule == "all_of"


def test_the_cli_lists_validates_and_scores_it(private_banks, tmp_path, capsys):
    assert main(["frameworks", "--json"]) == 0
    assert "teamcheck" in [b["id"] for b in json.loads(capsys.readouterr().out)]
    assert main(["validate", str(private_banks / "teamcheck.yaml")]) == 0
    capsys.readouterr()
    path = _answers(tmp_path, {"basics.versioned": 1, "basics.reviewed": 1, "extras.dashboards": 0})
    assert main(["score", str(path), "--json"]) == 0
    overall = json.loads(capsys.readouterr().out)["overall"]
    assert overall["outcome"]["name"] == "Ready" and overall["rule"] == "all_of"


def test_the_report_shows_the_rules_own_result(private_banks, tmp_path):
    path = _answers(tmp_path, {"basics.versioned": 1, "basics.reviewed": 0, "extras.dashboards": 1})
    html = header_html(build_report(path))
    # fails if header_html shows the gated "average of dimension scores" for a rule bank
    assert "Not yet ready" in html and "Basics (1 not met)" in html and "average of dimension scores" not in html


def test_an_unknown_bank_names_the_banks_there_are_and_where_they_come_from(private_banks):
    with pytest.raises(WorkbookError) as info:
        load_framework("nosuchbank")
    assert "teamcheck" in str(info.value) and BANKS_ENV in str(info.value)


def test_coverage_maps_only_for_banks_with_a_reference():
    # fails with StopIteration if reference_criteria requires every bank in the reference
    assert reference_criteria("mltestscore") == {} and check_coverage("mltestscore") == []
    assert has_reference("aws") and not has_reference("marvelous")
