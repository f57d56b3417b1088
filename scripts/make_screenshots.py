"""Regenerate the README's screenshots of the Voilà app, the facilitator page, a report and the index.

    .venv/bin/python scripts/make_screenshots.py

Serves the notebooks with the same command as ``make app`` on a temporary assessments
folder (the app opens its worked example; the facilitator page gets demo respondents),
then takes screenshots in headless Chromium with the network closed. The report and the index
come from ``mlops-workbook report data/examples``, opened from disk.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlops_workbook.cli.main import main as cli
from mlops_workbook.workshop.demo import seed_demo
from tests.browser import assert_no_voila_error, browser_page, voila_server

OUT = ROOT / "docs" / "figures"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "assessments"
        seed_demo(folder, "aws")
        with voila_server(folder, pool=0) as base, browser_page(base) as (page, _blocked):
            page.set_viewport_size({"width": 1500, "height": 1050})
            page.goto(f"{base}/voila/render/app.ipynb", timeout=120_000)
            page.wait_for_selector(".mw-radar svg", timeout=120_000)
            assert_no_voila_error(page)
            page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / "app.png"))
            print(f"wrote {OUT / 'app.png'}")

            page.goto(f"{base}/voila/render/50-workshop.ipynb", timeout=120_000)
            page.wait_for_selector(".mw-discussion", timeout=120_000)
            assert_no_voila_error(page)
            page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / "workshop.png"), full_page=True)
            print(f"wrote {OUT / 'workshop.png'}")

        reports = Path(tmp) / "reports"
        if cli(["report", str(ROOT / "data" / "examples"), "-o", str(reports), "--quiet"]) != 0:
            return 1
        with browser_page("file://") as (page, _blocked):
            page.set_viewport_size({"width": 1200, "height": 1500})
            report = next(p for p in sorted(reports.glob("*.html")) if p.name != "index.html")
            for source, name in ((report, "report.png"), (reports / "index.html", "index.png")):
                page.goto(source.as_uri())
                page.wait_for_timeout(500)
                page.screenshot(path=str(OUT / name))
                print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
