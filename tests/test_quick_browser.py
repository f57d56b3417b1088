"""'Quick: all models' as a person uses it: headless Chromium, offline — choose it, answer a core item,
see three models' levels, reload and find it all again."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlparse

import pytest

from mlops_workbook.model.assessment import assessment_path
from tests.browser import assert_no_voila_error, browser_page, require_chromium, voila_server

ITEM = "automated_model_deployment"  # the CI/CD theme; each model asks it as one of its own questions
ROW = f".mw-q-core-{ITEM}"
DERIVED = {
    "aws": "aws.deploy.automated_deployment",
    "azure": "azure.model_release.automated_release",
    "gcp": "gcp.delivery.automated_model_deployment",
}

pytestmark = pytest.mark.browser


def _levels(page) -> list[str]:
    return [cell.inner_text().strip() for cell in page.locator(".mw-quick-levels .mw-quick-level").all()]


def test_quick_answers_once_shows_three_levels_and_survives_reload(tmp_path):
    require_chromium()
    folder = tmp_path / "assessments"
    folder.mkdir()
    with voila_server(folder, log=tmp_path / "voila.log") as base, browser_page(base) as (page, blocked):
        page.goto(
            f"{base}/voila/render/app.ipynb?team=Sales&respondent=R1", wait_until="domcontentloaded", timeout=120_000
        )
        page.wait_for_selector(".mw-overall b", timeout=120_000)
        assert_no_voila_error(page)
        page.get_by_role("button", name="Quick: all models", exact=True).click()
        page.wait_for_selector(".mw-quick-levels", timeout=60_000)
        assert len(_levels(page)) == 3 and set(_levels(page)) == {"not assessed yet"}
        assert parse_qs(urlparse(page.url).query)["framework"] == ["quick"]

        page.locator(".mw-quick .jupyter-widget-Collapse-header", has_text="CI/CD").click()
        page.locator(ROW).get_by_role("button", name="4", exact=True).click()
        page.wait_for_function(
            "() => document.querySelector('.mw-quick-levels').innerText.includes('1 of 34 answers from core items')",
            timeout=30_000,
        )
        levels = _levels(page)
        assert len(levels) == 3 and "not assessed yet" not in levels, levels
        page.locator(".mw-quick-derivation-aws summary").click()
        page.wait_for_function(  # drawn just after the levels (the chart between them); the table may be folded
            "item => document.querySelector('.mw-quick-derivation-aws').textContent.includes('from core item ' + item)",
            arg=ITEM,
            timeout=30_000,
        )
        page.screenshot(path=str(tmp_path / "quick.png"), full_page=True)
        page.locator(".mw-quick-levels").scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "quick-levels.png"))

        deadline = time.monotonic() + 15
        for fid, question in DERIVED.items():
            path = assessment_path(folder, fid, "Sales", "R1")
            while not (path.exists() and question in json.loads(path.read_text())["answers"]):
                assert time.monotonic() < deadline, f"{fid} was derived into its file"
                time.sleep(0.2)
            assert json.loads(path.read_text())["answers"][question]["derived_from"] == [ITEM]

        page.reload(
            wait_until="domcontentloaded", timeout=120_000
        )  # the address says quick: the quick view again, as saved
        page.wait_for_selector(".mw-quick-levels", timeout=120_000)
        assert _levels(page) == levels
        page.locator(".mw-quick .jupyter-widget-Collapse-header", has_text="CI/CD").click()
        assert page.locator(ROW).locator("button.mod-active").inner_text().strip() == "4"
        page.screenshot(path=str(tmp_path / "quick-reloaded.png"), full_page=True)
        # only Voilà's own icon font asks a CDN (and does without it); the app itself stays offline
        assert all("fontawesome" in url for url in blocked), blocked
