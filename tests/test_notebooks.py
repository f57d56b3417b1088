"""Notebooks are thin, stored without outputs, and papermill-ready.

nbval executes every notebook as part of the same pytest run (see pyproject.toml).
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted(Path("notebooks").glob("*.ipynb"))
EXPECTED = {"00-start-here", "10-aws", "20-gcp", "30-azure", "40-compare", "50-workshop", "60-portfolio", "app"}


def test_the_workbook_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} >= EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear outputs before saving"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_tagged_parameters_with_literal_defaults(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", []), f"{path.name}: tag the first code cell 'parameters'"
    for node in ast.parse(first.source).body:
        assert isinstance(node, ast.Assign), f"{path.name}: the parameters cell only assigns"
        ast.literal_eval(node.value)  # raises when a default is not a literal


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
            assert not defs, f"{path.name}: move definitions into the package"
            assert len(cell.source.splitlines()) <= 12, f"{path.name}: keep code cells short"


def test_papermill_sees_the_documented_parameters():
    import papermill

    params = papermill.inspect_notebook("notebooks/10-aws.ipynb")
    assert set(params) == {"framework", "team", "respondent", "folder"}
