"""Load, list and check question banks (``data/frameworks/*.yaml``)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from mlops_workbook.model.bank_checks import group_problems, instrument_warnings, reference_problems, with_fixes
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import load_data, problems_from_validation
from mlops_workbook.model.parse import read_mapping
from mlops_workbook.model.paths import FRAMEWORKS_DIR, SCALES_FILE, THEMES_FILE
from mlops_workbook.model.schema import AnswerScale, Framework


class Theme(BaseModel):
    id: str
    name: str
    description: str = ""


def load_scales(path: str | Path = SCALES_FILE) -> dict[str, AnswerScale]:
    """The answer scales banks may refer to, by id."""
    name = display_name(path)
    data = load_data(path)
    items = data.get("scales") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise WorkbookError([Problem(name, "scales", "must be a list of scales", "see data/scales.yaml")])
    try:
        scales = [AnswerScale.model_validate(item) for item in items]
    except ValidationError as exc:
        raise WorkbookError(problems_from_validation(name, data, exc)) from None
    return {scale.id: scale for scale in scales}


def load_themes(path: str | Path = THEMES_FILE) -> dict[str, Theme]:
    """The common capability themes (from the reference's theme table), by id."""
    data = load_data(path)
    items = data.get("themes", []) if isinstance(data, dict) else []
    return {item["id"]: Theme.model_validate(item) for item in items}


#: An extra folder (or several, separated by os.pathsep) of an organisation's private banks.
BANKS_ENV = "MLOPS_WORKBOOK_BANKS"


def bank_folders() -> list[Path]:
    """Where banks are found: ``data/frameworks/`` and the folders named by ``$MLOPS_WORKBOOK_BANKS``."""
    extra = [Path(p) for p in os.environ.get(BANKS_ENV, "").split(os.pathsep) if p.strip()]
    return [FRAMEWORKS_DIR, *extra]


def framework_files(folder: str | Path | None = None) -> list[Path]:
    """Bank files of one folder, or (default) of every bank folder; the first file of an id wins."""
    folders = [Path(folder)] if folder is not None else bank_folders()
    found: dict[str, Path] = {}
    for place in folders:
        for path in sorted(place.glob("*.yaml")):
            found.setdefault(path.stem, path)
    return sorted(found.values(), key=lambda p: p.stem)


def framework_ids() -> list[str]:
    """The id of every bank there is (bundled and private), in id order: what every view lists."""
    return [p.stem for p in framework_files()]


def framework_path(framework_id: str, folder: str | Path | None = None) -> Path:
    """The bank file for an id, or a clear error listing the ids there are."""
    files = {p.stem: p for p in framework_files(folder)}
    if framework_id not in files or "/" in framework_id or "\\" in framework_id:
        known = ", ".join(files) or "none"
        raise WorkbookError(
            [
                Problem(
                    framework_id,
                    "",
                    "is not a known framework",
                    f"use one of: {known} (banks are the YAML files of data/frameworks/ and ${BANKS_ENV})",
                )
            ]
        )
    return files[framework_id]


def check_framework(path: str | Path) -> tuple[Framework | None, list[Problem]]:
    """Parse and check one bank; return it (if usable) and every problem found."""
    name = display_name(path)
    data, problems = read_mapping(path, "id, name, levels, …")
    if data is None:
        return None, problems
    try:
        scales = load_scales()
    except WorkbookError as exc:
        return None, exc.problems
    references = reference_problems(name, data)  # checked even when the schema fails: every problem at once
    try:
        framework = Framework.model_validate(data, context={"scales": scales})
    except ValidationError as exc:
        return None, group_problems(with_fixes(problems_from_validation(name, data, exc)) + references)
    problems = group_problems(references + _cross_check(framework, name) + instrument_warnings(framework, name))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return framework, problems


def _cross_check(fw: Framework, name: str) -> list[Problem]:
    """Checks pydantic cannot express: references between parts of the bank."""
    problems: list[Problem] = []  # duplicate ids: bank_checks.reference_problems
    ranks = sorted(lv.rank for lv in fw.levels)
    if ranks != list(range(len(ranks))):
        problems.append(Problem(name, "levels", f"ranks are {ranks}", f"number them 0 to {len(ranks) - 1}, each once"))

    if fw.met_threshold not in fw.scale.values:
        problems.append(
            Problem(
                name,
                "met_threshold",
                f"{fw.met_threshold} is not a value of the scale",
                f"use one of {fw.scale.values}",
            )
        )

    themes = load_themes()
    level_ids = {lv.id: lv.rank for lv in fw.levels}
    dimension_ids = {d.id for d in fw.dimensions}
    source_ids = {s.id for s in fw.sources}
    baseline = min(fw.levels, key=lambda lv: lv.rank).id
    for i, q in enumerate(fw.questions):
        where = f"questions[{i}] {q.id}"
        if not q.id.startswith(f"{fw.id}."):
            problems.append(
                Problem(name, where, "id does not start with the framework id", f"use {fw.id}.<dimension>.<name>")
            )
        if q.dimension not in dimension_ids:
            problems.append(
                Problem(
                    name,
                    f"{where}: dimension",
                    f"unknown dimension {q.dimension!r}",
                    f"use one of: {', '.join(sorted(dimension_ids))}",
                )
            )
        if q.level not in level_ids:
            problems.append(
                Problem(name, f"{where}: level", f"unknown level {q.level!r}", f"use one of: {', '.join(level_ids)}")
            )
        elif q.level == baseline:
            problems.append(
                Problem(
                    name,
                    f"{where}: level",
                    f"{baseline!r} is the baseline every organisation starts at",
                    "attach the question to the next level up, where it is first expected",
                )
            )
        if q.source.ref not in source_ids:
            problems.append(
                Problem(
                    name,
                    f"{where}: source.ref",
                    f"unknown source {q.source.ref!r}",
                    f"use one of: {', '.join(sorted(source_ids))}",
                )
            )
        for theme in q.themes:
            if themes and theme not in themes:
                problems.append(Problem(name, f"{where}: themes", f"unknown theme {theme!r}", "see data/themes.yaml"))
    for d in fw.dimensions:
        if not any(q.dimension == d.id for q in fw.questions):
            problems.append(Problem(name, f"dimensions {d.id}", "has no questions", "add questions or remove it"))
    return problems


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int) -> Framework:
    framework, problems = check_framework(path)
    if framework is None:
        raise WorkbookError([p for p in problems if p.severity == "error"])
    return framework


def load_framework(framework: str | Path, folder: str | Path | None = None) -> Framework:
    """A checked bank, by id (``"aws"``) or by path. Cached until the file changes.

    >>> load_framework("aws").levels_by_rank[0].name
    'Initial'
    """
    text = str(framework)
    path = Path(text) if text.endswith((".yaml", ".yml")) else framework_path(text, folder)
    if not path.is_file():
        raise WorkbookError([Problem(display_name(path), "", "file not found", "check the path")])
    return _load_cached(str(path.resolve()), path.stat().st_mtime_ns)


def list_frameworks(folder: str | Path | None = None) -> list[Framework]:
    """Every bank in the folder (default: every bank folder), in file-name order."""
    return [load_framework(path) for path in framework_files(folder)]


def summary(framework: Framework) -> dict[str, Any]:
    """A short description of a bank, for ``frameworks --json``."""
    return {
        "id": framework.id,
        "name": framework.name,
        "version": framework.version,
        "levels": [lv.name for lv in framework.levels_by_rank],
        "dimensions": [d.name for d in framework.dimensions],
        "questions": len(framework.questions),
    }
