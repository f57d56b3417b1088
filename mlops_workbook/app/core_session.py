"""One person's answers to the core questionnaire, and the three model assessments derived from them.

The core answers live in ``<folder>/core/<team>--<respondent>.json`` (a
:class:`~mlops_workbook.model.core.CoreAnswers` file). Saving works as in
:class:`~mlops_workbook.app.session.Session`: every change takes the file's lock, re-reads
the file, applies only that change, writes atomically; a file that belongs to someone else
(or, on a hub, another user's) is never written. After every change each model's
assessment is derived again into ``<folder>/<model>/<team>--<respondent>.json`` (the file
the model's own view, ``score`` and ``report`` read), keeping the answers given there in the
model's own wording.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mlops_workbook.app.identity import check_own_file
from mlops_workbook.model.assessment import (
    assessment_path,
    find_assessment,
    identity_key,
    load_assessment,
    owner_problems,
    save_assessment,
)
from mlops_workbook.model.core import CoreAnswers, CoreBundle, load_core_answers
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import file_lock, write_atomic
from mlops_workbook.model.paths import ASSESSMENTS_DIR
from mlops_workbook.model.schema import Answer, AnswerValue, Assessment, now_utc
from mlops_workbook.scoring.derive import derive_assessment

#: The sub-folder of the assessments folder that holds core answer files.
CORE_FOLDER = "core"
_KEEP = object()


def core_owner_problems(on_disk: CoreAnswers, team: str, respondent: str, name: str) -> list[Problem]:
    """Why a core answer file that belongs to someone else must not be written for ``team``/``respondent``."""
    problems = []
    for field_name, theirs, ours in (("team", on_disk.team, team), ("respondent", on_disk.respondent, respondent)):
        if identity_key(theirs) != identity_key(ours):
            problems.append(
                Problem(
                    name,
                    field_name,
                    f"is {theirs!r} in this file, not {ours!r}: it belongs to someone else and is not overwritten",
                    "check the team and respondent you entered, or move the file aside",
                )
            )
    return problems


def derive_into(bundle: CoreBundle, framework_id: str, answers: CoreAnswers, folder: Path) -> tuple[Path, Assessment]:
    """Derive one model into the person's file, keeping their own-wording answers; refuse someone else's file."""
    path = find_assessment(folder, framework_id, answers.team, answers.respondent)
    check_own_file(answers.respondent, display_name(path))
    with file_lock(path):
        explicit = None
        if path.exists():
            explicit = load_assessment(path)
            problems = owner_problems(explicit, answers.team, answers.respondent, display_name(path))
            if explicit.framework != framework_id:
                problems.append(
                    Problem(display_name(path), "framework", f"is {explicit.framework!r}, not {framework_id!r}")
                )
            if problems:
                raise WorkbookError(problems)
        derived = derive_assessment(bundle, framework_id, answers, explicit)
        save_assessment(derived, path, touch=False)
    return path, derived


@dataclass
class CoreSession:
    """A person's core answers, where they are saved, and the models' assessments derived from them."""

    bundle: CoreBundle
    answers: CoreAnswers
    path: Path
    folder: Path
    derived: dict[str, Assessment] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    saved_at: datetime | None = None
    problems: list[Problem] = field(default_factory=list)
    _holding: bool = False

    @classmethod
    def open(
        cls, bundle: CoreBundle, *, team: str, respondent: str, organisation: str = "", folder: str | Path = ""
    ) -> CoreSession:
        """Resume this person's core answers or start them; :class:`WorkbookError` for someone else's file."""
        base = Path(folder) if folder else ASSESSMENTS_DIR
        check_own_file(respondent, f"{CORE_FOLDER}/{team}--{respondent}")  # on a hub: only the user's own files
        path = assessment_path(base, CORE_FOLDER, team, respondent)
        blank = CoreAnswers(
            core_version=bundle.core.version, organisation=organisation, team=team, respondent=respondent
        )
        session = cls(bundle, blank, path, base)
        with session._locked():
            on_disk = session._on_disk()
            if on_disk is None:
                session._write()
            else:
                session.answers = on_disk
        session.derive()
        return session

    # ------------------------------------------------------------------ changes

    def answer(self, item_id: str, value: AnswerValue | None) -> None:
        self._update(item_id, value=value)

    def note(self, item_id: str, text: str) -> None:
        self._update(item_id, note=text)

    def na_reason(self, item_id: str, text: str) -> None:
        self._update(item_id, na_reason=text)

    def _update(self, item_id: str, value: object = _KEEP, note: object = _KEEP, na_reason: object = _KEEP) -> None:
        """Apply one change to the file as it is on disk now, under its lock; then derive every model."""
        with self._locked():
            merged = self._on_disk() or self.answers.model_copy(deep=True)
            old = merged.answers.get(item_id) or Answer()
            new = Answer(
                value=old.value if value is _KEEP else value,
                note=old.note if note is _KEEP else note,
                na_reason=old.na_reason if na_reason is _KEEP else na_reason,
            )
            if new.value is None and not new.note and not new.na_reason:
                merged.answers.pop(item_id, None)
            else:
                merged.answers[item_id] = new
            merged.updated = now_utc()
            self.answers = merged
            self._write()
        self.derive()

    def derive(self) -> dict[str, Assessment]:
        """Derive every model into its file (the model views and reports read them); keep and return them."""
        for framework_id in self.bundle.frameworks:
            self.paths[framework_id], self.derived[framework_id] = derive_into(
                self.bundle, framework_id, self.answers, self.folder
            )
        return self.derived

    def sync(self) -> bool:
        """Re-read the core file when it changed on disk (another tab or kernel); True when it did."""
        on_disk = self._on_disk() if self.path.exists() else None
        if on_disk is None or on_disk == self.answers:
            return False
        self.answers = on_disk
        return True

    # ------------------------------------------------------------------ the file

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if self._holding:
            yield
            return
        with file_lock(self.path):
            self._holding = True
            try:
                yield
            finally:
                self._holding = False

    def _on_disk(self) -> CoreAnswers | None:
        """The file as saved now (None when there is none); :class:`WorkbookError` when it is someone else's."""
        if not self.path.exists():
            return None
        on_disk, self.problems = load_core_answers(self.path, self.bundle)
        problems = core_owner_problems(on_disk, self.answers.team, self.answers.respondent, display_name(self.path))
        if problems:
            raise WorkbookError(problems)
        return on_disk

    def _write(self) -> None:
        check_own_file(self.answers.respondent, display_name(self.path))
        write_atomic(self.path, self.answers.model_dump_json(indent=2) + "\n")
        self.saved_at = datetime.now()
