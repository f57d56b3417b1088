"""Many reports in parallel: a pool of threads, each with one warm kernel.

A run that stalls hits the per-report timeout (the kernel is also killed by a watchdog,
so nothing can hang the batch), the kernel is restarted and the report retried once.
The executed notebook is what plain papermill writes; it is then exported to HTML
without code in the same process.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mlops_workbook.render.report_html import report_title
from mlops_workbook.reports.jobs import Job
from mlops_workbook.reports.kernels import WarmKernel, execute_in, failure_reason, register_engine, retryable
from mlops_workbook.reports.outputs import Outcome, html_exporter, notebook_to_html, write_public
from mlops_workbook.reports.pdf import export_pdf


@dataclass
class Settings:
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout: float = 120.0
    start_timeout: float = 60.0
    retries: int = 1
    pdf: bool = False


def _worker(jobs: queue.Queue[Job], done: queue.Queue[Outcome], settings: Settings) -> None:
    exporter = html_exporter()
    kernel: WarmKernel | None = None
    while True:
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            break
        started = time.perf_counter()
        outcome = Outcome(job.path, False, assessment=job.assessment)
        for attempt in range(1 + settings.retries):
            outcome.attempts = attempt + 1
            watchdog: threading.Timer | None = None
            try:
                if kernel is None:
                    kernel = WarmKernel(settings.start_timeout)
                    kernel.start()
                # Belt and braces: if anything below waits past the timeout, killing the
                # kernel makes nbclient raise DeadKernelError instead of waiting forever.
                watchdog = threading.Timer(settings.timeout + 15, kernel.kill)
                watchdog.daemon = True
                watchdog.start()
                nb = execute_in(kernel, job.parameters, settings.timeout)
                watchdog.cancel()
                write_public(job.output, notebook_to_html(nb, report_title(job.assessment), exporter))
                outcome.ok, outcome.output, outcome.error = True, job.output, ""
                if settings.pdf:
                    outcome.pdf = export_pdf(job.output)
                break
            except Exception as exc:
                outcome.error = failure_reason(exc)
                retry = retryable(exc)
                if retry and kernel is not None:
                    kernel.shutdown()
                    kernel = None
                if not retry:
                    break
            finally:
                if watchdog is not None:
                    watchdog.cancel()
        if not outcome.ok and job.output.exists():
            # A report from an earlier run would now tell an outdated story: remove it.
            job.output.unlink()
            job.output.with_suffix(".pdf").unlink(missing_ok=True)
            outcome.error += " (its report from an earlier run was removed)"
        outcome.seconds = time.perf_counter() - started
        done.put(outcome)
    if kernel is not None:
        kernel.shutdown()


def run_jobs(
    jobs: Sequence[Job], settings: Settings, progress: Callable[[Outcome], None] | None = None
) -> list[Outcome]:
    """Make every report with ``settings.workers`` warm kernels; never raises for one bad file."""
    if not jobs:
        return []
    register_engine()
    todo: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        todo.put(job)
    done: queue.Queue[Outcome] = queue.Queue()
    count = max(1, min(settings.workers, len(jobs)))
    threads = [
        threading.Thread(target=_worker, args=(todo, done, settings), daemon=True, name=f"report-worker-{i}")
        for i in range(count)
    ]
    for thread in threads:
        thread.start()
    outcomes: list[Outcome] = []
    # Each report finishes within (1 + retries) x (kernel start + timeout + watchdog grace).
    per_job = (1 + settings.retries) * (settings.start_timeout + settings.timeout + 30)
    while len(outcomes) < len(jobs):
        try:
            outcome = done.get(timeout=per_job * len(jobs))
        except queue.Empty:
            break
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    finished = {o.path for o in outcomes}
    for job in jobs:
        if job.path not in finished:
            outcomes.append(Outcome(job.path, False, error="no result: the worker stopped", assessment=job.assessment))
    for thread in threads:
        thread.join(timeout=10)
    return outcomes


__all__ = ["Settings", "run_jobs"]
