"""Serve the workbook with Voilà (``make app``), and what the app notebook needs from it.

Kernel settings, measured on a 2-core machine: a cold page takes ~4.5 s to show widgets,
a preheated one ~2 s; each kernel holds ~250-300 MB, so kernels of closed pages are
culled after ``--cull-after`` seconds idle.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
import webbrowser
from collections.abc import Sequence
from urllib.parse import parse_qs

from .paths import NOTEBOOKS_DIR, PROJECT_ROOT


def page_request() -> dict[str, str]:
    """The page's query parameters (``?team=…&respondent=…``), as a flat dict.

    In a preheated Voilà kernel this first waits for the page request, so that the
    app is built from the files as they are when the person opens the page, not when
    the kernel was started. Outside Voilà it returns ``{}`` at once.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "True":
        from voila.utils import wait_for_request

        wait_for_request()
    query = os.environ.get("QUERY_STRING", "")
    return {key: values[-1] for key, values in parse_qs(query).items() if values}


def voila_command(*, host: str, port: int, pool: int, cull_after: int) -> list[str]:
    """The ``voila`` command line: the notebooks folder, sources stripped, kernels culled."""
    command = [
        sys.executable,
        "-m",
        "voila",
        str(NOTEBOOKS_DIR),
        f"--Voila.ip={host}",
        f"--port={port}",
        "--strip_sources=True",
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        "--VoilaExecutor.timeout=120",
    ]
    if pool > 0:
        command += ["--preheat_kernel=True", f"--pool_size={pool}"]
    # The browser is opened by `main` on the app page itself, not on the folder listing.
    command.append("--no-browser")
    return command


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url.rsplit("/voila/", 1)[0] + "/", timeout=2):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the MLOps maturity workbook with Voilà.")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on; 0.0.0.0 exposes the app (and every answer) to your network",
    )
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--pool", type=int, default=2, help="pre-started kernels (0 = start one per page)")
    parser.add_argument("--cull-after", type=int, default=1800, help="seconds before an idle page's kernel stops")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    url = f"http://{args.host}:{args.port}/voila/render/app.ipynb"
    print(f"mlops-workbook: serving {url}  (workshop page: …/voila/render/50-workshop.ipynb; Ctrl-C stops)")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("warning: listening beyond this machine; anyone who reaches it can read and change answers.")
    command = voila_command(host=args.host, port=args.port, pool=args.pool, cull_after=args.cull_after)
    process = subprocess.Popen(command, cwd=PROJECT_ROOT)
    try:
        if wait_until_up(url, process):
            print(f"mlops-workbook: ready at {url}")
            if not args.no_browser:
                webbrowser.open(url)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


if __name__ == "__main__":
    sys.exit(main())
