"""A room of participants on one machine: N real Chromium sessions against the workbook server.

    .venv/bin/python benchmarks/room.py --participants 40 --ramp 60
    .venv/bin/python benchmarks/room.py --participants 30 --ramp 0
    .venv/bin/python benchmarks/room.py --participants 6 --ramp 30 --notebook benchmarks/floor.ipynb

Starts the server as ``make app`` does (own port, temporary assessments and Jupyter folders),
then one headless Chromium with N contexts, each a different respondent by URL
(``/voila/render/app.ipynb?framework=aws&team=Room&respondent=P07``), arriving evenly over
``--ramp`` seconds. Each opens the app, waits until it is usable (overall result and answer
buttons shown), answers 5 questions, waiting for each "Saved at" before the next, then closes
its page as a browser tab does (the page's unload beacon). The network is closed except the
server. Afterwards every clicked answer is looked up in the saved files.

Prints: succeeded/N, time to usable p50/p95, click -> saved p50/p95, peak RSS of the server and
its kernels (and of Chromium), kernels alive 5 s and 2 min after the pages closed, answers lost.

CPU-seconds per participant (robust on a busy machine, unlike wall-clock times), sampled every
0.5 s: the server tree (Voilà, its kernels, and kernels already exited: a reaped child's time is in
its parent's ``children_*`` times), the Chromium processes, and the harness (this script and
playwright's driver). They are counted from the first arrival until 5 s after the last page closed,
and set against the capacity bound: N people arriving over R seconds, each usable within T seconds,
fit on C cores only if N × (server + Chromium CPU-s to usable) ≤ C × (R + T).

``--notebook PATH`` runs the same room against any notebook served alone (at ``/``): usable means
the ``--marker`` element is visible; each "answer" clicks that element and waits for the element
``--echo`` to read ``Clicks: k`` (``benchmarks/floor.ipynb``, one button, is Voilà's floor).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil

from tests.browser import CHROMIUM_ARGS, require_chromium, workbook_server

USABLE = (".mw-overall b", ".mw-q button")
DEAD_MARKERS = ("Cell execution timed out", "There was an error", "Traceback")
LABELS = ["0", "1", "2", "3", "4"]
CORES = psutil.cpu_count() or 2


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


class PeakSampler(threading.Thread):
    """Samples, every second, the RSS of the server tree and of Chromium; keeps the peaks."""

    def __init__(self, server) -> None:
        super().__init__(daemon=True)
        self.server, self.peak_server, self.peak_browser = server, 0, 0
        self.peak_kernels = 0
        self.kernel_peaks: dict[int, int] = {}  # pid -> largest RSS seen (a kernel after first paint and answers)
        self.helper_peaks: dict[int, int] = {}  # other processes of the server (the chart renderer)
        self.stop = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self.stop.wait(1.0):
            self.peak_server = max(self.peak_server, self.server.rss_bytes())
            self.peak_kernels = max(self.peak_kernels, self.server.kernels())
            with contextlib.suppress(psutil.Error):
                for p in psutil.Process(self.server.process.pid).children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        peaks = self.kernel_peaks if "ipykernel" in " ".join(p.cmdline()) else self.helper_peaks
                        peaks[p.pid] = max(peaks.get(p.pid, 0), p.memory_info().rss)
            browser = 0
            for p in me.children(recursive=True):
                try:
                    if "chrom" in p.name():
                        browser += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_browser = max(self.peak_browser, browser)


def _own(p: psutil.Process) -> float:
    t = p.cpu_times()
    return t.user + t.system


def _with_reaped(p: psutil.Process) -> float:
    t = p.cpu_times()
    return t.user + t.system + t.children_user + t.children_system


class CpuMeter(threading.Thread):
    """CPU-seconds, sampled every ``interval`` s: server tree, Chromium, harness (script + driver).

    Server: its own time, its reaped children's (``children_*``: exited kernels) and every live
    descendant's (with what *they* reaped); the running maximum smooths a child reaped between two
    reads. Chromium and the harness: the last time seen of each process (own time only: Chromium's
    zygote reaps renderers, which would count them twice), so an exited process keeps its share.
    """

    def __init__(self, server_pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.interval = server_pid, interval
        self.server = 0.0
        self.voila = 0.0  # the Voilà process itself (the rest of the server: kernels, chart renderer)
        self.seen: dict[tuple[int, float], tuple[str, float]] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def sample(self) -> None:
        me = psutil.Process()
        try:
            root = psutil.Process(self.server_pid)
            total = _with_reaped(root)
            voila = _own(root)
            server_tree = {self.server_pid}
            for child in root.children(recursive=True):
                try:
                    total += _with_reaped(child)
                    server_tree.add(child.pid)
                except psutil.Error:
                    pass
        except psutil.Error:
            total, voila, server_tree = 0.0, 0.0, {self.server_pid}
        seen = {(me.pid, me.create_time()): ("harness", _own(me))}
        for p in me.children(recursive=True):
            if p.pid in server_tree:
                continue
            try:
                kind = "chromium" if "chrom" in p.name() else "harness"
                seen[(p.pid, p.create_time())] = (kind, _own(p))
            except psutil.Error:
                pass
        with self.lock:
            self.server = max(self.server, total)
            self.voila = max(self.voila, voila)
            self.seen.update(seen)

    def snapshot(self) -> dict[str, float]:
        self.sample()
        machine = psutil.cpu_times()
        with self.lock:
            out = {"server": self.server, "voila": self.voila, "chromium": 0.0, "harness": 0.0}
            out["machine"] = machine.user + machine.nice + machine.system + getattr(machine, "softirq", 0.0)
            for kind, seconds in self.seen.values():
                out[kind] += seconds
        return out

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            with contextlib.suppress(psutil.Error):
                self.sample()


async def next_question(page, answered: dict) -> tuple[object, str]:
    """The first visible question not answered yet, and its id (from its ``mw-q-<id>`` class)."""
    rows = page.locator(".mw-q:visible")
    for k in range(await rows.count()):
        row = rows.nth(k)
        hook = next(c for c in (await row.get_attribute("class")).split() if c.startswith("mw-q-"))
        qid = ".".join(hook.removeprefix("mw-q-").split("-", 2))
        if qid not in answered:
            return row, qid
    return None, ""


async def participant(browser, base: str, index: int, delay: float, args, result: dict) -> None:
    await asyncio.sleep(delay)
    respondent = f"P{index + 1:02d}"
    result.update(respondent=respondent, clicked={}, saves=[], usable=None, error="")
    context = await browser.new_context(viewport={"width": 1400, "height": 900})

    async def gate(route):  # the network is closed except for the server
        if route.request.url.startswith(base):
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", gate)
    page = await context.new_page()
    try:
        start = time.perf_counter()
        query = f"framework=aws&team={args.team}&respondent={respondent}"
        url = f"{base}/?{query}" if args.notebook else f"{base}/voila/render/app.ipynb?{query}"
        await page.goto(url, wait_until="commit", timeout=args.timeout * 1000)
        for selector in [args.marker] if args.notebook else USABLE:
            await page.wait_for_selector(selector, state="visible", timeout=args.timeout * 1000)
        result["usable"] = time.perf_counter() - start
        if args.notebook:
            await press_marker(page, args, result)
            return
        section = 0
        while len(result["clicked"]) < args.answers:
            row, qid = await next_question(page, result["clicked"])
            if row is None:  # this dimension is done: open the next one (built when opened)
                section += 1
                await page.locator(".jupyter-widget-Collapse-header").nth(section).click()
                waited = time.monotonic() + args.timeout
                while row is None and time.monotonic() < waited:
                    await asyncio.sleep(0.3)
                    row, qid = await next_question(page, result["clicked"])
                if row is None:
                    raise TimeoutError(f"no question appeared in section {section + 1}")
            label = LABELS[(index + len(result["clicked"])) % len(LABELS)]
            before = await page.inner_html(".mw-status")
            await asyncio.sleep(args.think)  # reading the question
            clicked = time.perf_counter()
            await row.get_by_role("button", name=label, exact=True).click()
            await page.wait_for_function(
                "b => { const s = document.querySelector('.mw-status'); "
                "return s && s.innerHTML !== b && s.innerText.includes('Saved at'); }",
                arg=before,
                timeout=args.timeout * 1000,
            )
            result["saves"].append(time.perf_counter() - clicked)
            result["clicked"][qid] = int(label)
        text = await page.inner_text("body")
        dead = [m for m in DEAD_MARKERS if m in text]
        if dead or await page.locator(".mw-lost:visible").count():
            result["error"] = f"dead page: {dead or 'connection lost banner'}"
    except Exception as exc:  # a participant who could not finish: counted, not fatal
        result["error"] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    finally:
        result["closed_at"] = time.monotonic()
        await page.close(run_before_unload=True)  # as closing a tab: the page's unload beacon is sent
        await asyncio.sleep(1)
        await context.close()


async def press_marker(page, args, result: dict) -> None:
    """``--notebook`` mode: click the marker ``--answers`` times, each time until ``--echo`` reads ``Clicks: k``."""
    for k in range(1, args.answers + 1):
        await asyncio.sleep(args.think)
        clicked = time.perf_counter()
        await page.locator(args.marker).first.click()
        await page.wait_for_function(
            "([sel, k]) => { const e = document.querySelector(sel); "
            "return e && e.innerText.includes('Clicks: ' + k); }",
            arg=[args.echo, k],
            timeout=args.timeout * 1000,
        )
        result["saves"].append(time.perf_counter() - clicked)
        result["clicked"][f"click-{k}"] = k


async def run_room(base: str, args) -> list[dict]:
    from playwright.async_api import async_playwright

    results = [{} for _ in range(args.participants)]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        step = args.ramp / max(1, args.participants - 1) if args.participants > 1 else 0
        await asyncio.gather(
            *(participant(browser, base, i, i * step, args, results[i]) for i in range(args.participants))
        )
        await browser.close()
    return results


def settle(server, deadline: float) -> None:
    """Wait until the pre-heated kernels have run up to their page request (memory stops growing)."""
    previous = -1
    while time.monotonic() < deadline:
        now = server.rss_bytes()
        if abs(now - previous) < 0.01 * now:
            return
        previous = now
        time.sleep(3)


def answers_lost(folder: Path, results: list[dict]) -> tuple[int, int]:
    """(clicked answers, clicked answers not found in the saved files)."""
    saved: dict[str, dict] = {}
    for path in (folder / "aws").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        saved[data.get("respondent", "")] = data.get("answers", {})
    clicked = lost = 0
    for r in results:
        answers = saved.get(r.get("respondent"), {})
        for qid, value in r.get("clicked", {}).items():
            clicked += 1
            lost += (answers.get(qid) or {}).get("value") != value
    return clicked, lost


def capacity_lines(n: int, ramp: float, target: float, per_person: float, label: str) -> list[str]:
    """The capacity bound: n people × CPU-s each must fit in CORES × (ramp + target) CPU-s."""
    budget = CORES * (ramp + target)
    fits = budget / per_person if per_person else float("inf")
    verdict = "fits" if n * per_person <= budget else "CANNOT fit"
    return [
        f"  capacity ({label})  {n} × {per_person:.2f} CPU-s = {n * per_person:.0f} CPU-s vs {CORES} cores × "
        f"({ramp:.0f} + {target:.0f}) s = {budget:.0f} CPU-s: {verdict} (budget {budget / n:.2f} CPU-s a person; "
        f"this cost fits {fits:.0f} people)"
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--ramp", type=float, default=60, help="seconds over which participants arrive (0: at once)")
    parser.add_argument("--answers", type=int, default=5)
    parser.add_argument("--think", type=float, default=1.5, help="seconds a participant reads before each answer")
    parser.add_argument("--pool", type=int, default=2, help="as `make app POOL=`")
    parser.add_argument("--max-kernels", type=int, default=48)
    parser.add_argument("--cull-after", type=int, default=120)
    parser.add_argument("--timeout", type=float, default=240, help="seconds a participant waits for each step")
    parser.add_argument("--after", type=float, default=120, help="seconds after closing to count kernels again")
    parser.add_argument("--team", default="Room")
    parser.add_argument("--notebook", type=Path, help="serve this notebook alone instead of the workbook")
    parser.add_argument("--marker", default=".room-ready", help="--notebook: element that shows the page is usable")
    parser.add_argument("--echo", default=".room-clicks", help="--notebook: element that reads 'Clicks: k'")
    parser.add_argument(
        "--target", type=float, help="seconds to usable, for the capacity bound (default: 15, or 120 with --ramp 0)"
    )
    args = parser.parse_args()
    if args.target is None:
        args.target = 120.0 if args.ramp == 0 else 15.0
    notebook = str(args.notebook.resolve()) if args.notebook else None
    require_chromium()
    with tempfile.TemporaryDirectory(prefix="mlops-workbook-room-") as tmp:
        tmp_path = Path(tmp)
        for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR"):
            os.environ[var] = str(tmp_path / var.lower())
        os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
        folder = tmp_path / "assessments"
        options = {"max_kernels": args.max_kernels, "cull_after": args.cull_after}
        log = tmp_path / "voila.log"
        with workbook_server(folder, pool=args.pool, notebook=notebook, log=log, **options) as server:
            pools = 1 if notebook else 2
            expected_pool = args.pool if notebook else args.pool + min(args.pool, 1)
            deadline = time.monotonic() + 120
            while args.pool and time.monotonic() < deadline:  # until every pool is pre-heated
                if log.read_text(errors="replace").count("Kernel pool of") >= pools:
                    break
                time.sleep(1)
            settle(server, deadline)
            idle_rss = server.rss_bytes()
            load_before = os.getloadavg()
            sampler = PeakSampler(server)
            sampler.start()
            meter = CpuMeter(server.process.pid)
            meter.start()
            cpu_start = meter.snapshot()
            started = time.monotonic()
            reaped_before = psutil.Process().cpu_times()
            results = asyncio.run(run_room(server.base, args))
            reaped = psutil.Process().cpu_times()  # Chromium and the driver, reaped by now (a cross-check)
            reaped_cpu = sum(reaped[2:4]) - sum(reaped_before[2:4])
            elapsed = time.monotonic() - started
            last_close = max(r.get("closed_at", time.monotonic()) for r in results)
            time.sleep(max(0.0, last_close + 5 - time.monotonic()))
            cpu_end = meter.snapshot()
            meter.stop.set()
            alive_5s = server.kernels()
            load_during = os.getloadavg()
            time.sleep(max(0.0, last_close + args.after - time.monotonic()))
            alive_after = server.kernels()
            sampler.stop.set()
            room_full = log.read_text(errors="replace").count("Room full")
        clicked, lost = (0, 0) if notebook else answers_lost(folder, results)
    ok = [r for r in results if not r.get("error") and len(r.get("clicked", {})) == args.answers]
    usable = [r["usable"] for r in results if r.get("usable") is not None]
    saves = [s for r in results for s in r.get("saves", [])]
    errors = sorted({r["error"] for r in results if r.get("error")})
    n = args.participants
    cpu = {k: cpu_end[k] - cpu_start[k] for k in cpu_end}
    page = f"notebook {args.notebook}" if notebook else "the app"
    print(
        f"room: {n} participants arriving over {args.ramp:.0f} s, {args.answers} answers each, pool {args.pool}, {page}"
    )
    print(f"  succeeded                 {len(ok)}/{n}  (whole room done in {elapsed:.0f} s)")
    print(
        f"  time to usable            p50 {percentile(usable, 0.5):.1f} s, p95 {percentile(usable, 0.95):.1f} s, "
        f"max {max(usable, default=float('nan')):.1f} s  ({len(usable)} pages usable)"
    )
    print(
        f"  click -> saved            p50 {percentile(saves, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(saves, 0.95) * 1000:.0f} ms  ({len(saves)} saves)"
    )
    print(
        f"  server RSS (Voila+kernels) idle {idle_rss / 2**30:.2f} GB, peak {sampler.peak_server / 2**30:.2f} GB "
        f"({sampler.peak_kernels} kernels at most); Chromium peak {sampler.peak_browser / 2**30:.2f} GB"
    )
    kernel_peaks = sorted(sampler.kernel_peaks.values())
    print(
        f"  one kernel's peak RSS     median {percentile(kernel_peaks, 0.5) / 2**20:.0f} MB, "
        f"max {max(kernel_peaks, default=0) / 2**20:.0f} MB ({len(kernel_peaks)} kernels); other server processes "
        f"(chart renderer): {sum(sampler.helper_peaks.values()) / 2**20:.0f} MB"
    )
    print(
        f"  kernels alive after close 5 s: {alive_5s}, {args.after:.0f} s: {alive_after} "
        f"(the {expected_pool} pre-heated included)"
    )
    if not notebook:
        print(f"  answers lost              {lost} of {clicked}")
    print(
        f"  CPU-s (first arrival → last close + 5 s): server (Voila + kernels) {cpu['server']:.0f}, "
        f"Chromium {cpu['chromium']:.0f}, harness (script + playwright driver) {cpu['harness']:.0f}; "
        f"the machine offers {CORES * (elapsed + 5):.0f} ({CORES} cores × {elapsed + 5:.0f} s)"
    )
    others = cpu["machine"] - cpu["server"] - cpu["chromium"] - cpu["harness"]
    print(
        f"  cross-check               Chromium + driver as reaped children: {reaped_cpu:.0f} CPU-s; whole machine "
        f"{cpu['machine']:.0f} CPU-s, of which {others:.0f} outside this room (other jobs)"
    )
    per_server, per_browser = cpu["server"] / n, cpu["chromium"] / n
    print(
        f"  CPU-s per participant     server {per_server:.2f} (Voilà {cpu['voila'] / n:.2f}, kernels and renderer "
        f"{(cpu['server'] - cpu['voila']) / n:.2f}) + Chromium {per_browser:.2f} = {per_server + per_browser:.2f} "
        f"(harness {cpu['harness'] / n:.2f})"
    )
    for line in capacity_lines(n, args.ramp, args.target, per_server + per_browser, "server + Chromium"):
        print(line)
    for line in capacity_lines(n, args.ramp, args.target, per_server, "server only     "):
        print(line)
    print(f"  room-full pages           {room_full}")
    print(f"  load average              before {load_before[0]:.1f}, at the end {load_during[0]:.1f} ({CORES} cores)")
    for error in errors[:8]:
        print(f"  failure: {error}")
    return 0 if len(ok) == n and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
