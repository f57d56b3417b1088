"""Serve the workbook with Voilà (``make app``).

On this machine (loopback, the default) one server serves the notebooks folder, code-free:
the app at ``/voila/render/app.ipynb``, the facilitator page at ``/voila/render/50-workshop.ipynb``.
Beyond it (``--host 0.0.0.0``) two servers run, each with its own access code (Voilà's token):
participants' on ``--port`` serves only the app (at ``/``); the facilitator's on ``--port`` + 1
serves only the facilitator page, so a participant's code cannot open it.

Kernel settings, measured on a 2-core machine (README, *Speed*): a pre-heated page is usable in
~2 s, a cold one in ~4 s; each kernel holds ~200 MB, so only the app and the facilitator page are
pre-heated, a closed page's kernel is released at once (or culled after ``--cull-after`` seconds
without a browser), and past ``--max-kernels`` a page says the room is full.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass, field

from mlops_workbook.model.paths import NOTEBOOKS_DIR, PROJECT_ROOT

LOOPBACK = ("127.0.0.1", "localhost", "::1")
APP_NOTEBOOK = "app.ipynb"
FACILITATOR_NOTEBOOK = "50-workshop.ipynb"
CODE_ENV, FACILITATOR_CODE_ENV = "MLOPS_WORKBOOK_CODE", "MLOPS_WORKBOOK_FACILITATOR_CODE"


def voila_command(
    *,
    host: str,
    port: int,
    pool: int,
    cull_after: int = 120,
    max_kernels: int = 48,
    cell_timeout: int = 120,
    notebook: str | None = None,
) -> list[str]:
    """The command of one Voilà server (see :mod:`mlops_workbook.voila_app`): the notebooks folder, or
    one ``notebook`` of it served at ``/``; sources stripped; kernels of closed pages culled."""
    command = [
        sys.executable,
        "-m",
        "mlops_workbook.voila_app",
        str(NOTEBOOKS_DIR / notebook) if notebook else str(NOTEBOOKS_DIR),
        f"--Voila.ip={host}",
        f"--port={port}",
        "--strip_sources=True",
        # Kernels without a page connected (a closed tab whose beacon was lost, a page fetched
        # without a browser) stop after `cull_after` s; a connected page's kernel is never culled.
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        f"--MappingKernelManager.cull_interval={max(1, min(10, cull_after // 3))}",
        "--MappingKernelManager.cull_connected=False",
        f"--WorkbookVoila.max_kernels={max_kernels}",
        f"--WorkbookVoila.cell_timeout={cell_timeout}",
        "--no-browser",  # `main` opens the app page itself, not the folder listing
    ]
    if pool > 0:
        command += ["--preheat_kernel=True", f"--pool_size={pool}"]
    return command


@dataclass
class Server:
    """One Voilà server to start: who it is for, its command, its page and its access code."""

    label: str
    command: list[str]
    port: int
    page: str  # path of the page, with the token when there is one
    code: str = ""
    env: dict[str, str] = field(default_factory=dict)
    ready_path: str = "/"

    def url(self, host: str) -> str:
        return f"http://{host}:{self.port}{self.page}"


def plan_servers(args: argparse.Namespace) -> list[Server]:
    """The servers for ``args``: one code-free server on loopback, else participants' and facilitator's."""
    common = {"cull_after": args.cull_after, "cell_timeout": args.cell_timeout}
    code = args.code or os.environ.get(CODE_ENV, "")
    if args.host in LOOPBACK and not code:
        command = voila_command(host=args.host, port=args.port, pool=args.pool, max_kernels=args.max_kernels, **common)
        return [Server("workbook", command, args.port, f"/voila/render/{APP_NOTEBOOK}")]
    code = code or secrets.token_urlsafe(8)
    facilitator_code = args.facilitator_code or os.environ.get(FACILITATOR_CODE_ENV) or secrets.token_urlsafe(12)
    if facilitator_code == code:
        raise SystemExit("serve: the facilitator code must differ from the participants' code")
    participants = voila_command(
        host=args.host, port=args.port, pool=args.pool, max_kernels=args.max_kernels, notebook=APP_NOTEBOOK, **common
    )
    facilitator = voila_command(
        host=args.host,
        port=args.port + 1,
        pool=min(args.pool, 1),
        max_kernels=8,
        notebook=FACILITATOR_NOTEBOOK,
        **common,
    )
    # The code reaches Voilà through the environment, not the command line others can list.
    return [
        Server(
            "participants", participants, args.port, f"/?token={code}", code, {"MLOPS_WORKBOOK_TOKEN": code}, "/login"
        ),
        Server(
            "facilitator",
            facilitator,
            args.port + 1,
            f"/?token={facilitator_code}",
            facilitator_code,
            {"MLOPS_WORKBOOK_TOKEN": facilitator_code},
            "/login",
        ),
    ]


def display_host(host: str) -> str:
    """The address to print: this machine's network address when listening on every interface."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # UDP: picks the outgoing interface, sends nothing
            return s.getsockname()[0]
        except OSError:
            return socket.gethostname()


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    """Whether ``url`` answers before ``timeout`` s (and the process is still running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _announce(servers: list[Server], host: str) -> None:
    shown = display_host(host)
    if len(servers) == 1:
        url = servers[0].url(shown)
        print(f"mlops-workbook: the app       {url}")
        print(f"mlops-workbook: facilitator   http://{shown}:{servers[0].port}/voila/render/{FACILITATOR_NOTEBOOK}")
        return
    participants, facilitator = servers
    link = f"http://{shown}:{participants.port}/?token={participants.code}"
    print(f"mlops-workbook: participants  {link}")
    print(f"               each person's link: {link}&framework=aws&team=<team>&respondent=<code>")
    print(f"mlops-workbook: facilitator   {facilitator.url(shown)}   (keep this code to yourself)")
    print("Anyone with the participants' code can open the app and read every answer; stop the server afterwards.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the MLOps maturity workbook with Voilà.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on; 0.0.0.0 serves your network")
    parser.add_argument("--port", type=int, default=8866, help="the app's port; the facilitator page uses the next")
    parser.add_argument("--pool", type=int, default=2, help="pre-heated kernels for the app page (0: one per page)")
    parser.add_argument("--max-kernels", type=int, default=48, help="most kernels at once; then 'the room is full'")
    parser.add_argument("--cull-after", type=int, default=120, help="seconds before a kernel with no page stops")
    parser.add_argument("--cell-timeout", type=int, default=120, help="seconds a notebook cell may run")
    parser.add_argument("--code", default="", help=f"participants' access code (env {CODE_ENV}; default: generated)")
    parser.add_argument("--facilitator-code", default="", help=f"facilitator's code (env {FACILITATOR_CODE_ENV})")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    servers = plan_servers(args)
    # `kill` (SIGTERM) stops the Voilà servers too, as Ctrl-C does, instead of leaving them behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    processes = [subprocess.Popen(s.command, cwd=PROJECT_ROOT, env={**os.environ, **s.env}) for s in servers]
    try:
        probe = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
        for server, process in zip(servers, processes, strict=True):
            if not wait_until_up(f"http://{probe}:{server.port}{server.ready_path}", process):
                print(f"mlops-workbook: the {server.label} server did not start", file=sys.stderr)
                return 1
        _announce(servers, args.host)
        print("Ctrl-C stops.")
        if not args.no_browser and args.host in LOOPBACK:
            webbrowser.open(servers[0].url(args.host))
        return max(process.wait() for process in processes)
    except KeyboardInterrupt:
        return _stop(processes)
    finally:
        _stop(processes)


def _stop(processes: list[subprocess.Popen[bytes]]) -> int:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    return max((process.wait() for process in processes), default=0)


if __name__ == "__main__":
    sys.exit(main())
