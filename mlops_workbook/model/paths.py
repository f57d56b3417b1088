"""Every path the package uses by default, in one place; and paths given by a user, expanded.

Loaders take an explicit path and fall back to these constants, so content can move
without touching callers. ``MLOPS_WORKBOOK_DATA`` and ``MLOPS_WORKBOOK_ASSESSMENTS``
override the two folders a deployment is most likely to relocate.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from mlops_workbook.model.errors import Problem, WorkbookError, display_name

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("MLOPS_WORKBOOK_DATA", PROJECT_ROOT / "data"))
FRAMEWORKS_DIR = DATA_DIR / "frameworks"
COVERAGE_DIR = DATA_DIR / "coverage"
CORE_DIR = DATA_DIR / "core"
CORE_FILE = CORE_DIR / "core.yaml"
CORE_MAPS_DIR = CORE_DIR / "map"
EXAMPLES_DIR = DATA_DIR / "examples"
SCHEMA_DIR = DATA_DIR / "schema"
REFERENCE_FILE = DATA_DIR / "reference" / "frameworks.json"
SCALES_FILE = DATA_DIR / "scales.yaml"
THEMES_FILE = DATA_DIR / "themes.yaml"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
ASSESSMENTS_DIR = Path(os.environ.get("MLOPS_WORKBOOK_ASSESSMENTS", PROJECT_ROOT / "assessments"))

#: Files larger than this are refused before parsing: a bank or an assessment is a few
#: dozen kilobytes, so anything this big is a wrong file, not a big assessment.
MAX_FILE_BYTES = 2 * 1024 * 1024


def expand_paths(paths: Iterable[str | Path], suffixes: tuple[str, ...] = (".json",)) -> list[Path]:
    """Files as given, and for folders the files with ``suffixes`` inside (recursively, sorted).

    A folder without such files is an error (:class:`WorkbookError`, every one named):
    checking nothing must not look like success.
    """
    found: list[Path] = []
    empty: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(p for p in path.rglob("*") if p.suffix in suffixes and p.is_file())
        if not inside:
            kinds = " or ".join(f"*{s}" for s in suffixes)
            empty.append(
                Problem(
                    display_name(path),
                    "",
                    f"is a folder with no {kinds} files",
                    "give files, or a folder that holds some",
                )
            )
        found.extend(inside)
    if empty:
        raise WorkbookError(empty)
    return found
