"""`make lab`: the notebooks in JupyterLab, run by a person in Chromium — widgets and charts render."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

from mlops_workbook import load_framework
from tests.browser import browser_page, free_port, local_server, require_chromium

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
            page.keyboard.press("Escape")
            page.click("text=Run", timeout=30_000)
            page.click("text=Run All Cells", timeout=30_000)
            page.wait_for_selector(".mw-overall b", timeout=120_000)
            page.wait_for_selector(".mw-radar svg", timeout=60_000)
            assert "Initial" in page.inner_text(".mw-overall")
            first = load_framework("aws").questions_for("people")[0].id  # answered 4 in the example
            page.locator(".mw-q").first.get_by_role("button", name="1", exact=True).click()
            saved = tmp_path / "assessments" / "aws" / "example-team--example.json"
            deadline = time.monotonic() + 30
            while json.loads(saved.read_text())["answers"][first]["value"] != 1:
                assert time.monotonic() < deadline, "the click in JupyterLab was not saved"
                page.wait_for_timeout(200)
            page.wait_for_function(
                "() => document.querySelector('.mw-overall').innerText.includes('1.23')", timeout=30_000
            )
            page.screenshot(path=str(tmp_path / "lab.png"))
        assert not [url for url in blocked if "fontawesome" not in url], blocked
