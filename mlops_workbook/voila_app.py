"""Voilà, adjusted to serve a room: ``python -m mlops_workbook.voila_app <notebooks> [voila options]``.

Five changes to a plain ``voila`` server, each measured on a 2-core machine (see README, *Speed*):

- **Pre-heated kernels only for the pages people open first** (``preheated_notebooks``): with
  ``--pool_size=N`` plain Voilà pre-starts N kernels for *every* notebook of a folder.
- **A pre-heated kernel stays good however long it waits**: it waits for its page request inside a
  cell (``App.for_page`` → ``page_bridge.page_request``); that cell is exempt from the cell timeout, which
  would otherwise kill the wait and leave the first visitor a dead page.
- **A closed page releases its kernel**: the page's shutdown beacon needs an ``_xsrf`` cookie that
  standalone Voilà never sets; the page handler sets it (XSRF checks stay on).
- **A ceiling on live kernels** (``max_kernels``): past it, a page gets a short "room is full" answer
  (HTTP 503, retried by the browser) instead of a kernel the machine has no memory for.
- **One chart renderer for all kernels** (``shared_chart_renderer``): the server starts one
  vl-convert process (:mod:`mlops_workbook.charts.engine`) and its kernels draw charts there, instead
  of each starting vl-convert's JavaScript engine (68 MB and ~1 CPU-second a kernel).

The access code is Voilà's own token; ``MLOPS_WORKBOOK_TOKEN`` in the environment sets it, so the
code does not show in the process list.
"""

from __future__ import annotations

import asyncio
import functools
import os
import sys
from html import escape
from typing import Any

import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Bool, Dict, Int
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from mlops_workbook.charts import engine

TOKEN_ENV = "MLOPS_WORKBOOK_TOKEN"
# Cells that wait for the page request: `App.for_page(...)`, `FacilitatorApp.for_page(...)`, or a direct call.
WAITING_CELL_MARKERS = ("for_page(", "page_request(", "wait_for_request(")
ROOM_FULL_RETRY_SECONDS = 15


class RoomFull(Exception):
    """No kernel may start: the server already runs ``max_kernels`` kernels."""


def cell_timeout(cell: Any, *, seconds: int) -> int | None:
    """nbclient's ``timeout_func``: no limit for the cell that waits for the page request, else ``seconds``."""
    source = getattr(cell, "source", "") or ""
    return None if any(marker in source for marker in WAITING_CELL_MARKERS) else seconds


class RoomKernelManager(AsyncMappingKernelManager):
    """Kernels up to a ceiling: a page's kernel past it is refused; a pool refill waits for a free slot."""

    max_kernels = Int(0, config=True, help="Most kernels alive at once (0: no limit).")

    def live_kernels(self) -> int:
        """Kernels running or starting (a starting kernel is registered before its first await)."""
        return len(set(self._kernels) | set(self._pending_kernels))

    def is_full(self) -> bool:
        return 0 < self.max_kernels <= self.live_kernels()

    # jupyter_client's async manager declares start_kernel as an attribute of its sync base's type
    # (``run_sync``: returns str); the async manager awaits this coroutine, as its own start_kernel is one.
    async def start_kernel(self, **kwargs: Any) -> str:  # type: ignore[override]
        preheat = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True"
        while self.is_full():
            if not preheat:
                raise RoomFull(f"{self.live_kernels()} kernels are running (the ceiling is {self.max_kernels})")
            await asyncio.sleep(1)  # a pool refill: start once a page has released its kernel
        return await super().start_kernel(**kwargs)


def room_full_page(retry_seconds: int = ROOM_FULL_RETRY_SECONDS) -> str:
    """The small page shown when the room is full; the browser retries by itself."""
    message = escape("The room is full — please retry in a moment.")
    detail = escape(f"This page tries again by itself in {retry_seconds} seconds; your saved answers are safe.")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='refresh' content='{retry_seconds}'><title>The room is full</title></head>"
        "<body style='font-family: sans-serif; max-width: 40em; margin: 4em auto'>"
        f"<h1>{message}</h1><p>{detail}</p></body></html>"
    )


class RoomPageHandler(TornadoVoilaHandler):
    """A notebook page: sets the ``_xsrf`` cookie for the page's shutdown beacon; refuses past the ceiling."""

    def _pooled_kernel_ready(self, path: str | None) -> bool:
        notebook = self.notebook_path or path
        pool = getattr(self.kernel_manager, "_pools", {}).get(notebook) or []
        return bool(pool) and pool[0].done() and pool[0].exception() is None

    def _room_full(self) -> None:
        self.clear()
        self.set_status(503)
        self.set_header("Retry-After", str(ROOM_FULL_RETRY_SECONDS))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(room_full_page())

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        self.xsrf_token  # noqa: B018 - reading it sets the `_xsrf` cookie the page's shutdown beacon sends back
        is_full = getattr(self.kernel_manager, "is_full", lambda: False)
        if is_full() and not self._pooled_kernel_ready(path):
            self.log.warning("Room full: %s refused (%s)", self.request.path, self.kernel_manager.max_kernels)
            self._room_full()
            return
        try:
            async for html in self.get_generator(path=path):
                self.write(html)
                self.flush()
        except RoomFull as exc:  # raised by the kernel start, before anything was written
            self.log.warning("Room full: %s refused (%s)", self.request.path, exc)
            if self._headers_written:
                raise
            self._room_full()


class WorkbookVoila(Voila):
    """Voilà with per-notebook pools, an exempt waiting cell, the xsrf cookie and a kernel ceiling."""

    name = "mlops-workbook-voila"
    token: str | None  # Voilà's own ``token`` trait (voila is untyped): declared for the type checker only

    preheated_notebooks = Dict(
        {"app.ipynb": 0, "50-workshop.ipynb": 1},
        config=True,
        help="Notebooks (relative to the served folder) that keep --pool_size kernels pre-heated, each with an "
        "upper bound (0: none); other notebooks start a kernel per page.",
    )
    max_kernels = Int(48, config=True, help="Most kernels alive at once; past it a page gets 'the room is full'.")
    cell_timeout = Int(120, config=True, help="Seconds a cell may run (no limit for the cell waiting for its page).")
    shared_chart_renderer = Bool(True, config=True, help="Kernels draw charts in one shared vl-convert process.")

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        if self.token is None and os.environ.get(TOKEN_ENV):
            self.token = os.environ[TOKEN_ENV]
        self.config.VoilaExecutor.timeout = self.cell_timeout
        self.config.VoilaExecutor.timeout_func = functools.partial(cell_timeout, seconds=self.cell_timeout)
        self.config.RoomKernelManager.max_kernels = self.max_kernels
        self.voila_configuration.multi_kernel_manager_class = RoomKernelManager
        pool = self.voila_configuration.default_pool_size
        if self.notebook_path:  # one notebook served: it is the page people open
            pools = {"default": {"pool_size": pool}}
        else:
            pools = {
                "default": {"pool_size": 0},
                **{
                    name: {"pool_size": min(pool, cap) if cap else pool}
                    for name, cap in self.preheated_notebooks.items()
                },
            }
        self.config.VoilaKernelManager.kernel_pools_config = pools

    def start(self) -> None:
        """Start the shared chart renderer first (kernels inherit its address), serve, then stop it."""
        renderer = engine.start_renderer() if self.shared_chart_renderer else None
        if renderer:
            os.environ[engine.RENDERER_ENV] = renderer.address
            self.log.info("Charts are drawn by one renderer (pid %s) for every kernel", renderer.process.pid)
        try:
            super().start()
        finally:
            if renderer:
                renderer.stop()
                os.environ.pop(engine.RENDERER_ENV, None)  # nothing in this process asks a stopped renderer

    def init_handlers(self) -> list:
        handlers = super().init_handlers()
        return [
            (pattern, RoomPageHandler, *rest) if handler is TornadoVoilaHandler else (pattern, handler, *rest)
            for pattern, handler, *rest in handlers
        ]


main = WorkbookVoila.launch_instance

if __name__ == "__main__":
    sys.exit(main())
