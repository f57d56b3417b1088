"""Workshop aggregation at scale: 5,000 respondents x 60 questions in well under 1 s.

Plain script: ``python benchmarks/workshop.py [--respondents N] [--teams T] [--runs R]``.
Builds a synthetic 60-question bank (6 dimensions x 10 questions over 3 levels, so the
figure does not depend on the size of the bundled banks) and random answers in memory,
then times, each apart:

1. reading the folder as the facilitator page does: the N files written to disk (one JSON
   file per respondent, as the app saves them), then
   :func:`mlops_workbook.workshop.responses.load_responses` (read, parse, check each file
   against the bank); the files are in the operating system's cache (just written), so this
   is parsing and checking, not the disk;
2. building the answers frame from the assessment objects (once per load);
3. the aggregation a facilitator triggers on an in-memory frame: team summary + question
   statistics + discussion list (:func:`mlops_workbook.workshop.aggregation.summarise`
   then ``.discussion(top=5)``), median of ``--runs`` runs — the 1 s target is for this.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlops_workbook import load_framework
from mlops_workbook.model.assessment import to_json
from mlops_workbook.model.schema import Answer, Assessment, Framework
from mlops_workbook.workshop import aggregation as workshop
from mlops_workbook.workshop.responses import load_responses

TARGET_SECONDS = 1.0


def synthetic_bank(folder: Path, dimensions: int = 6, per_dimension: int = 10) -> Framework:
    """A valid bank with ``dimensions * per_dimension`` questions, loaded the normal way."""
    levels = [{"id": f"l{r}", "rank": r, "name": f"Level {r}", "summary": "s", "band": r} for r in range(4)]
    questions = [
        {
            "id": f"bench.d{d}.q{i}",
            "dimension": f"d{d}",
            "level": f"l{1 + i * 3 // per_dimension}",
            "text": "t",
            "why": "w",
            "next_step": "n",
            "source": {"ref": "src", "criterion": "c"},
            "weight": 1 + i % 3,
        }
        for d in range(dimensions)
        for i in range(per_dimension)
    ]
    bank = {
        "id": "bench",
        "name": "Benchmark bank",
        "short_name": "Bench",
        "publisher": "benchmarks",
        "version": "1",
        "licence": "none",
        "sources": [{"id": "src", "title": "synthetic"}],
        "answer_scale": "maturity_0_4",
        "met_threshold": 3,
        "levels": levels,
        "dimensions": [{"id": f"d{d}", "name": f"Dimension {d}"} for d in range(dimensions)],
        "questions": questions,
    }
    path = folder / "bench.yaml"
    path.write_text(yaml.safe_dump(bank), encoding="utf-8")
    return load_framework(path)


def synthetic_assessments(framework: Framework, respondents: int, teams: int, seed: int = 7) -> list[Assessment]:
    """Respondents spread over teams; each team has its own typical answer per question."""
    rng = np.random.default_rng(seed)
    qids = [q.id for q in framework.questions]
    typical = rng.integers(0, 5, size=(teams, len(qids)))
    words: list[int | str | None] = [None, "na", "unknown"]
    out = []
    for r in range(respondents):
        team = r % teams
        noise = rng.integers(-1, 2, size=len(qids))
        values = np.clip(typical[team] + noise, 0, 4)
        odd = rng.random(len(qids))
        answers = {}
        for qid, value, p in zip(qids, values, odd, strict=True):
            chosen = words[int(p * 100) % 3] if p < 0.06 else int(value)
            if chosen is not None:
                answers[qid] = Answer(value=chosen)
        out.append(Assessment(framework=framework.id, team=f"team-{team:03d}", respondent=f"r{r:05d}", answers=answers))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=5000)
    parser.add_argument("--teams", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        framework = synthetic_bank(Path(tmp))
        assessments = synthetic_assessments(framework, args.respondents, args.teams)
        folder = Path(tmp) / "assessments" / framework.id
        folder.mkdir(parents=True)
        for assessment in assessments:
            (folder / f"{assessment.team}--{assessment.respondent}.json").write_text(to_json(assessment), "utf-8")
        start, cpu = time.perf_counter(), time.process_time()
        loaded, problems = load_responses(folder.parent, framework)
        read_seconds, read_cpu = time.perf_counter() - start, time.process_time() - cpu
    if len(loaded) != len(assessments) or any(p.severity == "error" for p in problems):
        print(f"read {len(loaded)} of {len(assessments)} files; problems: {problems[:3]}", file=sys.stderr)
        return 1

    start = time.perf_counter()
    answers = workshop.answers_frame(framework, loaded)
    frame_seconds = time.perf_counter() - start

    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        summary = workshop.summarise(framework, answers)
        summary.discussion(top=5)
        timings.append(time.perf_counter() - start)
    seconds = statistics.median(timings)

    print(
        f"workshop aggregation: {args.respondents} respondents x {len(framework.questions)} questions, "
        f"{args.teams} teams ({len(answers):,} answers)"
    )
    per_file_ms = read_seconds / len(loaded) * 1e3
    print(
        f"  read {len(loaded):,} files (load_responses): {read_seconds:.3f} s ({per_file_ms:.2f} ms a file; "
        f"CPU {read_cpu:.3f} s: on a busy machine wall time > CPU time)"
    )
    print(f"  answers_frame (once per load):          {frame_seconds:.3f} s")
    print(
        f"  summary + question stats + discussion:  {seconds:.3f} s "
        f"(median of {args.runs}; {seconds / TARGET_SECONDS:.0%} of the {TARGET_SECONDS:.0f} s target)"
    )
    return 0 if seconds <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
