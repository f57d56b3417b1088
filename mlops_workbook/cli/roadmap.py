"""``mlops-workbook roadmap FILE --format jira|azure|markdown|json|xlsx -o OUT``.

The gap to target of one assessment or workshop consensus, as a backlog to import
(Jira or Azure Boards CSV), a GitHub checklist, a JSON list or an Excel workbook.
``-o -`` (the default) writes a text format to standard output. Exit codes as for every
command: 0 ok, 1 invalid input (including a file with no target level), 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from mlops_workbook.model.assessment import check_assessment, load_assessment
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import write_atomic
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.render.roadmap import FORMATS, build_roadmap, roadmap_text, status_words
from mlops_workbook.scoring.rules import score_assessment


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``roadmap`` to the main parser."""
    p = subparsers.add_parser(
        "roadmap",
        help="the gap to target as a backlog: Jira or Azure Boards CSV, Markdown checklist, JSON, Excel",
    )
    p.add_argument("file", metavar="FILE", help="an assessment or consensus file (.json) with target levels")
    p.add_argument("--format", "-f", choices=FORMATS, default="markdown", help="what to write (default markdown)")
    p.add_argument("-o", "--output", default="-", metavar="OUT", help="the file to write; '-' = standard output")
    p.set_defaults(func=cmd_roadmap)


def _write_bytes(path: Path, data: bytes) -> None:
    """Like :func:`write_atomic`, for a binary file: the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_roadmap(args: argparse.Namespace) -> int:
    to_stdout = args.output == "-"
    if to_stdout and args.format == "xlsx":
        print("roadmap: --format xlsx writes a binary file -> give -o FILE.xlsx", file=sys.stderr)
        return 2
    path = Path(args.file)
    name = display_name(path)
    assessment = load_assessment(path)
    framework = load_framework(assessment.framework)
    problems = check_assessment(assessment, framework, name)
    for problem in problems:
        print(problem, file=sys.stderr)
    if any(p.severity == "error" for p in problems):
        return 1
    card = score_assessment(framework, assessment)
    roadmap = build_roadmap(framework, assessment, card, name)
    if to_stdout:
        sys.stdout.write(roadmap_text(roadmap, args.format))
        print(f"{name}: {status_words(roadmap)}", file=sys.stderr)
        return 0
    out = Path(args.output)
    if out.is_dir():
        raise WorkbookError([Problem(display_name(out), "", "is a folder", "give a file name to write")])
    try:
        if args.format == "xlsx":
            from mlops_workbook.render.roadmap_xlsx import roadmap_workbook

            _write_bytes(out, roadmap_workbook(framework, assessment, card, roadmap))
        else:
            write_atomic(out, roadmap_text(roadmap, args.format))
    except OSError as exc:
        raise WorkbookError([Problem(display_name(out), "", f"cannot be written ({exc.strerror})")]) from None
    print(f"wrote {display_name(out)} ({args.format}): {status_words(roadmap)}")
    return 0
