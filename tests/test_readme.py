"""The README's folder tour is the package's tree (made by scripts/folder_tour.py)."""

from __future__ import annotations

import importlib.util

from mlops_workbook.model.paths import PROJECT_ROOT


def _tour_script():
    spec = importlib.util.spec_from_file_location("folder_tour", PROJECT_ROOT / "scripts" / "folder_tour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_folder_tour_matches_the_package_tree():
    tour = _tour_script()
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert tour.readme_tour(readme) == tour.tour(), "run `python scripts/folder_tour.py --write`"


def test_folder_tour_names_every_module_and_only_those():
    tour = _tour_script().tour()
    modules = sorted(p.name for p in (PROJECT_ROOT / "mlops_workbook").rglob("*.py") if p.name != "__init__.py")
    named = sorted(line.split()[0] for line in tour.splitlines() if line.split()[0].endswith(".py"))
    assert named == modules
