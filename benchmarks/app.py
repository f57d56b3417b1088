"""Benchmark the Voilà app in Chromium: page to usable questionnaire, and click to chart.

    .venv/bin/python benchmarks/app.py [--loads 3] [--clicks 30]

Starts Voilà twice with the same command as ``make app`` — once with a kernel started
per page (cold) and once with pre-heated kernels — and for each measures, in headless
Chromium, the time from page request to a usable questionnaire (answer buttons and the
overall result visible). Then, on one page, it clicks answers and measures in the
browser the time from the click to the updated radar chart (median and p95).
For scale, it also times Voilà's own floor: a one-button notebook, pre-heated.
Needs Debian's Chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import browser_page, voila_server

QUESTION_ROW = ".mw-q-aws-deploy-automated_deployment"
USABLE = ".mw-q button"  # the first dimension's answer buttons

# Click answers in the page and time, in the browser, click -> radar replaced.
CLICK_LOOP = """
async ([row, n]) => {
  const radar = document.querySelector('.mw-radar');
  const times = [];
  for (let i = 0; i < n; i++) {
    const label = ['2', '4', '1', '3'][i % 4];
    const button = [...document.querySelectorAll(row + ' button')].find(b => b.innerText.trim() === label);
    const changed = new Promise(resolve => {
      const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
      observer.observe(radar, {childList: true, subtree: true, characterData: true});
    });
    const start = performance.now();
    button.click();
    times.push((await changed) - start);
    await new Promise(r => setTimeout(r, 250));  // let the level chart and table settle
  }
  return times;
}
"""


def page_load_seconds(
    base: str, loads: int, pause: float, notebook: str = "app.ipynb", ready: tuple[str, ...] = (".mw-overall b", USABLE)
) -> list[float]:
    """Seconds from page request until every ``ready`` selector is in the page, ``loads`` times."""
    times = []
    for _ in range(loads):
        with browser_page(base) as (page, _blocked):
            start = time.perf_counter()
            page.goto(f"{base}/voila/render/{notebook}", wait_until="commit", timeout=120_000)
            for selector in ready:
                page.wait_for_selector(selector, state="attached", timeout=120_000)
            times.append(time.perf_counter() - start)
        time.sleep(pause)  # let Voilà refill its pool of pre-heated kernels
    return times


def click_times(base: str, clicks: int) -> list[float]:
    with browser_page(base) as (page, _blocked):
        page.goto(f"{base}/voila/render/app.ipynb", timeout=120_000)
        page.wait_for_selector(".mw-overall b", timeout=120_000)
        page.locator(".jupyter-widget-Collapse-header", has_text="Deploy").click()
        page.wait_for_timeout(500)
        return page.evaluate(CLICK_LOOP, [QUESTION_ROW, clicks])


FLOOR_CELLS = {
    "floor.ipynb": "import ipywidgets as w\nw.Button(description='ok').add_class('mw-q')",
    "floor-wait.ipynb": "from mlops_workbook.app.page_bridge import page_request\npage_request()\n"
    "import ipywidgets as w\n"
    "b = w.Button(description='ok')\nb.add_class('mw-q')\nb",
}


def voila_floor(loads: int, pool: int) -> dict[str, float]:
    """Voilà's own time for a one-button notebook, pre-heated: without and with waiting for the
    page request (which the app needs to read ?team=… from the URL)."""
    import nbformat

    from tests.browser import free_port, local_server

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in FLOOR_CELLS.items():
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            nbformat.write(nb, Path(tmp) / name)
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "voila",
            tmp,
            f"--port={port}",
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            "--preheat_kernel=True",
            f"--pool_size={pool}",
        ]
        with local_server(command, port) as base:
            time.sleep(20)
            for name in FLOOR_CELLS:
                times = page_load_seconds(base, loads, pause=8, notebook=name, ready=(".mw-q",))
                results[name] = statistics.median(times)
    return results


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--pool", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with voila_server(Path(tmp) / "cold", pool=0) as base:
            cold = page_load_seconds(base, args.loads, pause=1)
            clicks = click_times(base, args.clicks)
        with voila_server(Path(tmp) / "warm", pool=args.pool) as base:
            time.sleep(20)  # the pool fills in the background after start-up
            warm = page_load_seconds(base, args.loads, pause=12)
    floor = voila_floor(args.loads, args.pool)
    print(
        f"page request -> usable questionnaire, cold kernel:     median {statistics.median(cold):.2f} s "
        f"({', '.join(f'{t:.2f}' for t in cold)})"
    )
    print(
        f"page request -> usable questionnaire, pre-heated pool: median {statistics.median(warm):.2f} s "
        f"({', '.join(f'{t:.2f}' for t in warm)})"
    )
    print(
        f"pre-heated / cold: {statistics.median(warm) / statistics.median(cold):.2f}  "
        f"(cold is {statistics.median(cold) / statistics.median(warm):.1f}x slower; target <= 1 s pre-heated)"
    )
    print(
        f"Voila's own floor, a one-button notebook pre-heated: {floor['floor.ipynb']:.2f} s; the same waiting "
        f"for the page request as the app does (to read ?team=... from the URL): {floor['floor-wait.ipynb']:.2f} s"
    )
    print(
        f"click -> updated radar over {len(clicks)} clicks: median {statistics.median(clicks):.0f} ms, "
        f"p95 {p95(clicks):.0f} ms (target p95 <= 150 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
