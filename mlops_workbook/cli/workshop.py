"""``mlops-workbook workshop …``: CSV template and import, team summary for facilitators.

Exit codes as for every command: 0 ok, 1 invalid input, 2 usage. ``import`` writes the
valid rows and exits 1 when any row (or the header) has an error; it never overwrites an
existing assessment (a participant's autosaved file, say) without ``--force``.
``summary`` skips unreadable files (hostile ones included), names them, still prints the
summary of the others, and exits 1.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from mlops_workbook.cli.main import print_problems
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import write_atomic
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.workshop.aggregation import OVERALL, WorkshopSummary, answers_frame, load_responses, summarise
from mlops_workbook.workshop.responses_csv import csv_template, import_csv, save_imported


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``workshop`` and its sub-commands to the main parser."""
    parser = subparsers.add_parser("workshop", help="facilitated workshops: CSV import, team summaries")
    sub = parser.add_subparsers(dest="workshop_command", required=True, metavar="SUBCOMMAND")

    p = sub.add_parser("template", help="a blank responses CSV for one model")
    p.add_argument("framework", help="framework id (aws, gcp, azure) or a bank file")
    p.add_argument("-o", "--output", help="file to write (default: print)")
    p.add_argument("--notes", action="store_true", help="add a note:<question id> column per question")
    p.add_argument("--example", action="store_true", help="add one example row (delete it before use)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help="turn a responses CSV into one assessment file per row")
    p.add_argument("csv", metavar="CSV")
    p.add_argument("--framework", required=True)
    p.add_argument("-o", "--output", required=True, metavar="FOLDER", help="assessments folder")
    p.add_argument("--force", action="store_true", help="overwrite existing assessment files")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("summary", help="where each team stands and what to discuss first")
    p.add_argument("folder", metavar="FOLDER", help="assessments folder (or its <framework> sub-folder)")
    p.add_argument("--framework", required=True)
    p.add_argument("--team", help="only this team")
    p.add_argument("--top", type=int, default=5, help="questions to discuss per team (default 5)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_summary)


def _has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def cmd_template(args: argparse.Namespace) -> int:
    fw = load_framework(args.framework)
    text = csv_template(fw, notes=args.notes, example=args.example)
    if not args.output:
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    if out.exists() and not args.force:
        raise WorkbookError([Problem(display_name(out), "", "already exists", "choose another name or pass --force")])
    write_atomic(out, text)
    print(f"wrote {display_name(out)}: {len(fw.questions)} question columns for {fw.short_name}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    fw = load_framework(args.framework)
    assessments, problems = import_csv(args.csv, fw)
    written, not_written = save_imported(assessments, fw, args.output, force=args.force)
    problems = [*problems, *not_written]
    print_problems(problems)
    bad = sum(p.severity == "error" for p in problems)
    print(f"imported {len(written)} respondent(s) into {display_name(Path(args.output) / fw.id)}; {bad} problem(s)")
    return 1 if bad else 0


def cmd_summary(args: argparse.Namespace) -> int:
    fw = load_framework(args.framework)
    assessments, problems = load_responses(args.folder, fw)
    print_problems(problems)
    skipped = sorted({p.file for p in problems if p.severity == "error"})
    if skipped:
        print(f"{len(skipped)} file(s) skipped, the summary is of the others: {', '.join(skipped)}", file=sys.stderr)
    if args.team is not None:
        teams = sorted({a.team for a in assessments})
        assessments = [a for a in assessments if a.team == args.team]
        if not assessments and teams:
            raise WorkbookError(
                [Problem(args.team, "", "is not a team in these responses", f"use one of: {', '.join(teams)}")]
            )
    if not assessments:
        raise WorkbookError(
            [
                Problem(
                    display_name(args.folder),
                    "",
                    f"holds no individual {fw.id} assessments",
                    "check the folder and --framework",
                )
            ]
        )
    summary = summarise(fw, answers_frame(fw, assessments))
    if args.json:
        print(json.dumps(summary_dict(summary, args.top), indent=2, ensure_ascii=False))
    else:
        print(format_summary(summary, args.top))
    return 1 if _has_errors(problems) else 0


def _clean(value: Any) -> Any:
    """JSON-friendly scalars: NaN/NA -> null, numpy numbers -> Python numbers."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    return value


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [{c: _clean(v) for c, v in zip(columns, row, strict=True)} for row in frame[columns].itertuples(False)]


def summary_dict(summary: WorkshopSummary, top: int = 5) -> dict[str, Any]:
    """The machine-readable summary printed by ``workshop summary --json``."""
    fw = summary.framework
    dim_columns = [
        "dimension",
        "dimension_name",
        "assessed",
        "median",
        "q1",
        "q3",
        "iqr",
        "min",
        "max",
        "level_rank",
        "level_id",
        "level_name",
        "level_label",
        "level_score",
        "level_answered",
        "level_applicable",
        "level_provisional",
    ]
    question_columns = [
        "order",
        "question",
        "dimension",
        "level",
        "answered",
        *(c for c in summary.questions.columns if c.startswith("count_")),
        "unknown",
        "na",
        "median",
        "iqr",
        "range",
        "disagreement",
        "median_answer",
        "blocker",
        "level_shift",
        "reason",
    ]
    discussion = summary.discussion(top=top)
    teams = []
    for team, rows in summary.teams.groupby("team", sort=True):
        teams.append(
            {
                "team": team,
                "respondents": int(rows["respondents"].iloc[0]),
                "dimensions": _records(rows, dim_columns),
                "discuss": _records(discussion[discussion["team"] == team], question_columns),
            }
        )
    return {"framework": fw.id, "framework_version": fw.version, "teams": teams}


def format_summary(summary: WorkshopSummary, top: int = 5) -> str:
    """The plain-text summary printed by ``workshop summary``."""
    fw = summary.framework
    discussion = summary.discussion(top=top)
    lines: list[str] = []
    width = max(len(name) for name in [*(d.name for d in fw.dimensions), "dimension", "overall"]) + 2
    for team, rows in summary.teams.groupby("team", sort=True):
        lines.append(f"{team} — {int(rows['respondents'].iloc[0])} respondent(s), {fw.short_name}")
        head = f"  {'dimension':<{width}}{'level (median answers)':<28}{'median':>7}{'IQR':>6}   min-max"
        lines.append(head + "    answered")
        for row in rows.itertuples(index=False):
            lines.append(_dimension_line(row, width))
        team_rows = discussion[discussion["team"] == team]
        if len(team_rows):
            lines.append("  discuss first:")
            for row in team_rows.itertuples(index=False):
                lines.append(f"  {row.order:>3}. {row.question}  ({row.reason})")
        lines.append("")
    return "\n".join(lines).rstrip()


def _dimension_line(row: Any, width: int) -> str:
    name = row.dimension_name.upper() if row.dimension == OVERALL else row.dimension_name
    if not row.assessed:
        return f"  {name:<{width}}{'not assessed':<28}"
    level = row.level_name if row.level_name is not None else "not assessed"
    done = f"{row.level_answered}/{row.level_applicable}" + (" provisional" if row.level_provisional else "")
    return f"  {name:<{width}}{level:<28}{row.median:>7.2f}{row.iqr:>6.2f}   {row.min:.2f}-{row.max:.2f}   {done}"
