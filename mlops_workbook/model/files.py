"""Reading and writing files safely: size limits, clear parse errors, atomic saves, locks, inert CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.paths import MAX_FILE_BYTES


def read_text(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's text, or a :class:`WorkbookError` naming the file and the problem."""
    name = display_name(path)
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise WorkbookError([Problem(name, "", "file not found", "check the path")]) from None
    except OSError as exc:
        raise WorkbookError([Problem(name, "", f"cannot be read ({exc.strerror})")]) from None
    if p.is_dir():
        raise WorkbookError([Problem(name, "", "is a folder, not a file")])
    if size > max_bytes:
        raise WorkbookError(
            [
                Problem(
                    name,
                    "",
                    f"file is too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB)",
                    "is this the right file? banks and assessments are a few kilobytes",
                )
            ]
        )
    try:
        return p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkbookError(
            [Problem(name, f"byte {exc.start}", "is not UTF-8 text", "save the file as UTF-8")]
        ) from None
    except OSError as exc:
        raise WorkbookError([Problem(name, "", f"cannot be read ({exc.strerror})")]) from None


#: libyaml's parser when PyYAML was built with it (the wheels are): ~10x faster than the pure-Python one,
#: with the same safe constructor; its errors carry marks (line, column) too.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, name: str) -> Any:
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except RecursionError:
        raise WorkbookError([_too_deep(name)]) from None
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit (1,000 levels)
            raise WorkbookError([_too_deep(name)]) from None
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise WorkbookError(
            [Problem(name, where, f"is not valid YAML ({what})", "fix the syntax at that place")]
        ) from None
    _check_depth(data, name)
    return data


#: Nesting deeper than this is refused: a bank is ~6 levels deep, an assessment 4. Checking
#: it here keeps deeply nested input from reaching recursive code (validation, copies).
MAX_DEPTH = 64
_FIX_JSON = "fix the file, or re-export it from the workbook"


class _Refused(ValueError):
    """Raised inside the JSON parser's hooks: a value no assessment or bank can contain."""


def _too_deep(name: str) -> Problem:
    return Problem(
        name, "", f"is nested more than {MAX_DEPTH} levels deep", "this is not a workbook file; check the file"
    )


def _check_depth(data: Any, name: str) -> None:
    """Refuse data nested deeper than :data:`MAX_DEPTH` (iteratively: no recursion here)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    seen: set[int] = set()  # YAML anchors share nodes: visit each container once
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, dict | list) or id(node) in seen:
            continue
        if depth > MAX_DEPTH:
            raise WorkbookError([_too_deep(name)])
        seen.add(id(node))
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children)


def _json_int(text: str) -> int:
    if len(text) > 30:  # Python refuses > 4300 digits anyway; no field needs more than a few
        raise _Refused(f"has a number with {len(text)} digits")
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"has a number too large to use ({text[:30]})")
    return value


def _json_constant(text: str) -> float:
    raise _Refused(f"contains {text}, which is not valid JSON")


def parse_json(text: str, name: str) -> Any:
    """JSON text as Python data, or one :class:`WorkbookError` naming the file and every problem.

    Stricter than :func:`json.loads`: ``NaN``/``Infinity``, numbers too large to use and
    keys repeated within one object (where ``json.loads`` silently keeps the last) are
    problems, and nesting is limited to :data:`MAX_DEPTH` levels.
    """
    repeated: list[str] = []

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data = dict(pairs)
        if len(data) < len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen and key not in repeated:
                    repeated.append(key)
                seen.add(key)
        return data

    try:
        data = json.loads(
            text,
            object_pairs_hook=unique_keys,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as exc:
        raise WorkbookError(
            [
                Problem(
                    name,
                    f"line {exc.lineno}, column {exc.colno}",
                    f"is not valid JSON ({exc.msg})",
                    "fix the syntax at that place, or re-export the file",
                )
            ]
        ) from None
    except RecursionError:
        raise WorkbookError([_too_deep(name)]) from None
    except ValueError as exc:  # _Refused, or a number Python itself will not convert
        raise WorkbookError(
            [Problem(name, "", str(exc) if isinstance(exc, _Refused) else "has a number too large to use", _FIX_JSON)]
        ) from None
    if repeated:
        raise WorkbookError(
            [
                Problem(
                    name,
                    f"key {key[:80]!r}",
                    "appears twice in one object (which one counts is ambiguous)",
                    "keep one of them",
                )
                for key in repeated
            ]
        )
    _check_depth(data, name)
    return data


def load_data(path: str | Path) -> Any:
    """Parse a ``.yaml``/``.yml`` or ``.json`` file into Python data."""
    name = display_name(path)
    text = read_text(path)
    if Path(path).suffix.lower() in {".yaml", ".yml"}:
        return parse_yaml(text, name)
    return parse_json(text, name)


def describe_location(data: Any, loc: tuple[int | str, ...]) -> str:
    """``('questions', 3, 'level')`` -> ``questions[3] aws.data.x: level``.

    Names the question (or other item) by its ``id`` where it has one, so the editor
    can search for it.
    """
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and 0 <= key < len(node):
                node = node[key]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label += f" {node['id'][:80]}:"
            else:
                node = None
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    text = ".".join(parts)
    return text.replace(":.", ": ").rstrip(":")


def problems_from_validation(name: str, data: Any, exc: ValidationError) -> list[Problem]:
    """One :class:`Problem` per pydantic error, worded for a content editor."""
    problems = []
    for error in exc.errors():
        loc = tuple(k for k in error["loc"] if not (isinstance(k, str) and "[" in k))
        where = describe_location(data, loc)
        kind = error["type"]
        message = error["msg"].removeprefix("Value error, ")
        fix = ""
        if kind == "extra_forbidden":
            message = "is not a known field"
            fix = "remove it or check its spelling"
        elif kind == "missing":
            message = "is required but missing"
            fix = "add it"
        elif kind == "string_pattern_mismatch":
            fix = "use letters, digits, _ and - (question ids: lower-case, dotted)"
        elif kind == "literal_error" and loc and loc[-1] == "schema_version":
            fix = "this file was written by a newer or foreign tool"
        problems.append(Problem(name, where, message, fix))
    return problems


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` so that ``path`` is either the old file or the new one, never half.

    The temporary file lives in the same folder (a rename is only atomic within one
    file system), is flushed and fsynced, then renamed over the target.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def file_lock(path: str | Path, timeout: float = 30) -> Iterator[None]:
    """Hold the lock of ``path`` while reading, changing and rewriting it: others wait.

    An operating-system lock (``flock``) on the hidden file ``.<name>.lock`` beside
    ``path``, released when the process ends however it ends. The lock file is removed
    on release (the next holder checks that the file it locked is still the one in the
    folder, and retries if not), so folders keep only the assessments. Not re-entrant:
    take it once. Raises :class:`WorkbookError` after ``timeout`` seconds of waiting.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.with_name(f".{target.name}.lock")
    fd = _acquire(lock_path, time.monotonic() + timeout)
    if fd is None:
        raise WorkbookError(
            [
                Problem(
                    display_name(target),
                    "",
                    f"is being saved by another process (waited {timeout:.0f} s)",
                    "try again in a moment",
                )
            ]
        )
    try:
        yield
    finally:
        if os.name != "nt":  # Windows cannot remove an open file; the empty lock file stays there
            lock_path.unlink(missing_ok=True)  # still holding it: a waiter sees a stale file and retries
        _unlock(fd)
        os.close(fd)


def _acquire(lock_path: Path, deadline: float) -> int | None:
    delay = 0.001
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            while not _try_lock(fd):
                if time.monotonic() > deadline:
                    os.close(fd)
                    return None
                time.sleep(delay)
                delay = min(delay * 2, 0.02)
            with suppress(FileNotFoundError):
                if os.path.samestat(os.fstat(fd), os.stat(lock_path)):
                    return fd
        except BaseException:
            os.close(fd)
            raise
        _unlock(fd)
        os.close(fd)  # the previous holder removed the file we locked: lock the new one


def _try_lock(fd: int) -> bool:
    """Lock without waiting; False when another process holds the lock."""
    if sys.platform == "win32":  # pragma: no cover - Windows (mypy narrows on sys.platform, not os.name)
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows (mypy narrows on sys.platform, not os.name)
        import msvcrt

        with suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


#: A spreadsheet may run a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Text that a spreadsheet could run as a formula, made inert by a leading ``'``.

    Only text is changed: numbers (such as a signed ``level_shift`` of -1) are written as
    numbers, which a spreadsheet reads as numbers and never runs.

    >>> neutralise_cell('=HYPERLINK("http://x")'), neutralise_cell("-1"), neutralise_cell(-1)
    ('\\'=HYPERLINK("http://x")', "'-1", -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV text (``\\n`` line ends), every cell passed through :func:`neutralise_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def frame_csv(frame: Any) -> str:
    """A pandas DataFrame as CSV text without its index, text cells neutralised.

    Every CSV the workbook writes goes through this function or :func:`csv_text`.
    """
    from pandas.api import types

    safe = frame.rename(columns=neutralise_cell)
    for column in safe.columns:
        series = safe[column]
        if not (types.is_numeric_dtype(series) or types.is_datetime64_any_dtype(series)):
            safe[column] = series.astype(object).map(neutralise_cell)
    return safe.to_csv(index=False, lineterminator="\n")
