"""Serving a room (`make app`): commands, pools, cell timeout, kernel release, ceiling, access codes.

The first tests read the configuration headlessly; the others start real servers (and Chromium,
with the network closed except the server). Browser tests fail, never skip, without Chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from mlops_workbook import serve, voila_app
from mlops_workbook.app import page_bridge
from mlops_workbook.model.paths import NOTEBOOKS_DIR
from tests.browser import CHROMIUM, assert_no_voila_error, browser_page, workbook_server


def _args(**overrides) -> argparse.Namespace:
    defaults = dict(
        host="127.0.0.1", port=9100, pool=2, max_kernels=48, cull_after=120, cell_timeout=120, code="",
        facilitator_code="",
    )  # fmt: skip
    return argparse.Namespace(**{**defaults, **overrides})


# ------------------------------------------------------------------ headless


@pytest.mark.parametrize("notebook", ["app.ipynb", "50-workshop.ipynb"])
def test_only_the_cell_waiting_for_its_page_has_no_timeout(notebook):
    cells = [c for c in nbformat.read(NOTEBOOKS_DIR / notebook, as_version=4).cells if c.cell_type == "code"]
    waiting = [c for c in cells if voila_app.cell_timeout(c, seconds=7) is None]
    assert len(waiting) == 1 and "for_page(" in waiting[0].source
    others = [voila_app.cell_timeout(c, seconds=7) for c in cells if c is not waiting[0]]
    assert others and all(t == 7 for t in others)


def test_pools_only_for_the_app_and_the_facilitator_page():
    app = voila_app.WorkbookVoila()
    app.initialize([str(NOTEBOOKS_DIR), "--preheat_kernel=True", "--pool_size=3", "--WorkbookVoila.cell_timeout=9"])
    pools = app.config.VoilaKernelManager.kernel_pools_config
    assert pools == {
        "default": {"pool_size": 0},
        "app.ipynb": {"pool_size": 3},
        "50-workshop.ipynb": {"pool_size": 1},
    }
    assert app.config.VoilaExecutor.timeout == 9
    assert app.config.VoilaExecutor.timeout_func(nbformat.v4.new_code_cell("App.for_page(framework)")) is None
    assert app.voila_configuration.multi_kernel_manager_class is voila_app.RoomKernelManager


def test_loopback_is_one_code_free_server():
    (server,) = serve.plan_servers(_args())
    assert server.page == "/voila/render/app.ipynb" and not server.code and not server.env
    assert "--WorkbookVoila.max_kernels=48" in server.command
    assert "--MappingKernelManager.cull_connected=False" in server.command
    assert "--MappingKernelManager.cull_idle_timeout=120" in server.command


def test_beyond_loopback_two_servers_each_with_its_own_code(monkeypatch):
    monkeypatch.delenv(serve.CODE_ENV, raising=False)
    monkeypatch.delenv(serve.FACILITATOR_CODE_ENV, raising=False)
    participants, facilitator = serve.plan_servers(_args(host="0.0.0.0"))
    assert participants.command[3].endswith("app.ipynb") and facilitator.command[3].endswith("50-workshop.ipynb")
    assert facilitator.port == participants.port + 1
    assert len(participants.code) >= 10 and len(facilitator.code) >= 10 and participants.code != facilitator.code
    assert participants.page == f"/?token={participants.code}"
    assert participants.env == {"MLOPS_WORKBOOK_TOKEN": participants.code}
    assert not any(participants.code in part for part in participants.command), "the code stays off the command line"
    given = serve.plan_servers(_args(host="0.0.0.0", code="room-42", facilitator_code="lead-7"))
    assert [s.code for s in given] == ["room-42", "lead-7"]


def test_page_request_leaves_the_access_token_out(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "token=secret&team=Sales&respondent=R1")
    assert page_bridge.page_request() == {"team": "Sales", "respondent": "R1"}


def test_room_full_page_is_small_escaped_and_retries():
    page = voila_app.room_full_page(retry_seconds=15)
    assert "The room is full — please retry in a moment." in page
    assert "http-equiv='refresh' content='15'" in page and "<script" not in page


def test_ceiling_refuses_a_page_kernel_and_holds_a_pool_refill(monkeypatch):
    manager = voila_app.RoomKernelManager(max_kernels=2)
    monkeypatch.setattr(manager, "live_kernels", lambda: 2)

    async def attempt(env: dict) -> str:
        try:
            await asyncio.wait_for(manager.start_kernel(env=env), timeout=0.5)
        except voila_app.RoomFull:
            return "refused"
        except TimeoutError:
            return "waiting"
        return "started"

    assert asyncio.run(attempt({"VOILA_PREHEAT": "False"})) == "refused"
    assert asyncio.run(attempt({"VOILA_PREHEAT": "True"})) == "waiting"


# ------------------------------------------------------------------ real servers


@pytest.fixture(scope="module")
def chromium() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    return CHROMIUM


def _wait(condition, timeout: float, step: float = 1.0) -> float:
    """Seconds until ``condition()`` held; fails after ``timeout``."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, f"not within {timeout:.0f} s"
        time.sleep(step)
    return time.monotonic() - start


def _settled(server) -> None:
    """Wait until the pre-heated kernels have reached their page request (memory stops growing)."""
    sizes = [0, 1]
    _wait(lambda: server.kernels() >= 2, 120)

    def stable() -> bool:
        sizes.append(server.rss_bytes())
        return abs(sizes[-1] - sizes[-2]) < 0.01 * sizes[-1] and sizes[-1] > 300 * 2**20

    _wait(stable, 180, step=3)


@pytest.mark.browser
def test_a_preheated_page_still_works_after_waiting_past_the_cell_timeout(chromium, tmp_path):
    with workbook_server(tmp_path / "a", pool=1, cell_timeout=5, cull_after=600, log=tmp_path / "voila.log") as server:
        _settled(server)
        time.sleep(8)  # the waiting cell has now run longer than the 5 s cell timeout
        kernels_idle = server.kernels()
        assert kernels_idle == 2, "one pre-heated kernel for the app page, one for the facilitator page"
        with browser_page(server.base) as (page, _blocked):
            page.goto(f"{server.base}/voila/render/app.ipynb", wait_until="domcontentloaded", timeout=120_000)
            page.wait_for_selector(".mw-overall b", timeout=120_000)
            page.wait_for_selector(".mw-q button", timeout=30_000)
            assert "timed out" not in page.inner_text("body")
            assert_no_voila_error(page)
            assert any(c["name"] == "_xsrf" for c in page.context.cookies()), "the page sets the xsrf cookie"
            _wait(lambda: server.kernels() == kernels_idle + 1, 120)  # the pool refilled behind the page
            page.close(run_before_unload=True)  # as closing the tab: the page's shutdown beacon
            # Culling (600 s here) cannot free it this soon: the page's beacon was accepted.
            _wait(lambda: server.kernels() == kernels_idle, 30, step=0.5)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=180) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.mark.notebook  # a Voilà server and its kernels
def test_pages_without_a_browser_are_culled_and_the_ceiling_says_the_room_is_full(tmp_path):
    with workbook_server(tmp_path / "a", pool=0, max_kernels=1, cull_after=15) as server:
        status, body = _get(f"{server.base}/voila/render/app.ipynb")
        assert status == 200 and "application/vnd.jupyter.widget-view+json" in body
        assert server.kernels() == 1  # a page fetched without a browser holds a kernel ...
        status, body = _get(f"{server.base}/voila/render/app.ipynb")
        assert status == 503 and "The room is full" in body
        _wait(lambda: server.kernels() == 0, 15 + 5 + 30)  # ... until culled (15 s idle, checked every 5 s)
        # the room has space again once the server has also forgotten the culled kernel (its process ends first:
        # a GET in between still met the ceiling on a loaded machine); a 503 after 20 s fails the test
        _wait(lambda: _get(f"{server.base}/voila/render/app.ipynb")[0] == 200, 20, step=2.0)


@pytest.mark.browser
def test_access_codes_keep_strangers_and_participants_out(chromium, tmp_path):
    folder = tmp_path / "a"
    with (
        workbook_server(folder, notebook="app.ipynb", token="room-code") as room,
        workbook_server(folder, notebook="50-workshop.ipynb", token="lead-code") as lead,
    ):
        for url in (f"{room.base}/", f"{lead.base}/", f"{lead.base}/?token=room-code"):
            with urllib.request.urlopen(url, timeout=60) as response:
                assert "/login" in response.url and "widget-view" not in response.read().decode()
        assert room.kernels() == 0 and lead.kernels() == 0, "no kernel starts for a refused page"
        status, body = _get(f"{lead.base}/?token=lead-code")
        assert status == 200 and "widget-view+json" in body, "the facilitator's own code opens the facilitator page"
        with browser_page(room.base) as (page, _blocked):
            page.goto(f"{room.base}/?token=room-code&framework=aws&team=Coded&respondent=R1", timeout=120_000)
            page.wait_for_selector(".mw-overall b", timeout=120_000)
            page.locator(".mw-q").first.get_by_role("button", name="3", exact=True).click()
            page.wait_for_function(
                "() => document.querySelector('.mw-status').innerText.includes('Saved at')", timeout=60_000
            )
            assert_no_voila_error(page)
    saved = list((folder / "aws").glob("*.json"))
    assert len(saved) == 1 and json.loads(saved[0].read_text())["team"] == "Coded"


@pytest.mark.slow  # starts processes and waits on them: run by `make test`, left out of `make test-fast`
def test_the_server_starts_one_chart_renderer_its_kernels_inherit_and_stops_it(monkeypatch):
    from mlops_workbook.charts import engine

    seen = {}

    def serving(self):  # stands in for Voilà's start(): kernels started now inherit os.environ
        seen["address"] = os.environ.get(engine.RENDERER_ENV, "")
        request = {"format": "svg", "spec": {"mark": "point", "data": {"values": [{"a": 1}]}}, "vl_version": "5.20"}
        seen["answer"] = engine.request_conversion(seen["address"], request)

    monkeypatch.setattr(voila_app.Voila, "start", serving)
    monkeypatch.delenv(engine.RENDERER_ENV, raising=False)
    voila_app.WorkbookVoila().start()
    assert seen["address"] and seen["answer"]["svg"].startswith("<svg")
    assert not Path(seen["address"]).exists()  # stopped with the server
    assert engine.RENDERER_ENV not in os.environ  # and forgotten: charts drawn later here do not ask it


@pytest.mark.slow  # starts processes and waits on them: run by `make test`, left out of `make test-fast`
def test_a_preheated_kernel_reads_its_page_request_without_importing_voila(tmp_path):
    # Voilà's /voila/query/<kernel id> websocket, played by a tiny tornado server; the kernel side runs in a
    # fresh Python as in a pre-heated kernel. Importing voila there costs ~20 MB and ~1.5 CPU-s a kernel.
    import subprocess
    import sys
    import textwrap

    from tests.browser import free_port

    port = free_port()
    server = textwrap.dedent(
        f"""
        import asyncio, json
        from tornado.web import Application
        from tornado.websocket import WebSocketHandler
        class Query(WebSocketHandler):
            def open(self, kernel_id):
                self.write_message(json.dumps({{"QUERY_STRING": f"team=Room&respondent={{kernel_id}}&token=x"}}))
        async def main():
            Application([(r"/voila/query/(.*)", Query)]).listen({port}, "127.0.0.1")
            print("up", flush=True)
            await asyncio.sleep(60)
        asyncio.run(main())
        """
    )
    kernel = textwrap.dedent(
        """
        import sys
        from mlops_workbook.app.page_bridge import page_request
        print(page_request(), "voila" in sys.modules)
        """
    )
    query = subprocess.Popen([sys.executable, "-c", server], stdout=subprocess.PIPE, text=True)
    try:
        assert query.stdout.readline().strip() == "up"
        env = {**os.environ, "VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(port), "VOILA_KERNEL_ID": "P07"}
        env.pop("QUERY_STRING", None)
        done = subprocess.run([sys.executable, "-c", kernel], env=env, capture_output=True, text=True, timeout=60)
    finally:
        query.kill()
        query.wait()
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "False"  # voila was not imported
    assert done.stdout.startswith("{'team': 'Room', 'respondent': 'P07'}")
