"""The Voilà page 60-portfolio as a browser shows it: headless Chromium, offline, no error on the page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import assert_no_voila_error, browser_page, require_chromium, voila_server
from tests.reports.org_folder import make_org_folder

pytestmark = pytest.mark.browser

#: Set to a path to keep the screenshot.
SCREENSHOT = os.environ.get("MLOPS_WORKBOOK_PORTFOLIO_SCREENSHOT", "")


def test_the_portfolio_page_shows_the_organisation_in_voila(tmp_path: Path):
    require_chromium()
    folder = make_org_folder(tmp_path / "assessments")
    log = tmp_path / "voila-portfolio.log"
    with voila_server(folder, pool=0, log=log) as base, browser_page(base) as (page, blocked):
        page.goto(f"{base}/voila/render/60-portfolio.ipynb", wait_until="domcontentloaded", timeout=90_000)
        page.get_by_role("heading", name="Blockers that hold back the most teams").wait_for(timeout=120_000)
        assert_no_voila_error(page)
        text = page.inner_text("body")
        # the app's folder (MLOPS_WORKBOOK_ASSESSMENTS): fails if the page reads another folder
        assert "3 teams in 3 business units" in text
        assert "<script>alert(1)</script>" in text  # shown as text, never run
        assert page.locator("svg").count() >= 3
        link = page.get_by_role("link", name="Export every blocker as CSV")
        assert (link.get_attribute("href") or "").startswith("data:text/csv;base64,")
        if SCREENSHOT:
            page.screenshot(path=SCREENSHOT, full_page=False)
            page.locator("table.mwr-blockers").scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOT.replace(".png", "-blockers.png"))
        # the page works offline: nothing but Voilà's own icon font is asked from the network
        assert all("fontawesome" in url or "shims" in url for url in blocked), blocked
