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

import functools
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mlops_workbook.app.identity import check_own_file
from mlops_workbook.app.session import HeldLock
from mlops_workbook.model.assessment import (
    KEEP,
    assessment_path,
    find_assessment,
    refuse_others,
    rewrite_own,
    set_answer,
)
from mlops_workbook.model.core import CoreAnswers, CoreBundle, load_core_answers
from mlops_workbook.model.errors import Problem, display_name
from mlops_workbook.model.files import write_atomic
from mlops_workbook.model.paths import ASSESSMENTS_DIR
from mlops_workbook.model.schema import AnswerValue, Assessment, now_utc
from mlops_workbook.scoring.derive import derive_assessment

#: The sub-folder of the assessments folder that holds core answer files.
CORE_FOLDER = "core"


def derive_into(bundle: CoreBundle, framework_id: str, answers: CoreAnswers, folder: Path) -> tuple[Path, Assessment]:
    """Derive one model into the person's file, keeping their own-wording answers; refuse someone else's file."""
    path = find_assessment(folder, framework_id, answers.team, answers.respondent)
    check_own_file(answers.respondent, display_name(path))
    derive = functools.partial(derive_assessment, bundle, framework_id, answers)
    return path, rewrite_own(path, framework_id, answers.team, answers.respondent, derive)


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
    _lock: HeldLock = field(default_factory=HeldLock)

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

    def _update(self, item_id: str, value: object = KEEP, note: object = KEEP, na_reason: object = KEEP) -> None:
        """Apply one change to the file as it is on disk now, under its lock; then derive every model."""
        with self._locked():
            merged = self._on_disk() or self.answers.model_copy(deep=True)
            set_answer(merged, item_id, value, note=note, na_reason=na_reason)
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

    def _locked(self) -> AbstractContextManager[None]:
        return self._lock.hold(self.path)

    def _on_disk(self) -> CoreAnswers | None:
        """The file as saved now (None when there is none); :class:`WorkbookError` when it is someone else's."""
        if not self.path.exists():
            return None
        on_disk, self.problems = load_core_answers(self.path, self.bundle)
        refuse_others(on_disk, self.answers, self.path)
        return on_disk

    def _write(self) -> None:
        check_own_file(self.answers.respondent, display_name(self.path))
        write_atomic(self.path, self.answers.model_dump_json(indent=2) + "\n")
        self.saved_at = datetime.now()
