"""Warm kernels for a report batch: one kernel runs many reports, through papermill.

Most of papermill's per-file cost is a new kernel and the imports in it (pandas, altair,
vl-convert's renderer), so a batch worker keeps one :class:`WarmKernel` and runs every
report of its queue in it: papermill's own parameterisation, metadata and error handling
through a papermill engine (:data:`ENGINE`) that reuses the kernel, the user namespace
reset between reports.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from typing import Any

from mlops_workbook.model.paths import NOTEBOOKS_DIR

NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
PARAMETERS = ("assessment_path", "previous_path", "title")
ENGINE = "mlops-workbook-warm"

# Run in the kernel once, before its first report: the imports every report needs and
# a first chart render (vl-convert starts its JavaScript engine on first use).
_WARM_UP = """
import IPython.display
from mlops_workbook import charts
from mlops_workbook.render import report_html
charts.warm_up()
"""
# Between reports: an empty user namespace and execution counts from 1, as in a new kernel.
_RESET = "get_ipython().reset(new_session=False)\nget_ipython().execution_count = 1\n"


class WarmKernel:
    """One kernel kept running for many reports; owned by a single thread."""

    def __init__(self, start_timeout: float = 60, cwd: str | None = None):
        self.start_timeout = start_timeout
        self.cwd = cwd or os.getcwd()
        self.km: Any = None
        self.kc: Any = None

    def start(self) -> None:
        from nbclient import NotebookClient
        from nbformat.v4 import new_notebook

        boot = NotebookClient(new_notebook(), kernel_name="python3", startup_timeout=int(self.start_timeout))
        boot.km = boot.create_kernel_manager()
        # The kernel's own start-up warnings would break the progress bar: keep them out.
        boot.start_new_kernel(cwd=self.cwd, stderr=subprocess.DEVNULL)
        boot.start_new_kernel_client()
        self.km, self.kc = boot.km, boot.kc
        self.run_code(_WARM_UP, self.start_timeout)

    def run_code(self, code: str, timeout: float) -> None:
        """Run code silently (no outputs, no history); raise if it fails."""
        from jupyter_core.utils import run_sync

        async def call() -> Any:
            return await self.kc.execute_interactive(
                code, silent=True, store_history=False, timeout=timeout, output_hook=lambda msg: None
            )

        reply = run_sync(call)()
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}")

    def reset(self) -> None:
        self.run_code(_RESET, 30)

    def kill(self) -> None:
        """Kill the kernel process at once (safe from another thread: it is only a signal)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            self.kill()
            # Already killed: shutting down only tidies up files; a failure there does not matter.
            with contextlib.suppress(Exception):
                run_sync(self.km.shutdown_kernel)(now=True)
        self.km = self.kc = None


def register_engine() -> None:
    """Register :data:`ENGINE` with papermill (idempotent: registering again replaces it)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine, run in an already started kernel."""

        @classmethod
        def execute_managed_notebook(
            cls, nb_man: Any, kernel_name: str, *, kernel: WarmKernel, execution_timeout: float, **kwargs: Any
        ) -> Any:
            client = PapermillNotebookClient(
                nb_man, km=kernel.km, timeout=int(execution_timeout), kernel_name=kernel_name, log=logger
            )
            client.kc = kernel.kc
            return client.execute()

    papermill_engines.register(ENGINE, WarmEngine)


def execute_in(kernel: WarmKernel, parameters: dict[str, str], timeout: float) -> Any:
    """papermill.execute_notebook on the report notebook, in a warm kernel."""
    import papermill

    kernel.reset()
    return papermill.execute_notebook(
        str(NOTEBOOK),
        None,
        parameters=parameters,
        engine_name=ENGINE,
        kernel_name="python3",
        progress_bar=False,
        request_save_on_cell_execute=False,
        kernel=kernel,
        execution_timeout=timeout,
    )


def failure_reason(exc: BaseException) -> str:
    """What to tell about a report that failed: the cell that raised, else the exception."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"the report notebook failed in cell {exc.cell_index}: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


def retryable(exc: BaseException) -> bool:
    """Whether running the report again may help."""
    from papermill.exceptions import PapermillExecutionError

    # A cell that raised will raise again; a timeout or a dead kernel may not.
    return not isinstance(exc, PapermillExecutionError)


__all__ = [
    "ENGINE",
    "NOTEBOOK",
    "PARAMETERS",
    "WarmKernel",
    "execute_in",
    "failure_reason",
    "register_engine",
    "retryable",
]
