"""One person's working session on one assessment: answer, autosave, rounds, upload.

The widget app (:mod:`mlops_workbook.widgets`) is a thin view over this class, so the
rules about files — where they live, that every change is saved atomically, that a
reload resumes exactly where it was — are tested without any widgets.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .assessment import (
    assessment_path,
    check_assessment,
    load_assessment,
    new_assessment,
    parse_assessment,
    round_path,
    save_assessment,
    set_answer,
    start_new_round,
)
from .errors import Problem, WorkbookError
from .files import parse_json
from .frameworks import load_framework
from .paths import ASSESSMENTS_DIR, EXAMPLES_DIR, MAX_FILE_BYTES
from .schema import Assessment, Framework
from .scoring import ScoreCard, score_assessment

#: The identity under which `make app` opens the bundled example of each model.
DEMO_TEAM = "Example team"
DEMO_RESPONDENT = "example"


def example_for(framework_id: str, folder: Path = EXAMPLES_DIR) -> Path | None:
    """The bundled example assessment of a framework, if there is one."""
    found = sorted(folder.glob(f"{framework_id}-*.json"))
    return found[0] if found else None


def demo_seed(framework_id: str, team: str, respondent: str) -> Path | None:
    """The bundled example, only for the demo identity: real respondents start blank."""
    if team.strip() == DEMO_TEAM and respondent.strip() == DEMO_RESPONDENT:
        return example_for(framework_id)
    return None


@dataclass
class Session:
    """The assessment being answered, where it is saved, and what was last saved when."""

    framework: Framework
    assessment: Assessment
    path: Path
    saved_at: datetime | None = None
    problems: list[Problem] = field(default_factory=list)
    _disk_version: int = 0  # mtime_ns of the file as last read or written by this session
    _previous: tuple[str, Assessment | None] = ("", None)  # the previous round, read once

    @classmethod
    def open(
        cls,
        framework: str | Framework,
        *,
        team: str,
        respondent: str,
        organisation: str = "",
        folder: str | Path = ASSESSMENTS_DIR,
        seed: str | Path | None = None,
    ) -> Session:
        """Resume the saved file of this team and respondent, or start one.

        A new file starts from ``seed`` (an example assessment, with its answers) when
        given, else blank. A file that exists but cannot be read is never overwritten:
        :class:`WorkbookError` says what is wrong with it.
        """
        fw = framework if isinstance(framework, Framework) else load_framework(framework)
        path = assessment_path(folder, fw.id, team, respondent)
        if path.exists():
            assessment = load_assessment(path)
            problems = check_assessment(assessment, fw, str(path))
            errors = [p for p in problems if p.severity == "error"]
            if errors:
                raise WorkbookError(errors)
            return cls(fw, assessment, path, problems=problems, _disk_version=path.stat().st_mtime_ns)
        if seed:
            assessment = load_assessment(seed)
            assessment.framework_version = fw.version
            assessment.created = assessment.updated = datetime.now(assessment.created.tzinfo)
        else:
            assessment = new_assessment(fw)
        assessment.team, assessment.respondent = team, respondent
        assessment.organisation = organisation or assessment.organisation
        session = cls(fw, assessment, path)
        session.save()
        return session

    @staticmethod
    def peek(
        framework: Framework,
        *,
        team: str,
        respondent: str,
        folder: str | Path = ASSESSMENTS_DIR,
        seed: str | Path | None = None,
    ) -> Assessment | None:
        """The saved (or seed) assessment of a team and respondent, without creating a file."""
        path = assessment_path(folder, framework.id, team, respondent)
        try:
            if path.exists():
                return load_assessment(path)
            return load_assessment(seed) if seed else None
        except WorkbookError:
            return None

    def sync(self) -> bool:
        """Re-read the file if someone else (another tab, another kernel) saved it since.

        Called before every change, so a stale page never overwrites newer answers.
        Returns True when the assessment was reloaded.
        """
        try:
            version = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return False
        if version == self._disk_version:
            return False
        self.assessment = load_assessment(self.path)
        self._disk_version = version
        return True

    # ------------------------------------------------------------------ changes

    def answer(self, question_id: str, value: int | str | None) -> None:
        set_answer(self.assessment, question_id, value)
        self.save()

    def note(self, question_id: str, text: str) -> None:
        set_answer(self.assessment, question_id, note=text)
        self.save()

    def na_reason(self, question_id: str, text: str) -> None:
        set_answer(self.assessment, question_id, na_reason=text)
        self.save()

    def target(self, dimension_id: str, level_id: str | None) -> None:
        if level_id:
            self.assessment.targets[dimension_id] = level_id
        else:
            self.assessment.targets.pop(dimension_id, None)
        self.save()

    def rename(self, *, organisation: str | None = None) -> None:
        if organisation is not None:
            self.assessment.organisation = organisation
        self.save()

    def save(self) -> Path:
        """Save atomically; raises ``OSError`` for the caller to show, never swallows it."""
        save_assessment(self.assessment, self.path)
        self.saved_at = datetime.now()
        self._disk_version = self.path.stat().st_mtime_ns
        return self.path

    # ------------------------------------------------------------------ derived

    def score(self) -> ScoreCard:
        return score_assessment(self.framework, self.assessment)

    def previous(self) -> Assessment | None:
        """The previous round, when this assessment is a later round and it can be read.

        Archived rounds do not change, so it is read once, not on every answer.
        """
        name = self.assessment.previous
        if not name:
            return None
        if self._previous[0] != name:
            try:
                self._previous = (name, load_assessment(self.path.with_name(name)))
            except WorkbookError:
                self._previous = (name, None)
        return self._previous[1]

    # ------------------------------------------------------------------ rounds and uploads

    def new_round(self) -> Path:
        """Archive the current round beside the file and continue with a copy of it.

        Returns the archive's path. The radar can then overlay the previous round.
        """
        archive = round_path(self.path, self.assessment.round)
        shutil.copyfile(self.path, archive)
        self.assessment = start_new_round(self.assessment, archive.name)
        self.save()
        return archive

    def replace_with_upload(self, content: bytes, filename: str) -> list[Problem]:
        """Load an uploaded assessment into this session (team/respondent kept).

        Returns the problems found; on any error nothing changes.
        """
        name = Path(filename).name or "upload"
        if len(content) > MAX_FILE_BYTES:
            return [
                Problem(
                    name,
                    "",
                    f"file is too large ({len(content) / 1e6:.1f} MB)",
                    "upload an assessment JSON file of a few kilobytes",
                )
            ]
        try:
            text = content.decode("utf-8-sig")
            uploaded = parse_assessment(parse_json(text, name), name)
        except UnicodeDecodeError:
            return [Problem(name, "", "is not UTF-8 text", "upload the JSON file saved by the workbook")]
        except WorkbookError as exc:
            return exc.problems
        problems = check_assessment(uploaded, self.framework, name)
        if any(p.severity == "error" for p in problems):
            return problems
        uploaded.team, uploaded.respondent = self.assessment.team, self.assessment.respondent
        self.assessment = uploaded
        self.save()
        return problems
