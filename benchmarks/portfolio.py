"""The organisation's view from 1,000 assessment files on disk in at most 10 s.

Plain script: ``python benchmarks/portfolio.py [--files N] [--runs R] [--keep DIR]``.
Writes N assessment files into a temporary folder as the app leaves them (AWS, Google
Cloud and Azure; several units, teams, respondents and rounds — the current file
``<team>--<respondent>.json`` with earlier rounds archived beside it as
``.round-<n>.json`` — some teams with a saved consensus) and a ``units.yaml``, then times,
median of ``--runs`` runs, each step apart:

1. reading: every file parsed and checked against its bank (:func:`read_assessments`);
2. team results: one result per team, model and round — consensus, single respondent or
   median answers — scored (:func:`results_of`);
3. the page: the organisation's HTML with its SVG charts (:func:`organisation_html`);

and prints the total against the 10 s target (the Voilà page ``60-portfolio`` does all three;
the batch index does 2 and 3 from the files it has already read).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlops_workbook import load_framework
from mlops_workbook.charts.export import warm_up
from mlops_workbook.charts.theme import use_workbook_theme
from mlops_workbook.model.assessment import assessment_path, round_path, to_json
from mlops_workbook.model.schema import Answer, Assessment
from mlops_workbook.reports.organisation_files import UNITS_FILE, load_units, read_assessments, results_of
from mlops_workbook.reports.organisation_html import organisation_html

TARGET_SECONDS = 10.0
MODELS = ("aws", "gcp", "azure")
UNITS = ("Retail", "Risk", "Platform", "Marketing", "Operations")


def make_folder(folder: Path, files: int = 1000, seed: int = 7) -> int:
    """Write ``files`` assessment files (and ``units.yaml``) into ``folder``; return how many were written.

    Each team answers one to three models, with one to four respondents (a quarter of the
    teams also save a consensus) over one to three rounds; answers drift upwards by round.
    Half of the teams are mapped to a unit in ``units.yaml``, the other half carry it in
    the ``unit`` field of their files.
    """
    rng = random.Random(seed)
    banks = {m: load_framework(m) for m in MODELS}
    start = datetime(2025, 1, 15, 9, tzinfo=UTC)
    written = 0
    mapping: dict[str, list[str]] = {}
    team_number = 0
    while written < files:
        team_number += 1
        team, unit = f"Team {team_number:03d}", UNITS[team_number % len(UNITS)]
        in_file = team_number % 2 == 0
        if not in_file:
            mapping.setdefault(unit, []).append(team)
        skill = rng.uniform(0.5, 3.0)
        for model in rng.sample(MODELS, rng.randint(1, 3)):
            bank = banks[model]
            rounds = rng.randint(1, 3)
            people = [f"R{i:02d}" for i in range(1, rng.randint(1, 4) + 1)]
            if rng.random() < 0.25:
                people.append("consensus")
            for respondent in people:
                current = assessment_path(folder, model, team, respondent)
                current.parent.mkdir(parents=True, exist_ok=True)
                for number in range(1, rounds + 1):
                    if written >= files:
                        break
                    level = skill + 0.6 * (number - 1)
                    answers = {
                        q.id: Answer(value=max(0, min(4, round(rng.gauss(level, 1.0)))))
                        for q in bank.questions
                        if rng.random() < 0.95
                    }
                    a = Assessment(
                        framework=model,
                        framework_version=bank.version,
                        kind="consensus" if respondent == "consensus" else "individual",
                        unit=unit if in_file else "",
                        team=team,
                        respondent=respondent,
                        round=number,
                        previous=round_path(current, number - 1).name if number > 1 else "",
                        answers=answers,
                    )
                    a.updated = start + timedelta(days=120 * (number - 1) + rng.randint(0, 20))
                    path = current if number == rounds else round_path(current, number)
                    path.write_text(to_json(a), encoding="utf-8")
                    written += 1
    lines = [f"{unit}: [{', '.join(teams)}]" for unit, teams in mapping.items()]
    (folder / UNITS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="write the files here and keep them (default: a temp folder)")
    args = parser.parse_args()
    use_workbook_theme()
    warm_up()  # the chart engine's first start is not the view's cost
    with tempfile.TemporaryDirectory(prefix="mw-portfolio-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        count = make_folder(folder, args.files)
        times: dict[str, list[float]] = {"read": [], "results": [], "page": []}
        cpu: dict[str, list[float]] = {"read": [], "results": [], "page": []}
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            checked, problems = read_assessments(folder)
            t1, c1 = time.perf_counter(), time.process_time()
            results = results_of(checked, load_units(folder / UNITS_FILE))
            t2, c2 = time.perf_counter(), time.process_time()
            html = organisation_html(results, problems)
            t3, c3 = time.perf_counter(), time.process_time()
            for step, wall, used in (
                ("read", t1 - t0, c1 - c0),
                ("results", t2 - t1, c2 - c1),
                ("page", t3 - t2, c3 - c2),
            ):
                times[step].append(wall)
                cpu[step].append(used)
        teams = len({(r.framework.id, r.team) for r in results if r.latest})
        print(
            f"{count} files ({len(checked)} read, {len(problems)} left out) -> {len(results)} team results "
            f"({teams} team-models), page {len(html) / 1e6:.1f} MB; median of {args.runs} runs"
        )
        print(f"  {'step':8s} {'wall':>7s} {'CPU':>7s}   (CPU: this process, chart renderer threads included)")
        for step, values in times.items():
            print(f"  {step:8s} {statistics.median(values):6.2f}s {statistics.median(cpu[step]):6.2f}s")
        total = statistics.median([sum(t) for t in zip(*times.values(), strict=True)])
        used = statistics.median([sum(t) for t in zip(*cpu.values(), strict=True)])
        print(
            f"  total    {total:6.2f}s {used:6.2f}s   target {TARGET_SECONDS:.0f} s wall: "
            f"ratio {total / TARGET_SECONDS:.2f}"
        )
        print(f"  machine load (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: wall time waits for the CPU")
        return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
