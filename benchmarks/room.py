"""A room of participants on one machine: N real Chromium sessions against the workbook server.

    .venv/bin/python benchmarks/room.py --participants 40 --ramp 60
    .venv/bin/python benchmarks/room.py --participants 30 --ramp 0

Starts the server as ``make app`` does (own port, temporary assessments and Jupyter folders),
then one headless Chromium with N contexts, each a different respondent by URL
(``/voila/render/app.ipynb?framework=aws&team=Room&respondent=P07``), arriving evenly over
``--ramp`` seconds. Each opens the app, waits until it is usable (overall result and answer
buttons shown), answers 5 questions, waiting for each "Saved at" before the next, then closes
its page as a browser tab does (the page's unload beacon). The network is closed except the
server. Afterwards every clicked answer is looked up in the saved files.

Prints: succeeded/N, time to usable p50/p95, click -> saved p50/p95, peak RSS of the server and
its kernels (and of Chromium), kernels alive 5 s and 2 min after the pages closed, answers lost.
"""

from __future__ import annotations

import argparse
import asyncio
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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


class PeakSampler(threading.Thread):
    """Samples, every second, the RSS of the server tree and of Chromium; keeps the peaks."""

    def __init__(self, server) -> None:
        super().__init__(daemon=True)
        self.server, self.peak_server, self.peak_browser = server, 0, 0
        self.peak_kernels = 0
        self.stop = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self.stop.wait(1.0):
            self.peak_server = max(self.peak_server, self.server.rss_bytes())
            self.peak_kernels = max(self.peak_kernels, self.server.kernels())
            browser = 0
            for p in me.children(recursive=True):
                try:
                    if "chrom" in p.name():
                        browser += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_browser = max(self.peak_browser, browser)


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
        url = f"{base}/voila/render/app.ipynb?framework=aws&team={args.team}&respondent={respondent}"
        await page.goto(url, wait_until="commit", timeout=args.timeout * 1000)
        for selector in USABLE:
            await page.wait_for_selector(selector, state="visible", timeout=args.timeout * 1000)
        result["usable"] = time.perf_counter() - start
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


def cpu_seconds(process: psutil.Process, own: bool = True) -> float:
    """CPU time of ``process`` (if ``own``), its live descendants and the children it has reaped."""
    times = process.cpu_times()
    total = (times.user + times.system if own else 0) + times.children_user + times.children_system
    for child in process.children(recursive=True):
        try:
            t = child.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


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
    args = parser.parse_args()
    require_chromium()
    with tempfile.TemporaryDirectory(prefix="mlops-workbook-room-") as tmp:
        tmp_path = Path(tmp)
        for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR"):
            os.environ[var] = str(tmp_path / var.lower())
        os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
        folder = tmp_path / "assessments"
        options = {"max_kernels": args.max_kernels, "cull_after": args.cull_after}
        with workbook_server(folder, pool=args.pool, log=tmp_path / "voila.log", **options) as server:
            expected_pool = args.pool + min(args.pool, 1)
            deadline = time.monotonic() + 120
            log = tmp_path / "voila.log"
            while args.pool and time.monotonic() < deadline:  # until both pools are pre-heated
                if log.read_text(errors="replace").count("Kernel pool of") >= 2:
                    break
                time.sleep(1)
            settle(server, deadline)
            idle_rss = server.rss_bytes()
            load_before = os.getloadavg()
            sampler = PeakSampler(server)
            sampler.start()
            started = time.monotonic()
            results = asyncio.run(run_room(server.base, args))
            times = psutil.Process().cpu_times()  # the browsers (and playwright's driver) are reaped by now
            browser_cpu = times.children_user + times.children_system
            elapsed = time.monotonic() - started
            last_close = max(r.get("closed_at", time.monotonic()) for r in results)
            time.sleep(max(0.0, last_close + 5 - time.monotonic()))
            alive_5s = server.kernels()
            load_during = os.getloadavg()
            time.sleep(max(0.0, last_close + args.after - time.monotonic()))
            alive_after = server.kernels()
            sampler.stop.set()
            server_cpu = cpu_seconds(psutil.Process(server.process.pid))
            room_full = (tmp_path / "voila.log").read_text(errors="replace").count("Room full")
        clicked, lost = answers_lost(folder, results)
    ok = [r for r in results if not r.get("error") and len(r.get("clicked", {})) == args.answers]
    usable = [r["usable"] for r in results if r.get("usable") is not None]
    saves = [s for r in results for s in r.get("saves", [])]
    errors = sorted({r["error"] for r in results if r.get("error")})
    n = args.participants
    print(f"room: {n} participants arriving over {args.ramp:.0f} s, {args.answers} answers each, pool {args.pool}")
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
    print(
        f"  kernels alive after close 5 s: {alive_5s}, {args.after:.0f} s: {alive_after} "
        f"(the {expected_pool} pre-heated included)"
    )
    print(f"  answers lost              {lost} of {clicked}")
    print(
        f"  CPU time                  server (Voila + kernels) {server_cpu:.0f} s, browsers {browser_cpu:.0f} s; "
        f"the machine offers {2 * elapsed:.0f} s over the {elapsed:.0f} s of the room (2 cores)"
    )
    print(f"  room-full pages           {room_full}")
    print(f"  load average              before {load_before[0]:.1f}, at the end {load_during[0]:.1f} (2 cores)")
    for error in errors[:8]:
        print(f"  failure: {error}")
    return 0 if len(ok) == n and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
