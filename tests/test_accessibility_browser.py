"""Usable by everyone: axe-core, the keyboard alone and a 320 px screen, in headless Chromium, offline.

axe-core comes bundled in ``axe-playwright-python`` (no network). Every page fails on any serious or
critical violation; on the pages' own HTML (the app, the facilitator page, a report, the index) on
moderate ones too. Screenshots are kept in the test's temp folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlops_workbook.model.assessment import assessment_path
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import EXAMPLES_DIR
from mlops_workbook.workshop.demo import seed_demo
from tests.browser import assert_no_voila_error, browser_page, require_chromium, voila_server

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}
QUESTION = "aws.deploy.automated_deployment"
ROW = f".mw-q-{QUESTION.replace('.', '-')}"


def axe_problems(page, own: str = "") -> list[str]:
    """axe's serious and critical violations on the whole page, and its moderate ones inside ``own``
    (a selector of the project's own HTML; ``"page"``: the whole page is ours)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    runs = [(axe.run(page), SERIOUS | ({"moderate"} if own == "page" else set()))]
    if own and own != "page":
        runs.append((axe.run(page, context={"include": [[own]]}), SERIOUS | {"moderate"}))
    return sorted(
        {
            f"{v['id']} ({v['impact']}) x{len(v['nodes'])}: {v['help']} — e.g. {v['nodes'][0]['target']}"
            for result, impacts in runs
            for v in result.response["violations"]
            if v["impact"] in impacts
        }
    )


def assert_structure(page) -> None:
    """One h1, one main landmark, a language."""
    assert page.locator("h1").count() == 1, page.locator("h1").all_inner_texts()
    assert page.locator("main, [role=main]").count() == 1
    assert page.evaluate("document.documentElement.lang"), "<html> has no lang"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("assessments")
    seed_demo(folder, "aws", teams=3, respondents=6)
    with voila_server(folder, pool=0, log=folder.parent / "voila-a11y.log") as base:
        yield base, folder


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """One batch report and its index, as `mlops-workbook report` writes them."""
    source = tmp_path_factory.mktemp("source")
    example = EXAMPLES_DIR / "aws-retail-forecasting.json"
    (source / example.name).write_bytes(example.read_bytes())
    out = tmp_path_factory.mktemp("reports")
    done = subprocess.run(
        [sys.executable, "-m", "mlops_workbook", "report", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _open_app(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=90_000)
    page.wait_for_selector(".mw-radar svg", timeout=90_000)
    page.wait_for_selector(".mw-skip", state="attached", timeout=15_000)


def test_app_has_no_axe_violations_on_any_tab_or_open_dimension(server, tmp_path):
    base, _ = server
    with browser_page(base) as (page, _blocked):
        _open_app(page, f"{base}/voila/render/app.ipynb")
        assert_no_voila_error(page)
        assert_structure(page)
        problems = {"first view": axe_problems(page, own=".mw-app")}
        # every group of buttons has a name of its own (fails without the picker's description="Model")
        names = page.eval_on_selector_all(".mw-app [role=group]", "els => els.map(e => e.getAttribute('aria-label'))")
        assert "Model" in names and "Choices" not in names, names
        page.locator(".jupyter-widget-Collapse-header", has_text="Deploy").click()
        page.wait_for_selector(f"{ROW} [role=group]", timeout=15_000)
        problems["Deploy opened"] = axe_problems(page, own=".mw-app")
        for tab in ("Next steps", "Compare models", "Save & share", "Results"):
            page.locator(".mw-results .lm-TabBar-tab", has_text=tab).click()
            page.wait_for_timeout(1500)
            problems[tab] = axe_problems(page, own=".mw-app")
        page.screenshot(path=str(tmp_path / "app.png"), full_page=True)
    assert not any(problems.values()), json.dumps(problems, indent=1)


def test_facilitator_page_has_no_axe_violations_on_any_tab(server, tmp_path):
    base, _ = server
    with browser_page(base) as (page, _blocked):
        page.goto(f"{base}/voila/render/50-workshop.ipynb", wait_until="domcontentloaded", timeout=90_000)
        page.wait_for_selector(".mw-team-radar svg", timeout=90_000)
        assert_no_voila_error(page)
        assert_structure(page)
        problems = {}
        tabs = page.locator(".mw-fac .lm-TabBar-tab")
        for i in range(tabs.count()):
            name = tabs.nth(i).inner_text()
            tabs.nth(i).click()
            page.wait_for_timeout(2500)
            problems[name] = axe_problems(page, own=".mw-fac")
            page.screenshot(path=str(tmp_path / f"facilitator-{i}.png"), full_page=True)
    assert not any(problems.values()), json.dumps(problems, indent=1)


def test_report_and_index_have_no_axe_violations(server, reports, tmp_path):
    base, _ = server
    pages = sorted(reports.glob("*.html"))
    assert any(p.name == "index.html" for p in pages) and len(pages) >= 2
    problems = {}
    with browser_page(base) as (page, _blocked):
        for path in pages:
            page.set_content(path.read_text(encoding="utf-8"), wait_until="load")
            assert_structure(page)
            problems[path.name] = axe_problems(page, own="page")
            page.screenshot(path=str(tmp_path / f"{path.stem}.png"), full_page=True)
    assert not any(problems.values()), json.dumps(problems, indent=1)


def _tab_until(page, selector: str, limit: int, text: str = "") -> None:
    """Press Tab until the focused element is (inside) ``selector``, with ``text`` in it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """([s, text]) => { const e = document.activeElement && document.activeElement.closest(s);
                                return !!e && e.textContent.includes(text); }""",
            [selector, text],
        )
        if found:
            return
    raise AssertionError(f"{limit} × Tab never reached {selector} {text!r}; focus is on {_focused(page)}")


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : ''")


def _saved(path: Path, check, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        answer = json.loads(path.read_text())["answers"].get(QUESTION) if path.exists() else None
        if answer and check(answer):
            return answer
        assert time.monotonic() < deadline, f"not saved as expected: {answer}"
        time.sleep(0.2)


def test_keyboard_only_answers_marks_na_with_reason_and_reaches_results(server, tmp_path):
    base, folder = server
    mine = assessment_path(folder, "aws", "Keys", "K1")
    with browser_page(base) as (page, _blocked):
        _open_app(page, f"{base}/voila/render/app.ipynb?framework=aws&team=Keys&respondent=K1")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "mw-skip", _focused(page)

        # A dimension opens from the keyboard, and says so
        _tab_until(page, ".jupyter-widget-Collapse-header", 150, text="Deploy")
        header = page.locator(".jupyter-widget-Collapse-header", has_text="Deploy")
        assert header.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        page.wait_for_selector(f"{ROW} [role=group]", timeout=15_000)
        assert header.get_attribute("aria-expanded") == "true"

        # One Tab stop per answer group, named after its question; arrows move, Space chooses
        _tab_until(page, f"{ROW} [role=group]", 40)
        group = page.locator(f"{ROW} [role=group]")
        assert group.get_attribute("aria-label") == f"Answer: {load_framework('aws').question(QUESTION).text}"
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        _saved(mine, lambda a: a["value"] == 3)
        assert group.get_by_role("button", name="3", exact=True).get_attribute("aria-pressed") == "true"
        page.wait_for_function(
            "() => [...document.querySelectorAll('[role=status]')].some(e => e.textContent.includes('Saved'))",
            timeout=10_000,
        )

        # N/A sends focus to its reason field, which is named after the question
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        page.wait_for_function("s => document.activeElement.closest(s + ' input')", arg=ROW, timeout=10_000)
        label = page.evaluate(
            "() => { const i = document.activeElement; return i.labels && i.labels[0] ? i.labels[0].textContent : ''; }"
        )
        assert label.startswith("Why does this not apply:"), label
        page.keyboard.type("We deploy no models ourselves")
        _saved(mine, lambda a: a["value"] == "na" and a.get("na_reason") == "We deploy no models ourselves")

        # On to the results without the mouse, and between their tabs with the arrows
        _tab_until(page, ".mw-results .lm-TabBar-tab", 300)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('.mw-results .lm-mod-current').textContent.includes('Next steps')"
        )
        assert "Next steps" in page.evaluate("document.activeElement.textContent")
        page.screenshot(path=str(tmp_path / "keyboard.png"), full_page=True)


def test_skip_link_goes_to_the_results(server):
    base, _ = server
    with browser_page(base) as (page, _blocked):
        _open_app(page, f"{base}/voila/render/app.ipynb")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("!!document.activeElement.closest('.mw-results')"), _focused(page)


def test_app_and_index_fit_320_px(server, reports, tmp_path):
    base, _ = server
    with browser_page(base) as (page, _blocked):
        page.set_viewport_size({"width": 320, "height": 900})
        _open_app(page, f"{base}/voila/render/app.ipynb")
        page.locator(".jupyter-widget-Collapse-header", has_text="Deploy").click()
        page.wait_for_selector(f"{ROW} [role=group]", timeout=15_000)
        page.wait_for_timeout(1000)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        page.screenshot(path=str(tmp_path / "app-320.png"), full_page=True)
        assert widths[0] <= widths[1], f"the app scrolls sideways at 320 px: {widths}"
        questions = page.locator(".mw-questions >> visible=true").bounding_box()
        results = page.locator(".mw-results").bounding_box()
        assert results["y"] >= questions["y"] + questions["height"] - 1, "questions stacked above results"
        cut = page.evaluate(
            """() => [...document.querySelectorAll('.mw-app button, .mw-app .lm-TabBar-tabLabel')]
                 .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
        )
        assert not cut, f"labels cut at 320 px: {cut}"

        page.set_content((reports / "index.html").read_text(encoding="utf-8"), wait_until="load")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        page.screenshot(path=str(tmp_path / "index-320.png"), full_page=True)
        assert widths[0] <= widths[1], f"index.html scrolls sideways at 320 px: {widths}"
