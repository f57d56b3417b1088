from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.common import run

EXAMPLES = sorted(str(p) for p in Path("data/examples").glob("*.json"))


def test_frameworks_lists_every_bank_in_the_folder(capsys):
    code, out, _ = run(capsys, "frameworks", "--json")
    assert code == 0
    assert [b["id"] for b in json.loads(out)] == [p.stem for p in sorted(Path("data/frameworks").glob("*.yaml"))]
    code, out, _ = run(capsys, "frameworks")
    assert "Initial / Repeatable / Reliable / Scalable" in out


def test_show_prints_levels_dimensions_and_questions(capsys):
    code, out, _ = run(capsys, "show", "azure")
    assert code == 0
    assert "Full MLOps automated operations" in out and "Application integration" in out
    assert "azure.model_release.automated_release" in out
    code, out, _ = run(capsys, "show", "gcp", "--json")
    assert json.loads(out)["id"] == "gcp"


def test_new_writes_a_blank_assessment_and_refuses_to_overwrite(capsys, tmp_path):
    out_file = tmp_path / "mine.json"
    code, out, _ = run(capsys, "new", "gcp", "-o", str(out_file), "--team", "Fraud", "--respondent", "R9")
    assert code == 0 and "25 questions" in out
    data = json.loads(out_file.read_text())
    assert (data["framework"], data["team"], data["respondent"], data["answers"]) == ("gcp", "Fraud", "R9", {})
    code, _, err = run(capsys, "new", "gcp", "-o", str(out_file))
    assert code == 1 and "already exists" in err


def test_score_json_has_the_documented_shape(capsys):
    code, out, _ = run(capsys, "score", EXAMPLES[0], "--json")
    assert code == 0
    result = json.loads(out)
    assert {"level", "rank", "label", "score", "answered", "applicable", "provisional"} <= set(result["overall"])
    assert result["framework"] == "aws"
    for d in result["dimensions"]:
        assert {"id", "level", "rank", "score", "assessed", "blockers"} <= set(d)
        assert d["rank"] <= d["score"] < d["rank"] + 1 or d["rank"] == 3


def test_score_examples_shows_levels_per_dimension(capsys):
    code, out, _ = run(capsys, "score", *EXAMPLES)
    assert code == 0
    assert out.count("OVERALL") == len(EXAMPLES)
    assert "Northwind Retail" in out and "Demand Forecasting" in out


def test_validate_reports_every_problem_with_file_and_field(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "framework": "aws",
                "team": "T",
                "answers": {"aws.data.automated_pipelines": {"value": 9}, "aws.train.model_registry": {"value": "yes"}},
            }
        )
    )
    targets = tmp_path / "targets.json"
    targets.write_text(
        json.dumps({"framework": "aws", "answers": {"aws.old.id": {"value": 1}}, "targets": {"data": "heaven"}})
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [")
    code, out, err = run(capsys, "validate", str(bad), str(targets), str(broken), *EXAMPLES)
    assert code == 1
    assert "bad.json: answers.aws.data.automated_pipelines.value: must be 0 (Not in place), 1" in err
    assert "bad.json: answers.aws.train.model_registry.value" in err
    assert "targets.json: targets.data: 'heaven' is not a level" in err
    assert "warning: " in err and "aws.old.id" in err
    assert "broken.yaml: line 2, column 1: is not valid YAML" in err  # the end of the file, where "[" is never closed
    assert f"{3 + len(EXAMPLES)} file(s): 4 error(s), 1 warning(s)" in out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["score", "missing.json"], 1, "missing.json: file not found"),
        (["show", "ibm"], 1, "ibm: is not a known framework"),
        (["new", "nope", "-o", "x.json"], 1, "is not a known framework"),
        (["frobnicate"], 2, "invalid choice"),
        (["score"], 2, "required"),
    ],
)
def test_bad_input_never_shows_a_traceback(capsys, argv, code, message):
    got, out, err = run(capsys, *argv)
    assert got == code
    assert message in out + err


def test_hostile_text_and_huge_files(capsys, tmp_path):
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        json.dumps(
            {
                "framework": "aws",
                "team": "<img src=x onerror=alert(1)>\u202e",
                "respondent": "'; DROP TABLE--",
                "answers": {"aws.data.automated_pipelines": {"value": 3, "note": "\x00\x1b[31mred"}},
            }
        )
    )
    code, out, _ = run(capsys, "score", str(hostile))
    assert code == 0 and "<img src=x" in out and "\x1b" not in out
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * 10_500_000)
    code, _, err = run(capsys, "validate", str(huge))
    assert code == 1 and "huge.json: file is too large (10.5 MB" in err


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_module_and_console_script_entry_points(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mlops_workbook", "score", "nothing.json"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 1 and "nothing.json: file not found" in result.stderr
    assert "Traceback" not in result.stderr
    script = Path(sys.executable).with_name("mlops-workbook")
    result = subprocess.run([str(script), "frameworks"], capture_output=True, text=True)
    assert result.returncode == 0 and "azure" in result.stdout


# --------------------------------------------------------------------------- score: completeness and vocabulary


def test_score_table_shows_completeness_provisional_and_one_question_away(capsys, tmp_path):
    # fails if _format_scorecard drops the answered column, the '*' mark or the one-question-away line
    from mlops_workbook import load_framework, new_assessment, save_assessment, set_answer

    fw = load_framework("gcp")
    a = new_assessment(fw, team="Probe")
    item = next(q for q in fw.questions_for("validation") if q.level == "L1")
    for q in fw.questions[: len(fw.questions) // 2]:
        set_answer(a, q.id, 4)
    set_answer(a, item.id, 1)
    save_assessment(a, tmp_path / "probe.json")
    code, out, _ = run(capsys, "score", str(tmp_path / "probe.json"))
    assert code == 0
    overall = next(line for line in out.splitlines() if line.lstrip().startswith("OVERALL"))
    assert "(level 0 of 2) *" in overall and "answered (" in overall
    assert "level: weakest dimension; score: average of dimension scores" in overall
    assert "* Provisional: only" in out
    for q in fw.questions:
        set_answer(a, q.id, 4)
    set_answer(a, item.id, 1)
    save_assessment(a, tmp_path / "probe.json")
    code, out, _ = run(capsys, "score", str(tmp_path / "probe.json"))
    assert f">> One question away: meeting {item.id}" in out and "would lift the overall level" in out
    assert "Provisional" not in out
