"""What one answer costs the kernel: scoring, both charts rebuilt and drawn, the results panel refreshed.

    .venv/bin/python benchmarks/redraw.py [--answers 40] [--runs 30]

No browser, no server: the App is built in this process (as a Voilà kernel builds it) on a
file in a temporary folder, and each answer is given through its answer buttons, so the
handler, the save, the scoring and the redraw all run as in the page. Prints:

1. answer -> results redrawn, median and p95, over ``--answers`` answers that each make
   a state not seen before (so no drawing is reused);
2. one answer changed back and forth (earlier states: the charts' SVGs are reused);
3. the parts of one redraw, median of ``--runs``: building each chart, its spec, its SVG;
4. building and specifying the radar and level chart with Altair's defaults (per-object
   validation, no reused skeleton) against the way the workbook does it, and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import altair as alt
from altair.utils import schemapi

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlops_workbook import charts
from mlops_workbook.app.widgets import App
from mlops_workbook.charts import engine, export
from mlops_workbook.charts.levels import level_chart
from mlops_workbook.charts.radar import radar_chart
from mlops_workbook.charts.theme import register_data_transformer


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def answer_times(app: App, answers: list[tuple[str, int]]) -> list[float]:
    times = []
    for qid, value in answers:
        start = time.perf_counter()
        app.pages.row(qid).buttons.value = value  # the button's observer saves, scores and redraws
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    charts.use_workbook_theme()
    charts.warm_up()

    with tempfile.TemporaryDirectory() as folder:
        app = App("aws", team="Bench", respondent="R1", folder=folder)
        questions = [q.id for q in app.framework.questions][: args.answers]
        for qid in questions:  # each dimension's rows built first, as when a person opens its page
            app.pages.row(qid)
        fresh = [(qid, 4) for qid in questions]  # each answer makes a new state
        new = answer_times(app, fresh)
        # a person changing their mind on one answer, back and forth: after the first two, each state was seen
        back = answer_times(app, [(questions[0], (0, 4)[i % 2]) for i in range(len(questions) + 2)])[2:]
        report = app.report()

    fw, card = report.framework, report.card
    radar = radar_chart(fw, card, target=True, previous=report.previous_card)
    levels = level_chart(fw, card)
    radar_spec, level_spec = export.chart_spec(radar), export.chart_spec(levels)

    def draw(spec: dict) -> Callable[[], object]:
        return lambda: engine.vegalite_to_svg(spec, export.VL_VERSION)

    def altair_default(build: Callable[..., alt.TopLevelMixin], *a: object, **k: object) -> Callable[[], object]:
        def run() -> object:
            with schemapi.debug_mode(True), alt.data_transformers.enable(register_data_transformer()):
                return getattr(build, "__wrapped__", build)(*a, **k).to_dict(validate=False)

        return run

    parts = {
        "radar: build": median_ms(lambda: radar_chart(fw, card, target=True, previous=report.previous_card), args.runs),
        "radar: spec (skeleton reused)": median_ms(lambda: export.chart_spec(radar), args.runs),
        "radar: SVG drawn": median_ms(draw(radar_spec), args.runs),
        "level chart: build": median_ms(lambda: level_chart(fw, card), args.runs),
        "level chart: spec (skeleton reused)": median_ms(lambda: export.chart_spec(levels), args.runs),
        "level chart: SVG drawn": median_ms(draw(level_spec), args.runs),
    }
    ours = median_ms(
        lambda: (
            export.chart_spec(radar_chart(fw, card, target=True, previous=report.previous_card)),
            export.chart_spec(level_chart(fw, card)),
        ),
        args.runs,
    )
    default_radar = altair_default(radar_chart, fw, card, target=True, previous=report.previous_card)
    default_levels = altair_default(level_chart, fw, card)
    defaults = median_ms(lambda: (default_radar(), default_levels()), args.runs)

    print(f"answer -> results redrawn, {len(new)} new states: median {statistics.median(new):.0f} ms, "
          f"p95 {p95(new):.0f} ms")  # fmt: skip
    print(f"answer -> results redrawn, {len(back)} earlier states (SVGs reused): median "
          f"{statistics.median(back):.0f} ms, p95 {p95(back):.0f} ms")  # fmt: skip
    for name, ms in parts.items():
        print(f"  {name:38} {ms:6.1f} ms")
    print(f"radar + level chart, build and spec: Altair's defaults {defaults:.0f} ms, the workbook's {ours:.0f} ms "
          f"({defaults / ours:.1f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
