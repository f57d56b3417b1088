"""Regenerate the README figures in docs/figures/ from the bundled banks and examples.

    .venv/bin/python scripts/make_figures.py [--out docs/figures] [--only crosswalk radar-aws ...]

Uses ``data/examples/*.json`` when there are some for a model (the first as "current",
the rest as other respondents); otherwise it builds deterministic synthetic answers, so
the figures can be made before any example exists.
"""

from __future__ import annotations

import argparse
import zlib
from pathlib import Path

from mlops_workbook import (
    Assessment,
    Framework,
    list_frameworks,
    load_assessment,
    new_assessment,
    score_assessment,
    set_answer,
)
from mlops_workbook.charts import (
    crosswalk_chart,
    level_chart,
    overview_chart,
    radar_chart,
    to_png,
    use_workbook_theme,
)
from mlops_workbook.model.paths import EXAMPLES_DIR, PROJECT_ROOT
from mlops_workbook.scoring.rules import ScoreCard


def synthetic(framework: Framework, seed: str, lift: int = 0) -> Assessment:
    """Answers with a deterministic pattern: lower levels more in place than higher ones."""
    assessment = new_assessment(framework, team="Example team", respondent=seed)
    ranks = {lv.id: lv.rank for lv in framework.levels}
    for i, question in enumerate(framework.questions):
        jitter = zlib.crc32(f"{seed}:{question.id}".encode()) % 4 - 1
        value = max(0, min(4, 4 - ranks[question.level] + jitter + lift))
        if i == 5:
            set_answer(assessment, question.id, "na", na_reason="No such system here")
        else:
            set_answer(assessment, question.id, value)
    target = framework.levels_by_rank[min(2, framework.top.rank)].id
    assessment.targets = {d.id: target for d in framework.dimensions}
    return assessment


def examples(framework: Framework, folder: Path = EXAMPLES_DIR) -> list[Assessment]:
    found = [load_assessment(path) for path in sorted(folder.glob("*.json"))]
    return [a for a in found if a.framework == framework.id]


def perturbed(assessment: Assessment, seed: str, shift: int, spread: int) -> Assessment:
    """A copy with every numeric answer moved by ``shift`` plus a deterministic jitter in ``±spread``."""
    copy = assessment.model_copy(deep=True)
    copy.respondent = seed
    for question_id, answer in copy.answers.items():
        if isinstance(answer.value, int):
            jitter = zlib.crc32(f"{seed}:{question_id}".encode()) % (2 * spread + 1) - spread if spread else 0
            set_answer(copy, question_id, max(0, min(4, answer.value + shift + jitter)))
    return copy


def cards_for(framework: Framework) -> tuple[ScoreCard, ScoreCard, list[ScoreCard]]:
    """Current, previous round (answers one step lower) and four other respondents (answers jittered)."""
    found = examples(framework)
    current = found[0] if found else synthetic(framework, "you")
    previous = perturbed(current, "previous", shift=-1, spread=0)
    others = found[1:5] + [perturbed(current, f"other-{i}", shift=0, spread=1) for i in range(4 - len(found[1:5]))]
    return (
        score_assessment(framework, current),
        score_assessment(framework, previous),
        [score_assessment(framework, a) for a in others],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "figures")
    parser.add_argument("--only", nargs="*", default=(), help="figure names to write (default: all)")
    args = parser.parse_args(argv)
    use_workbook_theme()
    wanted = set(args.only)
    args.out.mkdir(parents=True, exist_ok=True)
    frameworks = list_frameworks()
    currents = {}
    for fw in frameworks:
        current, previous, others = cards_for(fw)
        currents[fw.id] = current
        charts = {
            f"radar-{fw.id}": radar_chart(fw, current, previous=previous, others=others, median=True),
            f"levels-{fw.id}": level_chart(fw, current),
            f"overview-{fw.id}": overview_chart(fw),
        }
        for name, chart in charts.items():
            if not wanted or name in wanted:
                (args.out / f"{name}.png").write_bytes(to_png(chart))
                print(args.out / f"{name}.png")
    if not wanted or "crosswalk" in wanted:
        (args.out / "crosswalk.png").write_bytes(to_png(crosswalk_chart(frameworks, currents)))
        print(args.out / "crosswalk.png")


if __name__ == "__main__":
    main()
