"""The project's own promises: conda and pip agree, the README's commands and figures exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        pip_side |= {_name(r) for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_side = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda_side == pip_side


def test_design_card_layout():
    for name in ("notebooks", "mlops_workbook", "data", "tests", "environment.yml", "README.md", "Makefile"):
        assert (ROOT / name).exists(), name


def test_readme_images_exist_and_figures_are_filled_in():
    readme = (ROOT / "README.md").read_text()
    for image in re.findall(r"\]\((docs/figures/[^)]+)\)", readme):
        assert (ROOT / image).is_file(), image
    assert "BENCH_" not in readme, "fill in the measured benchmark figures"


def test_makefile_offers_the_documented_commands():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("app:", "test:", "lab:"):
        assert re.search(rf"^{target}", makefile, re.M), target
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "apt-get install" in ci


def test_ruff_finds_nothing():
    import subprocess
    import sys

    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def _modules_with_examples() -> list[str]:
    """Every package module whose docstrings hold a ``>>>`` example."""
    return [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in sorted((ROOT / "mlops_workbook").rglob("*.py"))
        if ">>> " in path.read_text(encoding="utf-8")
    ]


def test_the_package_has_docstring_examples():
    assert len(_modules_with_examples()) >= 5


@pytest.mark.parametrize("module_name", _modules_with_examples())
def test_docstring_examples_run(module_name, monkeypatch):
    import doctest
    import importlib

    monkeypatch.chdir(ROOT)  # examples name files as a reader of the README would, from the project root
    module = importlib.import_module(module_name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    failed, attempted = doctest.testmod(module, optionflags=flags, report=False)
    assert attempted > 0, f"{module_name}: no example was found to run"
    assert failed == 0, f"{module_name}: {failed} of {attempted} examples failed (their output is printed above)"


@pytest.mark.slow
def test_mypy_finds_nothing():
    """The package type-checks at the strictness set in pyproject.toml [tool.mypy] (pandas-stubs included)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
