"""`make lab`: the notebooks in JupyterLab, run by a person in Chromium — widgets and charts render."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from mlops_workbook import load_framework
from mlops_workbook.model.assessment import assessment_path
from tests.browser import browser_page, free_port, local_server, require_chromium

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_a_model_notebook_runs_in_jupyterlab_with_widgets_and_charts(tmp_path):
    require_chromium()
    work = tmp_path / "notebooks"  # a copy: JupyterLab may autosave what it runs
    shutil.copytree(NOTEBOOKS, work)
    port = free_port()
    env = {**os.environ, "MLOPS_WORKBOOK_ASSESSMENTS": str(tmp_path / "assessments")}
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--allow-root",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={work}",
        "--LabApp.news_url=",
        "--LabServerApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with local_server(command, port, env=env, log=tmp_path / "lab.log", ready_path="/lab") as base:
        with browser_page(base) as (page, blocked):
            page.goto(f"{base}/lab/tree/10-aws.ipynb", timeout=120_000)
            page.wait_for_selector(".jp-Notebook", timeout=120_000)
            page.wait_for_timeout(2000)
            page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=120_000)
            # JupyterLab can drop a Run All given while its kernel connection settles: ask again, at most 3 times.
            for attempt in range(3):
                page.keyboard.press("Escape")
                page.click("text=Run", timeout=30_000)
                page.click("text=Run All Cells", timeout=30_000)
                try:
                    page.wait_for_selector(".mw-overall b", timeout=60_000)
                    break
                except Exception:
                    if attempt == 2:
                        page.screenshot(path=str(tmp_path / "lab-failed.png"), full_page=True)
                        raise
            page.wait_for_selector(".mw-radar svg", timeout=60_000)
            assert "Worked example" in page.inner_text(".mw-status")
            # My own file, as a self-paced learner opens it: type who I am, Open, answer.
            page.get_by_role("textbox", name="Team", exact=True).fill("Learners")
            page.get_by_role("textbox", name="Respondent", exact=True).fill("me")
            page.get_by_role("button", name="Open / resume").click()
            page.wait_for_function(
                "() => document.querySelector('.mw-overall').innerText.includes('not assessed')", timeout=30_000
            )
            first = load_framework("aws").questions_for("people")[0].id
            page.locator(".mw-q").first.get_by_role("button", name="4", exact=True).click()
            saved = assessment_path(tmp_path / "assessments", "aws", "Learners", "me")
            deadline = time.monotonic() + 30
            while not (saved.exists() and json.loads(saved.read_text())["answers"].get(first, {}).get("value") == 4):
                assert time.monotonic() < deadline, "the click in JupyterLab was not saved"
                page.wait_for_timeout(200)
            page.wait_for_function(
                "() => !document.querySelector('.mw-overall').innerText.includes('not assessed')", timeout=30_000
            )
            assert page.locator(".mw-personal-link").count() == 0, "JupyterLab's address is not the app's"
            assert "/lab/tree/10-aws.ipynb" in page.url
            page.screenshot(path=str(tmp_path / "lab.png"))
        assert not [url for url in blocked if "fontawesome" not in url], blocked
