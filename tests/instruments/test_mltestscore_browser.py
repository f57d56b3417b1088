"""The ML Test Score in the Voilà app, in headless Chromium: its own three answers, saved, scored, reloaded."""

from __future__ import annotations

import pytest

from tests.browser import assert_no_voila_error, browser_page, require_chromium, saved_answer, voila_server

QUESTION = "mltestscore.monitoring.prediction_quality"
ROW = f".mw-q-{QUESTION.replace('.', '-')}"

pytestmark = pytest.mark.browser


def test_answer_the_ml_test_score_on_its_scale_and_reload(tmp_path):
    require_chromium()
    folder = tmp_path / "assessments"
    with voila_server(folder, pool=0, log=tmp_path / "voila.log") as base, browser_page(base) as (page, _blocked):
        url = f"{base}/voila/render/app.ipynb?framework=mltestscore&team=Search&respondent=R1"
        page.goto(url, wait_until="domcontentloaded", timeout=90_000)
        page.wait_for_selector(".mw-overall b", timeout=90_000)
        assert_no_voila_error(page)
        page.locator(".jupyter-widget-Collapse-header", has_text="Monitoring").click()
        page.wait_for_selector(f"{ROW} button", timeout=30_000)
        page.screenshot(path=str(tmp_path / "opened.png"), full_page=True)
        buttons = page.locator(ROW).locator(".widget-toggle-buttons button")
        # the scale's own options, not 0-4 (fails if answer_buttons goes back to ANSWER_OPTIONS)
        assert [b.strip() for b in buttons.all_inner_texts()] == ["Not done", "Manual", "Automated", "?"]
        page.locator(ROW).get_by_role("button", name="Manual", exact=True).click()
        page.wait_for_function("() => document.querySelector('.mw-status').innerText.includes('Saved at')")
        assert saved_answer(folder, "mltestscore", "Search", "R1", QUESTION) == 1
        page.wait_for_selector(".mw-outcome", timeout=15_000)  # the rule's own result: sections, band, why
        assert "lowest section sum" in page.inner_text(".mw-outcome")
        page.screenshot(path=str(tmp_path / "mltestscore.png"), full_page=True)

        page.reload(wait_until="domcontentloaded")  # the saved file opens again, on the same scale
        page.wait_for_selector(".mw-overall b", timeout=90_000)
        page.locator(".jupyter-widget-Collapse-header", has_text="Monitoring").click()
        page.wait_for_selector(f"{ROW} button.mod-active", timeout=30_000)
        assert page.locator(ROW).locator("button.mod-active").inner_text().strip() == "Manual"
        assert_no_voila_error(page)
