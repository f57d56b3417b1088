"""The Voilà app as a person uses it: in headless Chromium, offline, click, reload."""

from __future__ import annotations

import json

import pytest

from tests.browser import assert_no_voila_error, browser_page, require_chromium, voila_server

QUESTION = "aws.deploy.automated_deployment"  # answered 1 in the bundled AWS example


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("assessments")
    log = folder.parent / "voila.log"
    with voila_server(folder, pool=1, log=log) as base:
        yield base, folder


def _wait_for_app(page, base: str) -> None:
    page.goto(f"{base}/voila/render/app.ipynb", wait_until="domcontentloaded", timeout=90_000)
    page.wait_for_selector(".mw-overall b", timeout=90_000)
    page.wait_for_selector(".mw-radar svg", timeout=30_000)


def test_answer_updates_results_and_survives_reload(server, tmp_path):
    base, folder = server
    row = f".mw-q-{QUESTION.replace('.', '-')}"
    with browser_page(base) as (page, blocked):
        _wait_for_app(page, base)
        assert_no_voila_error(page)
        overall_before = page.inner_text(".mw-overall")
        radar_before = page.inner_html(".mw-radar")
        assert "Initial" in overall_before and "1.48" in overall_before

        page.locator(".jupyter-widget-Collapse-header", has_text="Deploy").click()
        page.locator(row).get_by_role("button", name="4", exact=True).click()
        page.wait_for_function(
            "before => document.querySelector('.mw-overall').innerText !== before",
            arg=overall_before,
            timeout=15_000,
        )
        assert "1.67" in page.inner_text(".mw-overall")
        # the radar follows the answer (its update arrives as its own widget message)
        page.wait_for_function(
            "before => document.querySelector('.mw-radar').innerHTML !== before", arg=radar_before, timeout=15_000
        )
        assert "1.42" in page.inner_html(".mw-radar") and "1.42" not in radar_before  # Deploy: 0.67 -> 1.42
        assert "Saved at" in page.inner_text(".mw-status")
        page.screenshot(path=str(tmp_path / "answered.png"), full_page=True)

        saved = json.loads((folder / "aws" / "example-team--example.json").read_text())
        assert saved["answers"][QUESTION]["value"] == 4

        page.reload(wait_until="domcontentloaded")
        page.wait_for_selector(".mw-overall b", timeout=90_000)
        page.locator(".jupyter-widget-Collapse-header", has_text="Deploy").click()
        active = page.locator(row).locator("button.mod-active")
        assert active.inner_text().strip() == "4", "the answer persisted across a reload"
        assert "1.67" in page.inner_text(".mw-overall")
        assert_no_voila_error(page)
        page.screenshot(path=str(tmp_path / "reloaded.png"), full_page=True)
    # Only optional icon fonts may be asked of the (closed) network; the app worked without them.
    assert all("fontawesome" in url for url in blocked), blocked
