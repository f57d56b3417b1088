"""Helpers for real-browser tests: a Voilà server on a free port and headless Chromium.

Browser tests fail (never skip) in CI when Chromium is missing; on a developer machine
without Chromium they skip with the command that installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mlops_workbook.serve import voila_command
from tests.conftest import refuse_unless_marked

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> str:
    """Chromium's path; a browser test without Chromium fails (`make test-fast` leaves them out)."""
    refuse_unless_marked("Chromium")
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _running(
    command: list[str],
    port: int,
    *,
    env: dict[str, str] | None,
    log: Path | None,
    ready_path: str,
    timeout: float,
    any_answer: bool = False,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start a local web server, wait until ``ready_path`` answers (any HTTP status if ``any_answer``), yield
    its base URL and process; stop it on exit, whatever happened. Its output goes to ``log``."""
    refuse_unless_marked("a Jupyter server (it runs kernels)")
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{' '.join(command[1:3])} exited with {process.returncode}; see {log}")
            try:
                urllib.request.urlopen(base + ready_path, timeout=2).close()
                break
            except urllib.error.HTTPError:
                if any_answer:  # any HTTP answer: the server is up
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(command[1:3])} did not start within {timeout:.0f} s; see {log}")
            time.sleep(0.3)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            out.close()


@contextmanager
def local_server(
    command: list[str],
    port: int,
    *,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    ready_path: str = "/",
    timeout: float = 90,
) -> Iterator[str]:
    """Run a local web server (Voilà, JupyterLab) until ``ready_path`` answers; yield its base URL."""
    with _running(command, port, env=env, log=log, ready_path=ready_path, timeout=timeout) as (base, _process):
        yield base


@contextmanager
def voila_server(assessments: Path, *, pool: int = 0, log: Path | None = None) -> Iterator[str]:
    """Serve the notebooks with the same command as `make app`; yield the base URL."""
    port = free_port()
    env = {**os.environ, "MLOPS_WORKBOOK_ASSESSMENTS": str(assessments)}
    command = voila_command(host="127.0.0.1", port=port, pool=pool, cull_after=600)
    with local_server(command, port, env=env, log=log) as base:
        yield base


@contextmanager
def browser_page(base: str) -> Iterator[tuple[object, list[str]]]:
    """A Chromium page that may reach only the Voilà server; blocked URLs are collected."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1000})

        def gate(route):  # the network is closed except for the app itself
            if route.request.url.startswith(base):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", gate)
        page = context.new_page()
        try:
            yield page, blocked
        finally:
            context.close()
            browser.close()


def saved_answer(folder: Path, framework: str, team: str, respondent: str, question: str, wait: float = 10) -> object:
    """The value of ``question`` in the respondent's own file, once the page's save has reached it."""
    from mlops_workbook.model.assessment import assessment_path

    path = assessment_path(folder, framework, team, respondent)
    deadline = time.monotonic() + wait
    while not (path.exists() and question in json.loads(path.read_text())["answers"]):
        assert time.monotonic() < deadline, f"the answer to {question} did not reach {path}"
        time.sleep(0.2)
    return json.loads(path.read_text())["answers"][question]["value"]


def assert_no_voila_error(page) -> None:
    """Voilà answers 200 even when a cell raised: look for its error text instead."""
    text = page.inner_text("body")
    for marker in ("There was an error", "Traceback", "Error:"):
        assert marker not in text, f"the page shows an error: …{text[text.find(marker) - 200 :][:800]}"


class RoomServer:
    """A running workbook server (``mlops_workbook.voila_app``): its base URL, process and kernels."""

    def __init__(self, base: str, process: subprocess.Popen[bytes]) -> None:
        self.base, self.process = base, process

    def _tree(self) -> list:
        import psutil

        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernels(self) -> int:
        """Kernel processes alive under the server."""
        return sum(1 for p in self._tree()[1:] if _is_kernel(p))

    def rss_bytes(self) -> int:
        """Resident memory of the server and its kernels."""
        return sum(_rss(p) for p in self._tree())


def _rss(process) -> int:
    try:
        return process.memory_info().rss
    except Exception:  # a kernel that just stopped
        return 0


def _is_kernel(process) -> bool:
    try:
        return "ipykernel" in " ".join(process.cmdline())
    except Exception:  # gone meanwhile
        return False


@contextmanager
def workbook_server(
    assessments: Path,
    *,
    pool: int = 0,
    notebook: str | None = None,
    token: str = "",
    log: Path | None = None,
    timeout: float = 90,
    **options: int,
) -> Iterator[RoomServer]:
    """Serve with the same command as `make app` (``serve.voila_command(**options)``); yield a RoomServer.

    Readiness is probed on a static URL, so no page (and no pre-heated kernel) is used by it.
    """
    port = free_port()
    env = {**os.environ, "MLOPS_WORKBOOK_ASSESSMENTS": str(assessments)}
    if token:
        env["MLOPS_WORKBOOK_TOKEN"] = token
    command = voila_command(host="127.0.0.1", port=port, pool=pool, notebook=notebook, **options)
    ready = "/voila/static/ready-probe"
    with _running(command, port, env=env, log=log, ready_path=ready, timeout=timeout, any_answer=True) as running:
        yield RoomServer(*running)
