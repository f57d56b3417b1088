"""`make lab`: the notebooks in JupyterLab, run by a person in Chromium — widgets and charts render."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.browser import browser_page, free_port, require_chromium

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
    with open(tmp_path / "lab.log", "wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (tmp_path / "lab.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "JupyterLab did not start within 90 s"
            try:
                urllib.request.urlopen(base + "/lab", timeout=2).close()
                break
            except OSError:
                time.sleep(0.5)
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
            page.locator(".mw-q").first.get_by_role("button", name="3", exact=True).click()
            page.wait_for_function(
                "() => document.querySelector('.mw-status').innerText.includes('Saved at')", timeout=30_000
            )
            page.screenshot(path=str(tmp_path / "lab.png"))
        assert not [url for url in blocked if "fontawesome" not in url], blocked
        assert (tmp_path / "assessments" / "aws" / "example-team--example.json").exists()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
