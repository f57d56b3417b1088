"""One person's working session on one assessment: answer, autosave, rounds, upload.

The widget app (:mod:`mlops_workbook.app.widgets`) is a thin view over this class, so the
rules about files — where they live, that every change is saved atomically, that a
reload resumes exactly where it was — are tested without any widgets.

Several pages (tabs, kernels, processes) may save one file at the same time. Every
change therefore takes the file's lock, re-reads the file, applies only that change
(one answer's value, note or N/A reason, one target, the organisation) to what is on
disk, writes atomically and keeps the merged result: no page overwrites another's
answers with its stale copy. A file that belongs to another team or respondent, or
that cannot be read, is never written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mlops_workbook.app.identity import check_own_file
from mlops_workbook.model.assessment import (
    check_assessment,
    find_assessment,
    load_assessment,
    new_assessment,
    owner_problems,
    parse_assessment,
    refuse_others,
    round_path,
    save_assessment,
    set_answer,
    start_new_round,
)
from mlops_workbook.model.checked import load_checked
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import file_lock, parse_json
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import ASSESSMENTS_DIR, EXAMPLES_DIR, MAX_FILE_BYTES
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.scoring.rules import ScoreCard, score_assessment

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


def start_assessment(framework: Framework, seed: str | Path | None = None) -> Assessment:
    """A new assessment: a copy of ``seed`` (an example, with its answers) dated now, or a blank one."""
    if not seed:
        return new_assessment(framework)
    assessment = load_assessment(seed)
    assessment.framework_version = framework.version
    assessment.created = assessment.updated = datetime.now(assessment.created.tzinfo)
    return assessment


def _version(path: Path) -> tuple[int, int, int] | None:
    """What identifies one saved version of a file (an atomic save makes a new inode)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


@dataclass
class HeldLock:
    """A file's lock (:func:`file_lock`) held by one session, taken once: a save inside a change does not
    lock again (the lock is not re-entrant)."""

    holding: bool = False

    @contextmanager
    def hold(self, path: Path) -> Iterator[None]:
        if self.holding:
            yield
            return
        with file_lock(path):
            self.holding = True
            try:
                yield
            finally:
                self.holding = False


@dataclass
class Session:
    """The assessment being answered, where it is saved, and what was last saved when."""

    framework: Framework
    assessment: Assessment
    path: Path
    saved_at: datetime | None = None
    problems: list[Problem] = field(default_factory=list)
    _disk_version: tuple[int, int, int] | None = None  # the file as last read or written here
    _merged_outside: bool = False  # the last save took in changes made elsewhere
    _lock: HeldLock = field(default_factory=HeldLock)  # this session's hold on the file's lock
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
        given, else blank. A file that exists but cannot be read, or that belongs to
        another team or respondent, is never overwritten: :class:`WorkbookError` says
        what is wrong with it.
        """
        fw = framework if isinstance(framework, Framework) else load_framework(framework)
        check_own_file(respondent, f"{fw.id}/{team}--{respondent}")  # on a hub: only the user's own files
        path = find_assessment(folder, fw.id, team, respondent)
        session = cls(fw, new_assessment(fw, team=team, respondent=respondent), path)
        with session._locked():  # two pages opening a new file at once create it once
            if path.exists():
                checked = load_checked(path, fw, raise_errors=False)
                assessment = checked.assessment
                problems = owner_problems(assessment, team, respondent, checked.name) + checked.problems
                errors = [p for p in problems if p.severity == "error"]
                if errors:
                    raise WorkbookError(errors)
                session.assessment, session.problems, session._disk_version = assessment, problems, _version(path)
                return session
            assessment = start_assessment(fw, seed)
            assessment.team, assessment.respondent = team, respondent
            assessment.organisation = organisation or assessment.organisation
            session.assessment = assessment
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
        path = find_assessment(folder, framework.id, team, respondent)
        try:
            if path.exists():
                return load_assessment(path)
            return load_assessment(seed) if seed else None
        except WorkbookError:
            return None

    def sync(self) -> bool:
        """Re-read the file if someone else (another tab, another kernel) saved it since.

        Called before every change, so that the page shows what others saved. Also
        True once after a save merged in changes made elsewhere. Returns True when
        the assessment was reloaded or merged.
        """
        merged, self._merged_outside = self._merged_outside, False
        version = _version(self.path)
        if version is None or version == self._disk_version:
            return merged
        self.assessment = load_assessment(self.path)
        self._disk_version = version
        return True

    # ------------------------------------------------------------------ changes

    def answer(self, question_id: str, value: int | str | None) -> None:
        self._update(lambda a: set_answer(a, question_id, value))

    def note(self, question_id: str, text: str) -> None:
        self._update(lambda a: set_answer(a, question_id, note=text))

    def na_reason(self, question_id: str, text: str) -> None:
        self._update(lambda a: set_answer(a, question_id, na_reason=text))

    def target(self, dimension_id: str, level_id: str | None) -> None:
        def change(a: Assessment) -> None:
            if level_id:
                a.targets[dimension_id] = level_id
            else:
                a.targets.pop(dimension_id, None)

        self._update(change)

    def rename(self, *, organisation: str | None = None) -> None:
        def change(a: Assessment) -> None:
            if organisation is not None:
                a.organisation = organisation

        self._update(change)

    def save(self) -> Path:
        """Write the assessment as it is in memory, whole: every save of the session ends here.

        The changes above call it with the file's lock held, after merging; called on
        its own it takes the lock and first checks the file on disk is this person's.
        Raises ``OSError`` for the caller to show, never swallows it, and
        :class:`WorkbookError` when the file on disk belongs to someone else.
        """
        if self._lock.holding:
            self._write()
        else:
            with self._locked():
                self._on_disk()
                self._write()
        return self.path

    def _update(self, change: Callable[[Assessment], object]) -> None:
        """Apply one change to the file as it is on disk now, under its lock, and keep the result."""
        with self._locked():
            fresh = self._on_disk()
            merged = fresh if fresh is not None else self.assessment.model_copy(deep=True)
            outside = fresh is not None and fresh != self.assessment
            change(merged)
            self.assessment = merged
            self.save()
        self._merged_outside = self._merged_outside or outside

    def _locked(self) -> AbstractContextManager[None]:
        """Hold the file's lock (once: a save inside a change does not lock again)."""
        return self._lock.hold(self.path)

    def _on_disk(self) -> Assessment | None:
        """The file as saved now (None if there is none yet); call with the lock held.

        Raises :class:`WorkbookError` when it cannot be read or is someone else's.
        """
        if not self.path.exists():
            return None
        fresh = load_assessment(self.path)
        refuse_others(fresh, self.assessment, self.path)
        return fresh

    def _write(self) -> None:
        """Save the assessment atomically; call with the lock held."""
        check_own_file(self.assessment.respondent, display_name(self.path))
        save_assessment(self.assessment, self.path)
        self.saved_at = datetime.now()
        self._disk_version = _version(self.path)

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
        with self._locked():
            current = self._on_disk() or self.assessment
            archive = round_path(self.path, current.round)
            save_assessment(current, archive, touch=False)
            self.assessment = start_new_round(current, archive.name)
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
        with self._locked():
            self._on_disk()  # never replaces a file that is someone else's or unreadable
            self.assessment = uploaded
            self.save()
        return problems
