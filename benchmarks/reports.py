"""Benchmark: ``mlops-workbook report`` against a naive papermill + nbconvert loop.

    .venv/bin/python benchmarks/reports.py --n 50

Generates N seeded, realistic assessments (several teams, all three models), then in
the same run times (1) the batch command with ``--workers W`` (default: the CPU count),
(2) the batch command with ``--workers 1``, (3) the documented single-report path done
naively: ``papermill`` then ``jupyter nbconvert --to html --no-input`` per file,
serially, and (4) one bare kernel start, for reference. Prints seconds per report and
separates the two effects: naive loop / one worker is what the warm kernel (no start per
report, HTML written in-process) saves; one worker / W workers is what parallelism adds.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlops_workbook.model.assessment import new_assessment, save_assessment, set_answer
from mlops_workbook.model.frameworks import load_framework

#: The three cloud maturity models (answers 0-4); other banks may use other scales.
MATURITY_BANKS = ("aws", "gcp", "azure")

TEAMS = [
    ("Retail Co", "Demand Forecasting"),
    ("Retail Co", "Recommendations"),
    ("Bank plc", "Fraud Detection"),
    ("Bank plc", "Credit Risk"),
    ("Insure Ltd", "Claims Triage"),
    ("Insure Ltd", "Pricing"),
    ("Health Trust", "Imaging"),
    ("Logistics AG", "Route Planning"),
]
NOTES = [
    "Runs nightly in Airflow; owners listed in the runbook.",
    "Only for the two newest models; older ones are still manual.",
    "We tried this in Q2 but it was dropped after the re-org.",
    "Evidence: CI pipeline config in the platform repo.",
    "Unclear who owns this — raise with the platform team.",
]


def make_assessments(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """N assessments spread over teams and all banks; each team has its own maturity profile."""
    rng = random.Random(seed)
    banks = [load_framework(bank) for bank in MATURITY_BANKS]
    paths = []
    for i in range(n):
        framework = banks[i % len(banks)]
        organisation, team = TEAMS[(i // len(banks)) % len(TEAMS)]
        respondent = f"Respondent {i // (len(banks) * len(TEAMS)) + 1}"
        maturity = rng.uniform(0.5, 3.6)  # this team's typical answer
        levels = {lv.id: lv.rank for lv in framework.levels}
        targets = {d.id: framework.levels_by_rank[min(2, framework.top.rank)].id for d in framework.dimensions}
        assessment = new_assessment(framework, organisation=organisation, team=team, respondent=respondent,
                                    targets=targets)  # fmt: skip
        for q in framework.questions:
            roll = rng.random()
            if roll < 0.04:
                set_answer(assessment, q.id, "na", na_reason="We have no online models.")
            elif roll < 0.09:
                set_answer(assessment, q.id, "unknown")
            elif roll < 0.95:
                value = round(rng.gauss(maturity - 0.6 * levels[q.level] + 0.6, 0.9))
                note = rng.choice(NOTES) if rng.random() < 0.2 else ""
                set_answer(assessment, q.id, max(0, min(4, value)), note=note)
        path = folder / f"{i:03d}-{framework.id}.json"
        save_assessment(assessment, path)
        paths.append(path)
    return paths


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def time_batch(files: Path, out: Path, workers: int) -> float:
    started = time.perf_counter()
    subprocess.run([_bin("mlops-workbook"), "report", str(files), "-o", str(out), "--workers", str(workers), "-q"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def time_naive(paths: list[Path], out: Path) -> float:
    notebook = ROOT / "notebooks" / "report.ipynb"
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for path in paths:
        executed = out / f"{path.stem}.ipynb"
        subprocess.run([_bin("papermill"), str(notebook), str(executed), "-p", "assessment_path", str(path),
                        "--no-progress-bar"], check=True, capture_output=True)  # fmt: skip
        subprocess.run([_bin("jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                       check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def time_kernel_start() -> float:
    from jupyter_client.manager import start_new_kernel

    started = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    elapsed = time.perf_counter() - started
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="number of assessments (50)")
    parser.add_argument("--naive-n", type=int, default=0, help="time the naive loop on this many only (default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlops-workbook-bench-") as tmp:
        base = Path(tmp)
        for var, sub in (("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_RUNTIME_DIR", "rt"), ("IPYTHONDIR", "ipy")):
            os.environ.setdefault(var, str(base / sub))
        files = base / "in"
        paths = make_assessments(args.n, files, args.seed)
        kernel = time_kernel_start()
        batch = time_batch(files, base / "batch", args.workers)
        serial = time_batch(files, base / "serial", 1)
        naive_paths = paths[: args.naive_n] if args.naive_n else paths
        naive = time_naive(naive_paths, base / "naive")
        made = len(list((base / "batch").glob("*--*.html")))
    per_batch, per_serial, per_naive = batch / args.n, serial / args.n, naive / len(naive_paths)
    print(f"assessments: {args.n} ({made} reports written), workers: {args.workers}, CPUs: {os.cpu_count()}")
    print(f"bare kernel start:                     {kernel:6.2f} s")
    label = f"mlops-workbook report --workers {args.workers}:"
    print(f"{label:<38} {batch:6.2f} s  -> {per_batch:5.2f} s per report")
    print(f"mlops-workbook report --workers 1:     {serial:6.2f} s  -> {per_serial:5.2f} s per report")
    print(f"naive papermill + nbconvert loop:      {naive:6.2f} s  -> {per_naive:5.2f} s per report "
          f"(over {len(naive_paths)} files)")  # fmt: skip
    print(f"warm kernel (naive / 1 worker):        {per_naive / per_serial:6.1f} x")
    print(f"parallelism (1 worker / {args.workers} workers):    {per_serial / per_batch:6.1f} x")
    print(f"together (naive / {args.workers} workers):          {per_naive / per_batch:6.1f} x")


if __name__ == "__main__":
    main()
