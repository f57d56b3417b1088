"""The Voilà app as a person uses it: in headless Chromium, offline, click, reload, lose the kernel."""

from __future__ import annotations

import json
import os
import signal
from urllib.parse import parse_qs, urlparse

import psutil
import pytest

from mlops_workbook.app.page_bridge import INTERVAL_ENV
from mlops_workbook.model.assessment import assessment_path
from tests.browser import assert_no_voila_error, browser_page, require_chromium, saved_answer, voila_server

QUESTION = "aws.deploy.automated_deployment"  # answered (above 0) in the bundled AWS example
ROW = f".mw-q-{QUESTION.replace('.', '-')}"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("assessments")
    log = folder.parent / "voila.log"
    old = os.environ.get(INTERVAL_ENV)
    os.environ[INTERVAL_ENV] = "1000"  # the kernels inherit it: a lost kernel shows within ~4 s
    try:
        with voila_server(folder, pool=1, log=log) as base:
            yield base, folder
    finally:
        os.environ.pop(INTERVAL_ENV) if old is None else os.environ.__setitem__(INTERVAL_ENV, old)


def _wait_for_app(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=90_000)
    page.wait_for_selector(".mw-overall b", timeout=90_000)
    page.wait_for_selector(".mw-radar svg", timeout=30_000)


def _answer(page, value: str) -> None:
    page.locator(".jupyter-widget-Collapse-header", has_text="Deploy").click()
    page.locator(ROW).get_by_role("button", name=value, exact=True).click()


def test_example_then_own_file_survives_reload(server, tmp_path):
    base, folder = server
    with browser_page(base) as (page, blocked):
        _wait_for_app(page, f"{base}/voila/render/app.ipynb")
        assert_no_voila_error(page)
        overall_before = page.inner_text(".mw-overall")
        radar_before = page.inner_html(".mw-radar")
        assert "Worked example" in page.inner_text(".mw-status")

        # The example answers back (in memory) but never writes a file.
        _answer(page, "0")  # the example answers it 3 or less; 0 lowers the score whatever the example says
        page.wait_for_function(
            "before => document.querySelector('.mw-overall').innerText !== before", arg=overall_before, timeout=15_000
        )
        page.wait_for_function(
            "before => document.querySelector('.mw-radar').innerHTML !== before", arg=radar_before, timeout=15_000
        )
        assert not list(folder.rglob("*.json")), "the worked example is read-only"

        # Open my own file: the address now carries who I am, and shows my personal link.
        page.get_by_role("textbox", name="Team", exact=True).fill("Sales")
        page.get_by_role("textbox", name="Respondent", exact=True).fill("김민준")
        page.get_by_role("button", name="Open / resume").click()
        page.wait_for_selector(".mw-personal-link", timeout=15_000)
        query = parse_qs(urlparse(page.url).query)
        assert query["team"] == ["Sales"] and query["respondent"] == ["김민준"] and query["framework"] == ["aws"]
        _answer(page, "3")
        page.wait_for_function("() => document.querySelector('.mw-status').innerText.includes('Saved at')")
        assert saved_answer(folder, "aws", "Sales", "김민준", QUESTION) == 3
        page.screenshot(path=str(tmp_path / "own-file.png"), full_page=True)

        # A reload comes back to my file, not to the example.
        page.reload(wait_until="domcontentloaded")
        page.wait_for_selector(".mw-overall b", timeout=90_000)
        page.locator(".jupyter-widget-Collapse-header", has_text="Deploy").click()
        assert page.locator(ROW).locator("button.mod-active").inner_text().strip() == "3"
        assert "Worked example" not in page.inner_text(".mw-status")
        assert_no_voila_error(page)
    # Only optional icon fonts may be asked of the (closed) network; the app worked without them.
    assert all("fontawesome" in url for url in blocked), blocked


def _kernels_of(port: int) -> list[psutil.Process]:
    for proc in psutil.process_iter(["cmdline"]):
        if any(f"--port={port}" == part for part in proc.info["cmdline"] or []):
            return [c for c in proc.children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]
    raise AssertionError(f"no Voilà server on port {port}")


def test_a_dead_kernel_shows_a_banner_and_disables_answers(server, tmp_path):
    base, folder = server
    port = int(urlparse(base).port)
    with browser_page(base) as (page, _blocked):
        _wait_for_app(page, f"{base}/voila/render/app.ipynb?framework=aws&team=Lost&respondent=R1")
        _answer(page, "2")
        page.wait_for_function("() => document.querySelector('.mw-status').innerText.includes('Saved at')")
        assert page.locator(".mw-lost").is_hidden()
        for kernel in _kernels_of(port):
            kernel.send_signal(signal.SIGKILL)
        page.wait_for_selector(".mw-lost", state="visible", timeout=30_000)
        banner = page.inner_text(".mw-lost")
        assert "Connection lost" in banner and "safe" in banner and "Reload" in banner
        assert page.locator(ROW).get_by_role("button", name="4", exact=True).is_disabled()
        assert page.get_by_role("button", name="Reload the page").is_enabled()
        page.screenshot(path=str(tmp_path / "lost.png"), full_page=True)
    saved = json.loads(assessment_path(folder, "aws", "Lost", "R1").read_text())
    assert saved["answers"][QUESTION]["value"] == 2, "what was saved before the loss is there"
