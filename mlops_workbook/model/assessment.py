"""Assessment files: create, load, check against a bank, save atomically, start rounds."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import file_lock, load_data, problems_from_validation, write_atomic
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.schema import SCHEMA_VERSION, Answer, AnswerScale, Assessment, Framework, now_utc


def new_assessment(
    framework: Framework,
    *,
    organisation: str = "",
    team: str = "",
    respondent: str = "",
    targets: dict[str, str] | None = None,
) -> Assessment:
    """A blank assessment of ``framework``: no answers yet."""
    return Assessment(
        framework=framework.id,
        framework_version=framework.version,
        organisation=organisation,
        team=team,
        respondent=respondent,
        targets=dict(targets or {}),
    )


def parse_assessment(data: object, name: str) -> Assessment:
    """Validate already-parsed JSON data as an assessment (all problems at once)."""
    if not isinstance(data, dict):
        raise WorkbookError([Problem(name, "", "is not an assessment (expected a JSON object)")])
    if "answers" not in data or "framework" not in data:
        raise WorkbookError(
            [
                Problem(
                    name,
                    "",
                    "is not an mlops-workbook assessment (no 'framework' or 'answers')",
                    "create one with `mlops-workbook new FRAMEWORK -o FILE`",
                )
            ]
        )
    version = data.get("schema_version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise WorkbookError(
            [
                Problem(
                    name,
                    "schema_version",
                    f"was written by a newer mlops-workbook (schema {version}; this one reads {SCHEMA_VERSION})",
                    "upgrade mlops-workbook",
                )
            ]
        )
    try:
        return Assessment.model_validate(data, context={"scale": answer_scale_of(data.get("framework"))})
    except ValidationError as exc:
        raise WorkbookError(problems_from_validation(name, data, exc)) from None


def answer_scale_of(framework_id: object) -> AnswerScale | None:
    """The answer scale of a known bank (so messages name its values), else None."""
    try:
        return load_framework(str(framework_id)).scale if isinstance(framework_id, str) else None
    except WorkbookError:
        return None


def load_assessment(path: str | Path) -> Assessment:
    """Read an assessment file. Never modifies or deletes it, whatever it contains."""
    return parse_assessment(load_data(path), display_name(path))


def check_assessment(assessment: Assessment, framework: Framework, name: str = "") -> list[Problem]:
    """Problems of an assessment against its bank: errors and warnings, all at once.

    Answers to question ids the bank does not know (after a bank update, say) are a
    warning: they stay in the file and are reported, never dropped.
    """
    problems: list[Problem] = []
    if assessment.framework != framework.id:
        problems.append(
            Problem(
                name,
                "framework",
                f"answers {assessment.framework!r}, not {framework.id!r}",
                "score it against its own framework",
            )
        )
        return problems
    if assessment.framework_version and assessment.framework_version != framework.version:
        problems.append(
            Problem(
                name,
                "framework_version",
                f"was answered on bank version {assessment.framework_version}; the bank is now {framework.version}",
                "review answers to questions that changed",
                "warning",
            )
        )
    known = framework.question_ids
    scale = framework.scale
    for qid, answer in assessment.answers.items():
        if qid not in known:
            problems.append(
                Problem(
                    name,
                    f"answers.{qid}",
                    "is not a question of this bank (kept in the file, not scored)",
                    "the question may have been renamed or removed in a bank update",
                    "warning",
                )
            )
        elif scale.problem(answer.value):
            what = str(scale.problem(answer.value))
            problems.append(Problem(name, f"answers.{qid}.value", what, "pick one of these answers"))
        elif answer.value == "na" and not answer.na_reason.strip():
            problems.append(
                Problem(
                    name,
                    f"answers.{qid}.na_reason",
                    "is missing: an N/A answer needs a reason (N/A leaves the question out of the score)",
                    "say why the practice does not apply to this team, or give an answer from the scale",
                    "warning",
                )
            )
    dimension_ids = [d.id for d in framework.dimensions]
    level_ids = [lv.id for lv in framework.levels_by_rank]
    for dim, level in assessment.targets.items():
        if dim not in dimension_ids:
            what, choices = "is not a dimension of this framework", dimension_ids
        elif level not in level_ids:
            what, choices = f"{level!r} is not a level of this framework", level_ids
        else:
            continue
        problems.append(Problem(name, f"targets.{dim}", what, f"use one of: {', '.join(choices)}"))
    return problems


def to_json(assessment: Assessment) -> str:
    return json.dumps(assessment.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def save_assessment(assessment: Assessment, path: str | Path, *, touch: bool = True) -> Path:
    """Save atomically: the file on disk is always either the old or the new version."""
    if touch:
        assessment.updated = now_utc()
    write_atomic(path, to_json(assessment))
    return Path(path)


_SEPARATORS = re.compile(r"[\s_-]+")
_DASHES = re.compile(r"-{2,}")
_LEGACY_UNSAFE = re.compile(r"[^a-z0-9]+")
#: A slug part stays within this many UTF-8 bytes, so that ``<team>--<respondent>``, a
#: ``.round-N`` suffix and the temporary and lock names around it fit a 255-byte file name.
_MAX_SLUG_BYTES = 90


def identity_key(text: str) -> str:
    """The form of a name that identifies a person or team: two names with the same key are one.

    NFKC-normalised (full-width and compatibility forms folded), case-folded, and runs of
    spaces, ``-`` and ``_`` read as one space. Letters of every script are kept as they are.

    >>> identity_key("  Demand_Forecasting ") == identity_key("demand forecasting")
    True
    >>> identity_key("김민준") == identity_key("이서연")
    False
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _SEPARATORS.sub(" ", folded).strip()


def _kept(char: str) -> bool:
    """Letters, digits and combining marks of any script: safe in a file name."""
    return unicodedata.category(char)[0] in "LNM"


def slug(text: str, fallback: str = "anonymous", max_length: int = 60) -> str:
    """A file-name-safe id that tells different names apart, whatever their script.

    The name's :func:`identity_key` with spaces as ``-`` and anything that is not a
    letter, digit or mark (``/``, ``.``, ``&``…) as ``-``, cut to ``max_length``
    characters. Whenever that loses information (punctuation replaced, text cut, or a
    name that reads like ``fallback``), ``_`` and 8 hex digits of the SHA-256 of the
    full key are appended, so two different names never share a slug. Plain names
    (letters, digits, spaces) keep the slug they always had. An empty name gives
    ``fallback``.

    >>> slug("Demand Forecasting"), slug("R07"), slug("営業"), slug("")
    ('demand-forecasting', 'r07', '営業', 'anonymous')
    >>> slug("../../etc/Passwd")
    'etc-passwd_3754d6cb'
    """
    key = identity_key(text)
    if not key:
        return fallback
    cleaned = _DASHES.sub("-", "".join(c if _kept(c) else "-" for c in key.replace(" ", "-"))).strip("-")
    short = cleaned[:max_length]
    while len(short.encode("utf-8", "surrogatepass")) > _MAX_SLUG_BYTES:
        short = short[:-1]
    short = short.strip("-")
    lossless = short == cleaned == key.replace(" ", "-") and cleaned != fallback
    if lossless:
        return short
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{short or fallback}_{digest}"


def _legacy_slug(text: str, fallback: str) -> str:
    """The ASCII-only slug of earlier versions (accents dropped, other scripts lost)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = _LEGACY_UNSAFE.sub("-", ascii_text.lower()).strip("-")[:60].strip("-")
    return cleaned or fallback


def assessment_path(folder: str | Path, framework_id: str, team: str, respondent: str) -> Path:
    """``<folder>/<framework>/<team>--<respondent>.json`` with every part a :func:`slug`.

    Different (team, respondent) pairs get different files: the slugs never contain
    ``--`` and never collide.
    """
    return Path(folder) / slug(framework_id) / f"{slug(team, 'team')}--{slug(respondent)}.json"


def belongs_to(assessment: Assessment, team: str, respondent: str) -> bool:
    """Whether the assessment is this team's and respondent's (names compared by identity key)."""
    return identity_key(assessment.team) == identity_key(team) and identity_key(assessment.respondent) == identity_key(
        respondent
    )


class Owned(Protocol):
    """A file's content that names its owner: an assessment, a person's core answers."""

    @property
    def team(self) -> str: ...

    @property
    def respondent(self) -> str: ...


def owner_problems(on_disk: Owned, team: str, respondent: str, name: str) -> list[Problem]:
    """Why a file that belongs to someone else must not be written for ``team``/``respondent``."""
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


def refuse_others(on_disk: Owned, owner: Owned, path: Path) -> None:
    """Raise :class:`WorkbookError` when the file at ``path`` is not ``owner``'s (its team and respondent)."""
    problems = owner_problems(on_disk, owner.team, owner.respondent, display_name(path))
    if problems:
        raise WorkbookError(problems)


def rewrite_own(
    path: Path, framework_id: str, team: str, respondent: str, rewrite: Callable[[Assessment | None], Assessment]
) -> Assessment:
    """Under the file's lock, save ``rewrite(the assessment at path, or None)`` there and return it.

    Refuses (:class:`WorkbookError`) a file that is another person's or another model's.
    """
    with file_lock(path):
        on_disk = load_assessment(path) if path.exists() else None
        if on_disk is not None:
            problems = owner_problems(on_disk, team, respondent, display_name(path))
            if on_disk.framework != framework_id:
                where = display_name(path)
                problems.append(Problem(where, "framework", f"is {on_disk.framework!r}, not {framework_id!r}"))
            if problems:
                raise WorkbookError(problems)
        result = rewrite(on_disk)
        save_assessment(result, path, touch=False)
    return result


def find_assessment(folder: str | Path, framework_id: str, team: str, respondent: str) -> Path:
    """The file of this team and respondent: :func:`assessment_path`, or their file of an
    earlier version (named by the old ASCII-only slug) when that one exists and is theirs.
    """
    path = assessment_path(folder, framework_id, team, respondent)
    if path.exists():
        return path
    legacy = (
        Path(folder)
        / slug(framework_id)
        / f"{_legacy_slug(team, 'team')}--{_legacy_slug(respondent, 'anonymous')}.json"
    )
    if legacy != path and legacy.is_file():
        try:
            if belongs_to(load_assessment(legacy), team, respondent):
                return legacy
        except WorkbookError:
            pass
    return path


def start_new_round(previous: Assessment, previous_file: str = "") -> Assessment:
    """A new dated assessment that starts from the previous round's answers."""
    copy = previous.model_copy(deep=True)
    stamp = now_utc()
    copy.round = previous.round + 1
    copy.previous = previous_file
    copy.created = stamp
    copy.updated = stamp
    return copy


def round_path(current: Path, round_number: int) -> Path:
    """Where an archived round of ``current`` is kept: ``<name>.round-<n>.json`` beside it."""
    return current.with_name(f"{current.stem}.round-{round_number}.json")


#: A part of an answer that :func:`set_answer` leaves as it is.
KEEP = object()


class Answered(Protocol):
    """Answers by id: an assessment's (by question), a person's core answers (by core item)."""

    answers: dict[str, Answer]


def set_answer(
    assessment: Answered,
    question_id: str,
    value: int | str | object | None = KEEP,
    *,
    note: str | object = KEEP,
    na_reason: str | object = KEEP,
) -> Answer:
    """Change one answer in place; parts not given keep their current content.

    ``value=None`` clears the answer but keeps its note: an answer is never lost
    because its value was taken back.
    """
    old = assessment.answers.get(question_id) or Answer()
    answer = Answer(
        value=old.value if value is KEEP else value,
        note=old.note if note is KEEP else note,
        na_reason=old.na_reason if na_reason is KEEP else na_reason,
    )
    if answer.value is None and not answer.note and not answer.na_reason:
        assessment.answers.pop(question_id, None)
    else:
        assessment.answers[question_id] = answer
    return answer
