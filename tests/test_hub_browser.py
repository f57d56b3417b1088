"""The workbook on a real JupyterHub (deploy/jupyterhub), driven in headless Chromium.

A hub on loopback with the project's own configuration (local-process spawner, a shared-password test
authenticator, users alice and bob, facilitator fay): each logs in and lands on the app; alice and bob
answer into their own files in the one shared folder; alice can reach bob's file neither by the page's
address, nor by hand-made requests to bob's server or her own server's contents API, nor by typing his
name in the app; the facilitator page refuses alice and shows fay both respondents; the report command
on the shared folder covers both. Needs `make hub-setup` (jupyterhub, the idle culler, the npm proxy in
.hub/): without them the test skips on a laptop and fails in CI.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest

from mlops_workbook.model.assessment import assessment_path
from tests.browser import CHROMIUM_ARGS, free_port, require_chromium

PROJECT = Path(__file__).resolve().parent.parent
HUB_CONFIG = PROJECT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = PROJECT / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"
LAST_LOG = PROJECT / ".hub" / "last-test-hub.log"
PASSWORD = "hub-test-password"
QUESTION = "aws.deploy.automated_deployment"
ROW = f".mw-q-{QUESTION.replace('.', '-')}"
TEAM = "Payments"
TIMEOUT_MS = 240_000  # a page on a busy 2-core machine (three servers starting at once) can take minutes

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def require_hub_tools() -> None:
    """JupyterHub, the idle culler and the proxy installed by `make hub-setup`; fail in CI, else skip."""
    missing = []
    for module in ("jupyterhub", "jupyterhub_idle_culler"):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"pip package {module.replace('_', '-')}")
    if not PROXY.exists():
        missing.append(f"{PROXY.relative_to(PROJECT)}")
    if missing:
        message = f"JupyterHub test needs {', '.join(missing)}: run `make hub-setup`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _stop_tree(process: subprocess.Popen[bytes]) -> None:
    """Stop the hub and everything it started (proxy, idle culler, users' servers and their kernels)."""
    try:
        tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    for p in reversed(tree):
        with contextlib.suppress(psutil.NoSuchProcess):
            p.send_signal(signal.SIGTERM)
    _gone, alive = psutil.wait_procs(tree, timeout=10)
    for p in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    require_chromium()
    require_hub_tools()
    root = tmp_path_factory.mktemp("hub")
    assessments = root / "assessments"
    port, hub_port, api_port = free_port(), free_port(), free_port()
    settings = {
        "assessments": str(assessments),
        "groups": {"facilitators": ["fay"], "platform": []},
        "spawner": "simple",
        "authenticator": "test",
        "users": ["alice", "bob", "fay"],
        "ip": "127.0.0.1",
        "port": port,
        "hub_port": hub_port,
        "proxy_api_port": api_port,
        "state_dir": str(root / "state"),
    }
    (root / "settings.yaml").write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
    env = {
        **os.environ,
        "MLOPS_WORKBOOK_HUB_SETTINGS": str(root / "settings.yaml"),
        "MLOPS_WORKBOOK_HUB_PASSWORD": PASSWORD,
        "MLOPS_WORKBOOK_ASSESSMENTS": str(assessments),
    }
    log = open(root / "hub.log", "wb")  # noqa: SIM115 - closed below
    command = [sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG)]
    process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a busy machine starts the hub slowly
        while True:
            assert process.poll() is None, f"jupyterhub exited with {process.returncode}; see {root / 'hub.log'}"
            try:
                urllib.request.urlopen(base + "/hub/login", timeout=2).close()
                break
            except (OSError, urllib.error.HTTPError):
                assert time.monotonic() < deadline, f"jupyterhub did not start in 180 s; see {root / 'hub.log'}"
                time.sleep(0.3)
        yield base, assessments, process
    finally:
        _stop_tree(process)
        log.close()
        LAST_LOG.parent.mkdir(exist_ok=True)
        LAST_LOG.write_bytes((root / "hub.log").read_bytes())  # kept for a look after a failure


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _log_in(browser, base: str, user: str, page_path: str):
    """A browser context logged in as ``user`` whose page is heading to ``page_path`` of the user's server."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page = context.new_page()
    after_spawn = f"/hub/spawn?next={quote(f'/user/{user}{page_path}', safe='')}"  # start the server, then open
    page.goto(f"{base}/hub/login?next={quote(after_spawn, safe='')}", timeout=60_000)
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit", no_wait_after=True)
    return context, page


def _app_path(respondent_in_url: str) -> str:
    return f"/voila/render/app.ipynb?framework=aws&team={TEAM}&respondent={respondent_in_url}"


def _wait_for_app(page) -> None:
    try:
        page.wait_for_selector(".mw-overall b", timeout=TIMEOUT_MS)
    except Exception:
        page.screenshot(path=str(LAST_LOG.with_suffix(".png")))
        raise


def _answer(page, value: str) -> None:
    page.locator(".jupyter-widget-Collapse-header", has_text="Deploy").click()
    page.locator(ROW).get_by_role("button", name=value, exact=True).click()
    page.wait_for_function("() => document.querySelector('.mw-status').innerText.includes('Saved at')")


def _server_rss_mb(hub_process: subprocess.Popen[bytes], user: str) -> float:
    """Resident memory of one user's Jupyter server and its kernels, in MB."""
    total = 0
    for p in psutil.Process(hub_process.pid).children(recursive=True):
        try:
            if p.environ().get("JUPYTERHUB_USER") == user:
                total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total / 1e6


def test_each_user_answers_only_their_own_file_and_the_facilitator_sees_both(hub, browser, tmp_path):
    base, assessments, hub_process = hub
    alice_file = assessment_path(assessments, "aws", TEAM, "alice")
    bob_file = assessment_path(assessments, "aws", TEAM, "bob")
    started = time.monotonic()
    # All three log in first, so the hub spawns their servers side by side.
    alice, alice_page = _log_in(browser, base, "alice", _app_path("bob"))  # the address names bob: ignored
    bob, bob_page = _log_in(browser, base, "bob", _app_path("alice"))
    fay, fay_page = _log_in(browser, base, "fay", f"/voila/render/50-workshop.ipynb?framework=aws&team={TEAM}")
    try:
        for page, value in ((alice_page, "2"), (bob_page, "4")):
            _wait_for_app(page)
            _answer(page, value)
        print(f"\nhub: three logins to two answered apps in {time.monotonic() - started:.0f} s")
        for user in ("alice", "bob"):
            print(f"hub: {user}'s server with the app open: {_server_rss_mb(hub_process, user):.0f} MB RSS")
        assert json.loads(alice_file.read_text())["answers"][QUESTION]["value"] == 2
        assert json.loads(bob_file.read_text())["answers"][QUESTION]["value"] == 4
        assert json.loads(alice_file.read_text())["respondent"] == "alice"
        assert sorted(p.name for p in (assessments / "aws").glob("*.json")) == sorted([alice_file.name, bob_file.name])
        bob_before = bob_file.read_bytes()

        # By the address: bob's server is not alice's to open.
        answer = alice.request.get(f"{base}/user/bob{_app_path('bob')}", max_redirects=5)
        assert answer.status in (403, 404), answer.status
        # By hand-made requests: bob's server's API, and her own server's contents API outside its notebooks.
        assert alice.request.get(f"{base}/user/bob/api/contents").status in (403, 404)
        assert alice.request.post(f"{base}/user/bob/api/kernels").status in (403, 404)
        xsrf = next(c["value"] for c in alice.cookies() if c["name"] == "_xsrf" and "alice" in c["path"])
        relative = os.path.relpath(bob_file, PROJECT / "notebooks")
        contents = f"{base}/user/alice/api/contents/{quote(relative, safe='')}"  # '../' kept, not collapsed
        assert alice.request.get(contents).status in (400, 403, 404)
        put = alice.request.put(
            contents,
            headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"},
            data=json.dumps({"type": "file", "format": "text", "content": "{}"}),
        )
        assert put.status in (400, 403, 404), put.status
        # In the app: typing bob's name opens nothing of his and says why.
        alice_page.get_by_role("textbox", name="Respondent", exact=True).fill("bob")
        alice_page.get_by_role("button", name="Open / resume").click()
        alice_page.wait_for_function(
            "() => document.querySelector('.mw-problems').innerText.includes('signed in as')", timeout=30_000
        )
        assert bob_file.read_bytes() == bob_before
        # The facilitator page is refused to alice.
        alice_page.goto(f"{base}/user/alice/voila/render/50-workshop.ipynb", timeout=60_000)
        alice_page.wait_for_selector("text=The facilitator page is for facilitators", timeout=TIMEOUT_MS)

        # fay, a facilitator, sees both respondents of the team.
        fay_page.reload(timeout=60_000)  # her page opened before alice and bob answered
        fay_page.wait_for_selector(".mw-respondent-count", timeout=TIMEOUT_MS)
        assert "2 respondents" in fay_page.inner_text(".mw-respondent-count")
    finally:
        for context in (alice, bob, fay):
            context.close()

    # The report command on the shared folder covers both.
    out = tmp_path / "reports"
    done = subprocess.run(
        [sys.executable, "-m", "mlops_workbook", "report", str(assessments), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "alice" in index and "bob" in index
