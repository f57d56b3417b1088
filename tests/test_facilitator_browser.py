"""The facilitator page as a projector shows it: Voilà, headless Chromium, offline."""

from __future__ import annotations

import os
from html import unescape
from pathlib import Path

import pytest

from mlops_workbook import load_framework
from mlops_workbook.workshop.aggregation import answers_frame, load_responses, summarise
from mlops_workbook.workshop.demo import seed_demo
from tests.browser import assert_no_voila_error, browser_page, require_chromium, voila_server

pytestmark = pytest.mark.browser

#: Set to a path to keep the screenshot (docs/figures/workshop.png is made this way).
SCREENSHOT = os.environ.get("MLOPS_WORKBOOK_WORKSHOP_SCREENSHOT", "")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("assessments")
    seed_demo(folder, "aws", teams=3, respondents=6)
    log = folder.parent / "voila-workshop.log"
    with voila_server(folder, pool=0, log=log) as base:
        yield base, folder


def test_facilitator_page_shows_respondents_and_the_discussion_list(server, tmp_path):
    base, folder = server
    fw = load_framework("aws")
    found, _ = load_responses(folder, fw)
    summary = summarise(fw, answers_frame(fw, found))
    team = sorted({a.team for a in found})[0]
    top = fw.question(summary.discussion(top=1, team=team)["question"][0]).text
    with browser_page(base) as (page, blocked):
        page.goto(f"{base}/voila/render/50-workshop.ipynb", wait_until="domcontentloaded", timeout=90_000)
        page.wait_for_selector(".mw-discussion .mw-disc-item", timeout=90_000)
        page.wait_for_selector(".mw-team-radar svg", timeout=30_000)
        assert_no_voila_error(page)
        assert "18 respondents in 3 teams" in page.inner_text(".mw-respondent-count")
        first = page.locator(".mw-discussion .mw-disc-item").first
        assert unescape(top) in first.inner_text()
        body = page.inner_text("body")
        assert "Alex" not in body and "R01" in body, "names stay hidden on the projector"
        shot = Path(SCREENSHOT) if SCREENSHOT else tmp_path / "workshop.png"
        page.screenshot(path=str(shot), full_page=not SCREENSHOT)
        assert shot.stat().st_size > 10_000
    assert all("fontawesome" in url for url in blocked), blocked
