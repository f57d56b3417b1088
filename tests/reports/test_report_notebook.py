"""The report notebook on its own: papermill's contract, thin and output-free, and a plain papermill run.

Notebook tests: they run real kernels, and fail (never skip) when the kernel is missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest

from mlops_workbook.model.assessment import load_assessment
from mlops_workbook.model.paths import PROJECT_ROOT
from mlops_workbook.reports.kernels import NOTEBOOK
from mlops_workbook.reports.outputs import notebook_to_html
from tests.reports.common import EXAMPLES, html_ok


def test_bundled_examples_exist():
    assert len(EXAMPLES) >= 3


def test_parameters_are_exactly_the_documented_ones():
    params = papermill.inspect_notebook(str(NOTEBOOK))
    assert set(params) == {"assessment_path", "previous_path", "title"}
    default = json.loads(params["assessment_path"]["default"])
    assert (PROJECT_ROOT / default).is_file()
    assert json.loads(params["previous_path"]["default"]) == ""
    assert json.loads(params["title"]["default"]) == ""


def test_notebook_is_thin_and_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert "def " not in cell.source and "class " not in cell.source


@pytest.mark.notebook
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_plain_papermill_report(example: Path, tmp_path: Path):
    out = tmp_path / "out.ipynb"
    nb = papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"assessment_path": str(example)},
        progress_bar=False,
        execution_timeout=120,
    )
    html = notebook_to_html(nb, "report")
    html_ok(html, load_assessment(example))
