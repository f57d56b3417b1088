"""The charts package (charts/__init__.py): its names load their modules on first use."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from mlops_workbook import charts


@pytest.mark.parametrize("name", charts.__all__)
def test_every_public_name_is_the_object_of_the_module_that_defines_it(name):
    value = getattr(charts, name)
    homes = [m for m in charts._MODULES if name in vars(importlib.import_module(f"mlops_workbook.charts.{m}"))]
    assert value is getattr(importlib.import_module(f"mlops_workbook.charts.{homes[0]}"), name)
    assert name in dir(charts)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'radar_plot'"):
        charts.radar_plot  # noqa: B018 - the access is the test


def test_importing_the_renderer_engine_loads_neither_altair_nor_vl_convert():
    # Fails if charts/__init__.py imports its chart modules eagerly.
    code = "import sys, mlops_workbook.charts.engine; print('altair' in sys.modules, 'vl_convert' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
