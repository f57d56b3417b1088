"""Import workshop answers from a form or spreadsheet export (CSV).

The layout, for whoever prepares the form or spreadsheet:

* **One header row**, then **one row per respondent**. Spreadsheet row numbers are used
  in error messages (the header is row 1).
* Columns ``team`` and ``respondent`` are required, ``organisation`` is optional; then
  **one column per question id** of the model, in bank order in the template
  (``mlops-workbook workshop template aws``). Column order does not matter on import
  and a question column may be left out (its answers stay unanswered, with a warning).
* A cell holds a value of the bank's answer scale (``0``-``4`` on the maturity scale;
  whole numbers, ``3.0`` is read as 3), ``na`` (not applicable) and ``unknown`` (don't
  know) where the scale offers them, or nothing (not answered). Words are read
  case-insensitively.
* Optional ``note:<question id>`` columns hold evidence or context for that answer.
* Separator: comma, semicolon (Excel in many locales) or tab, detected from the header;
  UTF-8 with or without a byte-order mark. Files over 16 MB are refused.
* ``team`` + ``respondent`` must be unique: each row becomes the file
  ``<folder>/<framework>/<team>--<respondent>.json`` (names made file-safe), so two rows
  whose names only differ in case or punctuation would overwrite each other and are
  reported (names in any script are kept apart). Text is kept as text: nothing in a cell
  is ever evaluated. A text cell starting with ``=``, ``+``, ``-``, ``@`` (which a
  spreadsheet may run as a formula) imports as it is, with a warning; every CSV the
  workbook writes prefixes such cells with ``'`` (see :func:`~mlops_workbook.model.files.neutralise_cell`).

Every problem is reported at once, naming the file, the row, the column and the fix.
Rows with an error are skipped and the others import, except when the header itself is
wrong (an unknown or doubled column): then nothing imports, since answers in that column
would be lost.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from pydantic import ValidationError

from mlops_workbook.model.assessment import slug
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import FORMULA_START, csv_text, file_lock, read_text
from mlops_workbook.model.schema import Answer, AnswerScale, Assessment, Framework

#: A CSV of 5,000 respondents x 60 questions with short notes is ~2 MB; this leaves room.
MAX_CSV_BYTES = 16 * 1024 * 1024
PERSON_COLUMNS = ("team", "respondent", "organisation")
NOTE_PREFIX = "note:"
_DELIMITERS = (",", ";", "\t")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def csv_template(framework: Framework, *, notes: bool = False, example: bool = False) -> str:
    """A blank CSV for one model: the header row (and optionally one example row).

    Parameters
    ----------
    framework
        The bank whose question ids become the columns, in bank order.
    notes
        Add a ``note:<question id>`` column after each question.
    example
        Add one filled-in row (team ``example``) showing every kind of value; delete it
        before collecting answers, or it imports like any other row.
    """
    header = list(PERSON_COLUMNS)
    for question in framework.questions:
        header.append(question.id)
        if notes:
            header.append(NOTE_PREFIX + question.id)
    rows = [header]
    if example:
        scale = framework.scale  # every kind of value, as far as the bank's scale offers it
        cycle = ["3", "na", "unknown", "", "0", "4", "2", "1"]
        cycle = [c for c in cycle if c in ("", *scale.words) or (c.isdigit() and int(c) in scale.values)]
        row = ["example", "r01", ""]
        for i, _ in enumerate(framework.questions):
            row.append(cycle[i % len(cycle)])
            if notes:
                row.append("evidence: see the runbook" if i == 0 else "")
        rows.append(row)
    return csv_text(rows)


def import_csv(path: str | Path, framework: Framework) -> tuple[list[Assessment], list[Problem]]:
    """Read a responses CSV: one individual assessment per valid row, and every problem.

    Raises
    ------
    WorkbookError
        When the file as a whole cannot be used (missing, too large, not UTF-8, no
        ``team``/``respondent`` header). Row problems are returned, not raised.
    """
    name = display_name(path)
    p = Path(path)
    if p.is_file() and p.stat().st_size > MAX_CSV_BYTES:
        size = p.stat().st_size / 1e6
        raise WorkbookError(
            [
                Problem(
                    name,
                    "",
                    f"is too large ({size:.1f} MB; the limit is {MAX_CSV_BYTES / 1e6:.0f} MB)",
                    "is this the right file? split it by team and import each part",
                )
            ]
        )
    return parse_csv(read_text(p, max_bytes=MAX_CSV_BYTES), framework, name)


def parse_csv(
    data: str | bytes, framework: Framework, name: str = "responses.csv"
) -> tuple[list[Assessment], list[Problem]]:
    """:func:`import_csv` for text or bytes already in memory (an upload widget's content)."""
    if isinstance(data, bytes):
        if len(data) > MAX_CSV_BYTES:
            raise WorkbookError([Problem(name, "", f"is too large (limit {MAX_CSV_BYTES / 1e6:.0f} MB)")])
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise WorkbookError(
                [Problem(name, f"byte {exc.start}", "is not UTF-8 text", "export or save the file as 'CSV UTF-8'")]
            ) from None
    text = data.removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    if not rows:
        raise WorkbookError([Problem(name, "", "is empty", "start from `mlops-workbook workshop template`")])
    columns, problems = _read_header(rows[0], framework, name)
    header_broken = any(p.severity == "error" for p in problems)
    assessments: list[Assessment] = []
    seen: dict[tuple[str, str], int] = {}
    where = {role: index for index, role in columns.items()}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        assessment, row_problems = _read_row(row, number, columns, len(rows[0]), framework, name)
        team, respondent = (_cell(row, where[c]) for c in ("team", "respondent"))
        key = (slug(team, "team"), slug(respondent))
        if team and respondent and key in seen:
            row_problems.append(
                Problem(
                    name,
                    f"row {number}, column 'respondent'",
                    f"repeats team {team!r}, respondent {respondent!r} of row {seen[key]}: "
                    f"both would be saved to {key[0]}--{key[1]}.json",
                    "give each respondent of a team a distinct code",
                )
            )
            assessment = None
        seen.setdefault(key, number)
        problems.extend(row_problems)
        if assessment is not None:
            assessments.append(assessment)
    if header_broken:
        # An unknown or doubled column holds answers that would be lost or ambiguous.
        assessments = []
    return assessments, problems


def _delimiter(text: str) -> str:
    """The separator that makes the header contain ``team`` and ``respondent``."""
    first = text.split("\n", 1)[0]
    for delimiter in _DELIMITERS:
        header = {cell.strip().lower() for cell in next(csv.reader([first], delimiter=delimiter), [])}
        if {"team", "respondent"} <= header:
            return delimiter
    return max(_DELIMITERS, key=first.count)


def _read_header(header: list[str], framework: Framework, name: str) -> tuple[dict[int, str], list[Problem]]:
    """Column index -> role (``team``, a question id, ``note:<id>``), and header problems."""
    known = framework.question_ids
    columns: dict[int, str] = {}
    problems: list[Problem] = []
    for index, raw in enumerate(header):
        label = raw.strip()
        key = label.lower()
        if key in PERSON_COLUMNS or key in known or (key.startswith(NOTE_PREFIX) and key[5:].strip() in known):
            key = NOTE_PREFIX + key[5:].strip() if key.startswith(NOTE_PREFIX) else key
            if key in columns.values():
                problems.append(
                    Problem(name, f"row 1, column {label!r}", "appears twice", "keep one column per question")
                )
            columns[index] = key
        elif label:
            fix = (
                f"the note's question id is not in {framework.id}; check its spelling"
                if key.startswith(NOTE_PREFIX)
                else f"use a question id of {framework.id} (see `mlops-workbook show {framework.id}`) or remove it"
            )
            problems.append(Problem(name, f"row 1, column {label[:80]!r}", "is not a known column", fix))
    missing = [c for c in ("team", "respondent") if c not in columns.values()]
    if missing:
        raise WorkbookError(
            [
                *problems,
                Problem(
                    name,
                    "row 1",
                    f"has no {' or '.join(repr(c) for c in missing)} column",
                    "the first row must name the columns: team,respondent,organisation,<question ids>",
                ),
            ]
        )
    absent = [q.id for q in framework.questions if q.id not in columns.values()]
    if absent:
        listed = ", ".join(absent[:5]) + (" …" if len(absent) > 5 else "")
        problems.append(
            Problem(
                name,
                "row 1",
                f"has no column for {len(absent)} question(s): {listed}",
                "those questions stay unanswered; add the columns if that is not intended",
                "warning",
            )
        )
    return columns, problems


def _read_row(
    row: list[str], number: int, columns: dict[int, str], width: int, framework: Framework, name: str
) -> tuple[Assessment | None, list[Problem]]:
    problems: list[Problem] = []
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        problems.append(
            Problem(
                name,
                f"row {number}",
                f"has {len(row)} cells but the header has {width} columns",
                "a value probably contains the separator: put it in double quotes",
            )
        )
    cells = {role: _cell(row, i) for i, role in columns.items()}
    for role, text in cells.items():
        kept_as_text = role in PERSON_COLUMNS or role.startswith(NOTE_PREFIX)
        if kept_as_text and text.startswith(FORMULA_START):
            problems.append(
                Problem(
                    name,
                    f"row {number}, column {role!r}",
                    f"starts with {text[0]!r}: a spreadsheet may run it as a formula (imported as text)",
                    "check the cell; the workbook's CSV exports prefix it with ' so it stays text",
                    "warning",
                )
            )
    for column in ("team", "respondent"):
        if not cells.get(column):
            problems.append(Problem(name, f"row {number}, column {column!r}", "is empty", f"fill in the {column}"))
    if cells.get("respondent") and slug(cells["respondent"]) == "consensus":
        problems.append(
            Problem(
                name,
                f"row {number}, column 'respondent'",
                "'consensus' is reserved for the team's agreed answers",
                "use another respondent code",
            )
        )
    answers: dict[str, Answer] = {}
    for question in framework.questions:
        value, problem = _parse_value(cells.get(question.id, ""), framework.scale)
        if problem:
            problems.append(Problem(name, f"row {number}, column {question.id!r}", *problem))
            continue
        note = cells.get(NOTE_PREFIX + question.id, "")
        if value is None and not note:
            continue
        try:
            answers[question.id] = Answer(value=value, note=note)
        except ValidationError as exc:
            problems.append(_problem(name, number, NOTE_PREFIX + question.id, exc))
    if any(p.severity == "error" for p in problems):
        return None, problems
    try:
        assessment = Assessment(
            framework=framework.id,
            framework_version=framework.version,
            organisation=cells.get("organisation", ""),
            team=cells["team"],
            respondent=cells["respondent"],
            answers=answers,
        )
    except ValidationError as exc:
        return None, [_problem(name, number, "", exc)]
    return assessment, problems


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _parse_value(cell: str, scale: AnswerScale) -> tuple[int | str | None, tuple[str, str] | None]:
    """A cell as an answer value on the bank's scale, or (what is wrong, the fix)."""
    word = cell.lower()
    if not word:
        return None, None
    if word in scale.words:
        return word, None
    fix = f"use {scale.describe()}, or leave it empty"
    if not _NUMBER.match(word):
        return None, (f"{cell[:40]!r} is not an answer", fix)
    number = float(word)
    if not number.is_integer():
        return None, (f"{cell} is not a whole number", fix)
    if int(number) not in scale.values:
        return None, (f"{cell} is not an answer on the scale {scale.name!r}", fix)
    return int(number), None


def _problem(name: str, number: int, column: str, exc: ValidationError) -> Problem:
    error = exc.errors()[0]
    field = column or ".".join(str(k) for k in error["loc"][:1])
    return Problem(name, f"row {number}, column {field!r}", error["msg"].removeprefix("Value error, "), "shorten it")


def save_imported(
    assessments: list[Assessment], framework: Framework, folder: str | Path, *, force: bool = False
) -> tuple[list[Path], list[Problem]]:
    """Save imported respondents as ``<folder>/<framework>/<team>--<respondent>.json``.

    An existing file (a participant's own autosave, say) is never overwritten unless
    ``force``: it is reported instead. Returns the files written and those problems.
    """
    from mlops_workbook.model.assessment import find_assessment, load_assessment, owner_problems, save_assessment

    written: list[Path] = []
    problems: list[Problem] = []
    for assessment in assessments:
        path = find_assessment(folder, framework.id, assessment.team, assessment.respondent)
        with file_lock(path):
            if path.exists() and not force:
                problems.append(
                    Problem(
                        display_name(path),
                        "",
                        "already exists (not overwritten)",
                        "remove it first, or use `workshop import --force`",
                    )
                )
                continue
            if path.exists():
                try:
                    on_disk = load_assessment(path)
                except WorkbookError as exc:  # unreadable: never replaced, even with --force
                    problems.extend(exc.problems)
                    continue
                theirs = owner_problems(on_disk, assessment.team, assessment.respondent, display_name(path))
                if theirs:
                    problems.extend(theirs)
                    continue
            save_assessment(assessment, path)
        written.append(path)
    return written, problems
