"""``mlops-workbook report``: many assessments to offline HTML reports, in parallel.

The single-report path is plain papermill on ``notebooks/report.ipynb``. A batch does
the same notebook the same way, but most of papermill's per-file cost is a new kernel
and the imports in it (pandas, altair, vl-convert's renderer), so each worker keeps
one warm kernel and runs every report of its queue in it: papermill's own
parameterisation, metadata and error handling through a papermill engine that reuses
the kernel, the user namespace reset between reports. The executed notebook is what
plain papermill writes; it is then exported to HTML without code in the same process.

A run that stalls hits the per-report timeout (the kernel is also killed by a watchdog,
so nothing can hang the batch), the kernel is restarted and the report retried once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlops_workbook.model.assessment import check_assessment, load_assessment, slug
from mlops_workbook.model.errors import WorkbookError, display_name
from mlops_workbook.model.files import write_atomic
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import NOTEBOOKS_DIR
from mlops_workbook.model.schema import Assessment

NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
PARAMETERS = ("assessment_path", "previous_path", "title")
ENGINE = "mlops-workbook-warm"

# Run in the kernel once, before its first report: the imports every report needs and
# a first chart render (vl-convert starts its JavaScript engine on first use).
_WARM_UP = """
import IPython.display
from mlops_workbook.charts import figures as charts
from mlops_workbook.render import report_html
charts.warm_up()
"""
# Between reports: an empty user namespace and execution counts from 1, as in a new kernel.
_RESET = "get_ipython().reset(new_session=False)\nget_ipython().execution_count = 1\n"
_CDN_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*')


# --------------------------------------------------------------------------- planning


@dataclass
class Job:
    """One report to make: the checked assessment, its earlier round and where the HTML goes."""

    path: Path
    assessment: Assessment
    output: Path
    previous: Path | None = None

    @property
    def parameters(self) -> dict[str, str]:
        return {
            "assessment_path": str(self.path.resolve()),
            "previous_path": str(self.previous.resolve()) if self.previous else "",
            "title": "",
        }


@dataclass
class Outcome:
    path: Path
    ok: bool
    output: Path | None = None
    error: str = ""
    seconds: float = 0.0
    attempts: int = 0
    pdf: Path | None = None
    assessment: Assessment | None = None


def _candidates(paths: Sequence[str | Path]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(x for x in p.rglob("*.json") if x.is_file()))
        else:
            found.append(p)
    return found


def check_file(path: Path) -> tuple[Assessment | None, str]:
    """Load and check one file before spending a kernel on it: the assessment, or why not."""
    try:
        assessment = load_assessment(path)
        framework = load_framework(assessment.framework)
    except WorkbookError as exc:
        return None, "; ".join(str(p) for p in exc.problems)
    errors = [p for p in check_assessment(assessment, framework, display_name(path)) if p.severity == "error"]
    if errors:
        return None, "; ".join(str(p) for p in errors)
    return assessment, ""


def find_previous(assessment: Assessment, path: Path, folder: Path) -> Path | None:
    """The earlier round of the same team and framework in ``folder``, if there is one.

    The file named in the assessment's ``previous`` field wins; otherwise the highest
    round below this one, then the latest saved before this one.
    """
    if assessment.previous and (folder / assessment.previous).is_file():
        return folder / assessment.previous
    best: tuple[tuple[int, str], Path] | None = None
    for candidate in sorted(folder.rglob("*.json")):
        if candidate.resolve() == path.resolve():
            continue
        try:
            other = load_assessment(candidate)
        except WorkbookError:
            continue
        if other.framework != assessment.framework or slug(other.team) != slug(assessment.team):
            continue
        earlier = other.round < assessment.round or (
            other.round == assessment.round and other.updated < assessment.updated
        )
        if earlier:
            key = (other.round, other.updated.isoformat())
            if best is None or key > best[0]:
                best = (key, candidate)
    return best[1] if best else None


def plan(
    paths: Sequence[str | Path], out_dir: Path, previous_dir: Path | None = None
) -> tuple[list[Job], list[Outcome]]:
    """Check every file and name its report; return the jobs and the files refused."""
    jobs: list[Job] = []
    refused: list[Outcome] = []
    for path in _candidates(paths):
        assessment, reason = check_file(path)
        if assessment is None:
            refused.append(Outcome(path, False, error=reason))
            continue
        previous = find_previous(assessment, path, previous_dir) if previous_dir else None
        jobs.append(Job(path, assessment, out_dir, previous))
    # <team>--<framework>.html; the respondent (then a number) tells same-named ones apart.
    base = {id(j): f"{slug(j.assessment.team, 'team')}--{slug(j.assessment.framework)}" for j in jobs}
    clashes = {name for name in base.values() if list(base.values()).count(name) > 1}
    used: set[str] = set()
    for job in jobs:
        name = base[id(job)]
        if name in clashes:
            name += f"--{slug(job.assessment.respondent)}"
        unique, n = name, 2
        while unique in used:
            unique, n = f"{name}-{n}", n + 1
        used.add(unique)
        job.output = out_dir / f"{unique}.html"
    return jobs, refused


# --------------------------------------------------------------------------- HTML


def _exporter() -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )


def notebook_to_html(nb: Any, title: str, exporter: Any = None) -> str:
    """The executed notebook as one self-contained HTML page without code.

    Charts are inline SVG; the template's CDN scripts (require.js, MathJax) are dropped
    since nothing in a report uses them and the page must work offline from disk.
    """
    body, _ = (exporter or _exporter()).from_notebook_node(nb, resources={"metadata": {"name": title}})
    return _CDN_SCRIPT.sub("", body)


def write_public(path: Path, text: str) -> None:
    """Atomic write, then the usual permissions of a shared document (temp files are private)."""
    write_atomic(path, text)
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


def report_title(assessment: Assessment) -> str:
    return f"MLOps maturity report — {assessment.team or assessment.organisation or 'unnamed team'}"


# --------------------------------------------------------------------------- warm kernels


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


def _register_engine() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine, run in an already started kernel."""

        @classmethod
        def execute_managed_notebook(  # type: ignore[override]
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


# --------------------------------------------------------------------------- batch


@dataclass
class Settings:
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout: float = 120.0
    start_timeout: float = 60.0
    retries: int = 1
    pdf: bool = False


def _failure_reason(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"the report notebook failed in cell {exc.cell_index}: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


def _retryable(exc: BaseException) -> bool:
    from papermill.exceptions import PapermillExecutionError

    # A cell that raised will raise again; a timeout or a dead kernel may not.
    return not isinstance(exc, PapermillExecutionError)


def _worker(jobs: queue.Queue[Job], done: queue.Queue[Outcome], settings: Settings) -> None:
    exporter = _exporter()
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
                outcome.error = _failure_reason(exc)
                retry = _retryable(exc)
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
    _register_engine()
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
    outcomes = []
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


# --------------------------------------------------------------------------- PDF


def pdf_converter() -> str | None:
    """A headless Chromium-family browser to print HTML to PDF, if one is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def export_pdf(html: Path, timeout: float = 60) -> Path | None:
    browser = pdf_converter()
    if browser is None:
        return None
    pdf = html.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="mlops-workbook-pdf-") as profile:
        tmp = pdf.with_name(f".{pdf.name}.tmp")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
             "--no-pdf-header-footer", f"--print-to-pdf={tmp}", html.resolve().as_uri()],
            capture_output=True, timeout=timeout, check=False,
        )  # fmt: skip
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise RuntimeError(f"{browser} did not write a PDF for {html.name}")
        os.replace(tmp, pdf)
    return pdf


# --------------------------------------------------------------------------- command


def cmd_report(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from mlops_workbook.reports.portfolio import write_index

    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        print(f"{args.output}: is a file, not a folder -> pass -o a folder for the reports", file=sys.stderr)
        return 2
    previous_dir = Path(args.previous_dir) if args.previous_dir else None
    if previous_dir is not None and not previous_dir.is_dir():
        print(f"{args.previous_dir}: not a folder -> pass the folder of earlier rounds", file=sys.stderr)
        return 2
    if args.pdf and pdf_converter() is None:
        print("--pdf: no PDF converter found (install chromium); writing HTML only", file=sys.stderr)
        args.pdf = False
    jobs, refused = plan(args.paths, out_dir, previous_dir)
    if not jobs and not refused:
        print("no assessment files (*.json) found in the given paths", file=sys.stderr)
        return 1
    settings = Settings(
        workers=args.workers or os.cpu_count() or 1,
        timeout=args.timeout,
        start_timeout=args.start_timeout,
        pdf=args.pdf,
    )
    with tqdm(total=len(jobs), desc="reports", unit="report", file=sys.stderr, disable=args.quiet) as bar:

        def tick(outcome: Outcome) -> None:
            bar.update(1)
            if not outcome.ok:
                bar.write(f"FAILED {display_name(outcome.path)}: {outcome.error}", file=sys.stderr)

        outcomes = run_jobs(jobs, settings, tick)
    outcomes.extend(refused)
    for outcome in refused:
        print(f"FAILED {display_name(outcome.path)}: {outcome.error}", file=sys.stderr)
    index = write_index(out_dir, outcomes)
    good = [o for o in outcomes if o.ok]
    bad = [o for o in outcomes if not o.ok]
    print(f"{len(good)} report(s) written to {display_name(out_dir)}; index: {display_name(index)}")
    if settings.pdf:
        print(f"{sum(o.pdf is not None for o in good)} PDF(s) written")
    if bad:
        print(f"{len(bad)} file(s) failed:", file=sys.stderr)
        for outcome in bad:
            print(f"  {display_name(outcome.path)}: {outcome.error}", file=sys.stderr)
        return 1
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report",
        help="write an offline HTML report per assessment, and an index of them all",
        description="Run notebooks/report.ipynb on each assessment (files or folders of *.json) and save it "
        "as HTML without code, plus DIR/index.html: the portfolio of every team and model.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="assessment files or folders")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the reports")
    p.add_argument("--workers", type=int, default=0, help="parallel kernels (default: the number of CPUs)")
    p.add_argument("--previous-dir", metavar="D", help="folder of earlier rounds, to show progress")
    p.add_argument("--pdf", action="store_true", help="also print each report to PDF (needs chromium)")
    p.add_argument("--timeout", type=float, default=120, help="seconds per report before it is retried (120)")
    p.add_argument("--start-timeout", type=float, default=60, help="seconds for a kernel to start (60)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_report)
