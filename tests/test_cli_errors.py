"""The command line's error paths: empty folders, wrong output paths, a closed pipe, N/A without a reason."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import run

EXAMPLE = Path("data/examples/aws-retail-forecasting.json")


@pytest.mark.parametrize("command", ["validate", "score"])
def test_a_folder_with_nothing_to_check_is_an_error(capsys, tmp_path, command):
    (tmp_path / "sub").mkdir()
    (tmp_path / "notes.txt").write_text("not an assessment")
    code, out, err = run(capsys, command, str(tmp_path))
    assert code == 1 and "is a folder with no *.json" in err and str(tmp_path.name) in err
    assert out == "", "nothing checked, nothing reported as checked"
    code, _, err = run(capsys, command, str(EXAMPLE), str(tmp_path / "sub"))
    assert code == 1 and "sub: is a folder with no" in err


def test_report_into_an_existing_file_is_a_usage_error(capsys, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("keep me")
    code, _, err = run(capsys, "report", str(EXAMPLE), "-o", str(target), "-q")
    assert code == 2 and "is a file, not a folder" in err
    assert target.read_text() == "keep me"


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_output_cut_short_by_head_exits_quietly(tmp_path):
    # Enough output to fill the pipe, so that writing after `head` has gone must fail.
    files = [str(EXAMPLE)] * 150
    script = f"{sys.executable} -m mlops_workbook score {' '.join(files)} | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True, text=True, timeout=300)
    assert done.stdout.count("\n") == 1 and "Traceback" not in done.stderr and "Broken pipe" not in done.stderr
    assert done.stderr == "" and done.returncode == 141


def test_validate_counts_na_without_a_reason(capsys, tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["answers"]["aws.data.automated_pipelines"] = {"value": "na", "na_reason": "  "}
    path = tmp_path / "na.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path))
    assert code == 0 and "0 error(s), 1 warning(s)" in out
    assert "na.json: answers.aws.data.automated_pipelines.na_reason: is missing" in err
