"""Applies to tests/ and to the notebooks nbval executes: keep every test's files in temp dirs.

Jupyter, IPython and the workbook itself write to the home folder or the project by
default; a test run must not. Kernels started by nbval inherit this environment.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="mlops-workbook-tests-"))
for _var, _sub in (
    ("JUPYTER_CONFIG_DIR", "jupyter-config"),
    ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
    ("JUPYTER_DATA_DIR", "jupyter-data"),
    ("IPYTHONDIR", "ipython"),
    ("MLOPS_WORKBOOK_ASSESSMENTS", "assessments"),
):
    os.environ.setdefault(_var, str(_TMP / _sub))
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """nbval runs each notebook's cells in a Jupyter kernel: they carry the ``notebook`` mark
    (so ``make test-fast``, ``-m "not notebook"``, leaves them out)."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
