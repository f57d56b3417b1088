"""Which way to redraw a chart in Voilà: alt.JupyterChart (offline) or SVG in an HTML widget?

    .venv/bin/python benchmarks/chart_update.py [--clicks 20]

Serves a one-cell notebook with both displays of the same radar and two buttons; each
click changes one answer, rescores, and redraws one display. In headless Chromium (the
network closed, so JupyterChart must run offline) it times click -> new chart painted
(see LOOP), and counts moments where the chart was gone from the page (flicker).
The app uses the SVG way: as fast, no flicker, no extra JavaScript, and the same SVG
serves the reports and downloads.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import browser_page, free_port, local_server

CELL = """
import altair as alt, ipywidgets as w
from mlops_workbook import load_framework, load_assessment, score_assessment, set_answer
from mlops_workbook import charts
charts.use_workbook_theme()
alt.JupyterChart.enable_offline()
fw = load_framework("aws")
a = load_assessment(r"{example}")
jc = alt.JupyterChart(charts.radar_chart(fw, score_assessment(fw, a)))
jc.add_class("b-target-jc")
html = w.HTML(charts.to_svg(charts.radar_chart(fw, score_assessment(fw, a))))
html.add_class("b-target-svg")
state = dict(i=0)
def answer():
    state["i"] += 1
    set_answer(a, "aws.deploy.automated_deployment", [2, 4, 1, 3][state["i"] % 4])
    # the title counts clicks: every redraw is a chart the page has not shown yet
    return charts.radar_chart(fw, score_assessment(fw, a)).properties(title=f"click {{state['i']}}")
def redraw_jc(_):
    jc.chart = answer()
def redraw_svg(_):
    html.value = charts.to_svg(answer())
b1 = w.Button(description="JupyterChart"); b1.add_class("b-jc"); b1.on_click(redraw_jc)
b2 = w.Button(description="SVG"); b2.add_class("b-svg"); b2.on_click(redraw_svg)
w.VBox([w.HBox([b1, b2]), jc, html])
"""

#: One click after another: the time from the click to the frame after the one in which the
#: target first shows a chart different (SVG text and paths, or canvas pixels) from the one
#: before the click (each redraw is titled with its click number): the new chart painted, not
#: the first change of the DOM (a removal, an empty placeholder or the old chart re-inserted
#: count for nothing). Polled once a frame (requestAnimationFrame), so times are whole frames;
#: the second frame is the paint.
LOOP = """
async ([button, target, n]) => {
  const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
  const shape = el => {
    const canvas = el.querySelector('canvas');
    if (canvas) return canvas.toDataURL();
    const svg = el.querySelector('svg');
    if (!svg || !svg.querySelector('path')) return '';
    return svg.textContent + Array.from(svg.querySelectorAll('path')).map(p => p.getAttribute('d')).join('|');
  };
  const times = []; let flicker = 0;
  for (let i = 0; i < n; i++) {
    const el = document.querySelector(target);
    const before = shape(el);
    const observer = new MutationObserver(() => { if (!el.querySelector('svg, canvas')) flicker++; });
    observer.observe(el, {childList: true, subtree: true});
    const start = performance.now();
    document.querySelector(button).click();
    for (;;) {
      await frame();
      const now = shape(el);
      if (now && now !== before) break;
      if (performance.now() - start > 30000) throw new Error('no new chart within 30 s');
    }
    await frame();  // the frame that laid the new chart out has been painted
    times.push(performance.now() - start);
    observer.disconnect();
    await new Promise(r => setTimeout(r, 300));
  }
  return [times, flicker];
}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        example = ROOT / "data" / "examples" / "aws-retail-forecasting.json"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL.format(example=example))])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, Path(tmp) / "bench.ipynb")
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "voila",
            str(Path(tmp) / "bench.ipynb"),
            f"--port={port}",
            "--no-browser",
            "--Voila.ip=127.0.0.1",
        ]
        with local_server(command, port) as base, browser_page(base) as (page, _blocked):
            page.goto(base, timeout=120_000)
            page.wait_for_selector(".b-target-jc svg, .b-target-jc canvas", timeout=120_000)
            page.wait_for_selector(".b-target-svg svg", timeout=120_000)
            for name, button, target in (
                ("alt.JupyterChart, offline", ".b-jc", ".b-target-jc"),
                ("SVG in an HTML widget", ".b-svg", ".b-target-svg"),
            ):
                times, flicker = page.evaluate(LOOP, [button, target, args.clicks])
                times.sort()
                p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                print(
                    f"{name:<28} click -> new chart: median {statistics.median(times):4.0f} ms, "
                    f"p95 {p95:4.0f} ms; moments without a chart: {flicker}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
