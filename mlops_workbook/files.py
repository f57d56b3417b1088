"""Reading and writing content files safely: size limits, clear parse errors, atomic saves."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import Problem, WorkbookError, display_name
from .paths import MAX_FILE_BYTES


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


def parse_yaml(text: str, name: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise WorkbookError(
            [Problem(name, where, f"is not valid YAML ({what})", "fix the syntax at that place")]
        ) from None


def parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
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
