"""notebooks/60-portfolio.ipynb: papermill runs it on a folder (nbval also runs it on the empty default)."""

from __future__ import annotations

from pathlib import Path

import papermill
import pytest

from tests.reports.org_folder import make_org_folder

pytestmark = pytest.mark.notebook
NOTEBOOK = Path("notebooks/60-portfolio.ipynb")


def test_parameters_are_the_folder_only():
    assert set(papermill.inspect_notebook(str(NOTEBOOK))) == {"folder"}


def test_the_page_shows_the_folders_organisation(tmp_path: Path):
    folder = make_org_folder(tmp_path / "assessments")
    nb = papermill.execute_notebook(
        str(NOTEBOOK), str(tmp_path / "out.ipynb"), parameters={"folder": str(folder)}, kernel_name="python3"
    )
    html = "".join(
        output.get("data", {}).get("text/html", "") for cell in nb.cells for output in cell.get("outputs", [])
    )
    assert "Blockers that hold back the most teams" in html
    assert "<td>Retail</td>" in html  # units.yaml of the folder given (fails if the cell drops `folder`)
    assert "&lt;script&gt;" in html and "<script>alert(1)" not in html
    assert "data:text/csv;base64," in html  # the blockers' CSV as a download link
