"""The batch's worker pool: a stalled run times out and is retried, a failed rerun removes the old report.

Notebook tests: they run real kernels, and fail (never skip) when the kernel is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from mlops_workbook.model.assessment import load_assessment
from mlops_workbook.reports import kernels
from mlops_workbook.reports.batch import Settings, run_jobs
from mlops_workbook.reports.jobs import Job
from tests.reports.common import EXAMPLES

pytestmark = [pytest.mark.notebook, pytest.mark.slow]


def test_a_stalled_run_times_out_and_is_retried_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            'assessment_path = ""\nprevious_path = ""\ntitle = ""', metadata={"tags": ["parameters"]}
        ),
        nbformat.v4.new_code_cell(
            "import pathlib, time\nmarker = pathlib.Path(assessment_path + '.seen')\n"
            "if not marker.exists():\n    marker.write_text('1')\n    time.sleep(600)\nprint('done')"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    stalling = tmp_path / "stall.ipynb"
    nbformat.write(nb, stalling)
    monkeypatch.setattr(kernels, "NOTEBOOK", stalling)
    example = tmp_path / "a.json"
    shutil.copy(EXAMPLES[0], example)
    job = Job(example, load_assessment(example), tmp_path / "a.html")
    [outcome] = run_jobs([job], Settings(workers=1, timeout=3, start_timeout=60))
    assert outcome.ok, outcome.error
    assert outcome.attempts == 2
    assert "done" in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_a_failed_rerun_removes_the_outdated_report(tmp_path: Path):
    example = tmp_path / "a.json"
    shutil.copy(EXAMPLES[0], example)
    job = Job(example, load_assessment(example), tmp_path / "a.html")
    job.output.write_text("<html>last month's report</html>", encoding="utf-8")
    example.unlink()  # the notebook will fail to read it
    [outcome] = run_jobs([job], Settings(workers=1, timeout=60, start_timeout=60))
    assert not outcome.ok
    assert "removed" in outcome.error and "a.json" in outcome.error
    assert not job.output.exists()
