"""Which reports a batch makes: every file checked before a kernel is spent on it, each report named.

``mlops-workbook report`` (:mod:`mlops_workbook.reports.command`) plans with :func:`plan`,
runs the jobs with :func:`mlops_workbook.reports.batch.run_jobs` and writes the portfolio
(:mod:`mlops_workbook.reports.portfolio`). The single-report path is plain papermill on
``notebooks/report.ipynb`` (:data:`mlops_workbook.reports.kernels.NOTEBOOK`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mlops_workbook.app.core_session import CORE_FOLDER
from mlops_workbook.model.assessment import load_assessment, slug
from mlops_workbook.model.checked import load_checked
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.schema import Assessment
from mlops_workbook.reports.outputs import Outcome


@dataclass
class Job:
    """One report to make: the checked assessment, its earlier round and where the HTML goes."""

    path: Path
    assessment: Assessment
    output: Path
    previous: Path | None = None

    @property
    def parameters(self) -> dict[str, str]:
        return {
            "assessment_path": str(self.path.resolve()),
            "previous_path": str(self.previous.resolve()) if self.previous else "",
            "title": "",
        }


def _candidates(paths: Sequence[str | Path]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = (x for x in p.rglob("*.json") if x.is_file())  # core answers (core/) are not assessments
            found.extend(sorted(x for x in files if x.relative_to(p).parts[0] != CORE_FOLDER))
        else:
            found.append(p)
    return found


def check_file(path: Path) -> tuple[Assessment | None, str]:
    """Load and check one file before spending a kernel on it: the assessment, or why not."""
    try:
        return load_checked(path).assessment, ""
    except WorkbookError as exc:
        return None, "; ".join(str(p) for p in exc.problems)


def find_previous(assessment: Assessment, path: Path, folder: Path) -> Path | None:
    """The earlier round of the same team and framework in ``folder``, if there is one.

    The file named in the assessment's ``previous`` field wins; otherwise the highest
    round below this one, then the latest saved before this one.
    """
    if assessment.previous and (folder / assessment.previous).is_file():
        return folder / assessment.previous
    best: tuple[tuple[int, str], Path] | None = None
    for candidate in sorted(folder.rglob("*.json")):
        if candidate.resolve() == path.resolve():
            continue
        try:
            other = load_assessment(candidate)
        except WorkbookError:
            continue
        if other.framework != assessment.framework or slug(other.team) != slug(assessment.team):
            continue
        earlier = other.round < assessment.round or (
            other.round == assessment.round and other.updated < assessment.updated
        )
        if earlier:
            key = (other.round, other.updated.isoformat())
            if best is None or key > best[0]:
                best = (key, candidate)
    return best[1] if best else None


def plan(
    paths: Sequence[str | Path], out_dir: Path, previous_dir: Path | None = None
) -> tuple[list[Job], list[Outcome]]:
    """Check every file and name its report; return the jobs and the files refused."""
    jobs: list[Job] = []
    refused: list[Outcome] = []
    for path in _candidates(paths):
        assessment, reason = check_file(path)
        if assessment is None:
            refused.append(Outcome(path, False, error=reason))
            continue
        previous = find_previous(assessment, path, previous_dir) if previous_dir else None
        jobs.append(Job(path, assessment, out_dir, previous))
    # <team>--<framework>.html; the respondent (then a number) tells same-named ones apart.
    base = {id(j): f"{slug(j.assessment.team, 'team')}--{slug(j.assessment.framework)}" for j in jobs}
    clashes = {name for name in base.values() if list(base.values()).count(name) > 1}
    used: set[str] = set()
    for job in jobs:
        name = base[id(job)]
        if name in clashes:
            name += f"--{slug(job.assessment.respondent)}"
        unique, n = name, 2
        while unique in used:
            unique, n = f"{name}-{n}", n + 1
        used.add(unique)
        job.output = out_dir / f"{unique}.html"
    return jobs, refused


__all__ = ["Job", "check_file", "find_previous", "plan"]
