"""The project's own promises: conda and pip agree, the README's commands and figures exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

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
