"""``mlops-workbook report``: many assessments to offline HTML reports, in parallel, and their index."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from mlops_workbook.model.errors import WorkbookError, display_name
from mlops_workbook.reports.batch import Settings, run_jobs
from mlops_workbook.reports.jobs import plan
from mlops_workbook.reports.organisation_files import UNITS_FILE, load_units
from mlops_workbook.reports.outputs import Outcome
from mlops_workbook.reports.pdf import pdf_converter
from mlops_workbook.reports.portfolio import write_index


def cmd_report(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        print(f"{args.output}: is a file, not a folder -> pass -o a folder for the reports", file=sys.stderr)
        return 2
    previous_dir = Path(args.previous_dir) if args.previous_dir else None
    if previous_dir is not None and not previous_dir.is_dir():
        print(f"{args.previous_dir}: not a folder -> pass the folder of earlier rounds", file=sys.stderr)
        return 2
    if args.pdf and pdf_converter() is None:
        print("--pdf: no PDF converter found (install chromium); writing HTML only", file=sys.stderr)
        args.pdf = False
    jobs, refused = plan(args.paths, out_dir, previous_dir)
    if not jobs and not refused:
        print("no assessment files (*.json) found in the given paths", file=sys.stderr)
        return 1
    settings = Settings(
        workers=args.workers or os.cpu_count() or 1,
        timeout=args.timeout,
        start_timeout=args.start_timeout,
        pdf=args.pdf,
    )
    with tqdm(total=len(jobs), desc="reports", unit="report", file=sys.stderr, disable=args.quiet) as bar:

        def tick(outcome: Outcome) -> None:
            bar.update(1)
            if not outcome.ok:
                bar.write(f"FAILED {display_name(outcome.path)}: {outcome.error}", file=sys.stderr)

        outcomes = run_jobs(jobs, settings, tick)
    outcomes.extend(refused)
    for outcome in refused:
        print(f"FAILED {display_name(outcome.path)}: {outcome.error}", file=sys.stderr)
    units: dict[str, str] = {}
    for folder in (Path(p) for p in args.paths):
        try:
            units |= load_units(folder / UNITS_FILE) if folder.is_dir() else {}
        except WorkbookError as exc:
            for problem in exc.problems:
                print(f"{problem} (teams of this file stay without a unit)", file=sys.stderr)
    index = write_index(out_dir, outcomes, units)
    good = [o for o in outcomes if o.ok]
    bad = [o for o in outcomes if not o.ok]
    print(f"{len(good)} report(s) written to {display_name(out_dir)}; index: {display_name(index)}")
    if settings.pdf:
        print(f"{sum(o.pdf is not None for o in good)} PDF(s) written")
    if bad:
        print(f"{len(bad)} file(s) failed:", file=sys.stderr)
        for outcome in bad:
            print(f"  {display_name(outcome.path)}: {outcome.error}", file=sys.stderr)
        return 1
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report",
        help="write an offline HTML report per assessment, and an index of them all",
        description="Run notebooks/report.ipynb on each assessment (files or folders of *.json) and save it "
        "as HTML without code, plus DIR/index.html: the organisation's view (teams per level, "
        "blockers of the most teams, units from a folder's units.yaml) and every team and model; the ranked "
        "blockers also as DIR/blockers.csv.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="assessment files or folders")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the reports")
    p.add_argument("--workers", type=int, default=0, help="parallel kernels (default: the number of CPUs)")
    p.add_argument("--previous-dir", metavar="D", help="folder of earlier rounds, to show progress")
    p.add_argument("--pdf", action="store_true", help="also print each report to PDF (needs chromium)")
    p.add_argument("--timeout", type=float, default=120, help="seconds per report before it is retried (120)")
    p.add_argument("--start-timeout", type=float, default=60, help="seconds for a kernel to start (60)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_report)


__all__ = ["cmd_report", "register"]
