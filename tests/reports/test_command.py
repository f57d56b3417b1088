"""``mlops-workbook report`` end to end: one batch run (real kernels) shared by the assertions.

Notebook tests: they run real kernels, and fail (never skip) when the kernel is missing.
"""

from __future__ import annotations

import contextlib
import io
import shutil

import pytest

from mlops_workbook.cli.main import main
from mlops_workbook.model.assessment import load_assessment, save_assessment, slug
from tests.reports.common import EXAMPLES, HOSTILE, html_ok

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("batch")
    inputs, previous_dir, out = base / "in", base / "previous", base / "out"
    inputs.mkdir()
    previous_dir.mkdir()
    for example in EXAMPLES:
        shutil.copy(example, inputs / example.name)
    # A hostile copy: markup in the team name and a note.
    hostile = load_assessment(EXAMPLES[0])
    hostile.team = f"Red <b>Team</b> {HOSTILE}"
    first = next(iter(hostile.answers))
    hostile.answers[first].note = f"see {HOSTILE} & co"
    save_assessment(hostile, inputs / "hostile.json")
    # An earlier round of the first example.
    earlier = load_assessment(EXAMPLES[0])
    earlier.round = 1
    for answer in earlier.answers.values():
        if isinstance(answer.value, int):
            answer.value = max(0, answer.value - 1)
    current = load_assessment(EXAMPLES[0])
    current.round = 2
    save_assessment(current, inputs / EXAMPLES[0].name)
    save_assessment(earlier, previous_dir / "round-1.json")
    # A report from an earlier run, to be replaced.
    stale = load_assessment(EXAMPLES[1])
    out.mkdir()
    (out / f"{slug(stale.team)}--{stale.framework}.html").write_text("stale report", encoding="utf-8")
    (inputs / "broken.json").write_text('{"framework": "aws", "answers": {', encoding="utf-8")
    return base, out, previous_dir


@pytest.fixture(scope="module")
def batch_run(batch):
    base, out, previous_dir = batch
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(
            ["report", str(base / "in"), "-o", str(out), "--previous-dir", str(previous_dir), "--timeout", "90"]
        )
    return code, stdout.getvalue(), stderr.getvalue(), out


def test_batch_reports_the_broken_file_and_fails(batch_run):
    code, stdout, stderr, _ = batch_run
    assert code != 0
    assert "broken.json" in stderr
    assert "is not valid JSON" in stderr
    assert f"{len(EXAMPLES) + 1} report(s) written" in stdout


def test_batch_writes_every_good_report(batch_run):
    _, _, _, out = batch_run
    for example in EXAMPLES:
        a = load_assessment(example)
        page = out / f"{slug(a.team)}--{a.framework}.html"
        assert page.is_file(), page
        html_ok(page.read_text(encoding="utf-8"), a)


def test_batch_index_links_every_report(batch_run):
    _, _, _, out = batch_run
    index = (out / "index.html").read_text(encoding="utf-8")
    pages = sorted(p.name for p in out.glob("*--*.html"))
    assert len(pages) == len(EXAMPLES) + 1
    for page in pages:
        assert f'href="{page}"' in index
    assert "<svg" in index and "broken.json" in index


def test_hostile_text_stays_escaped(batch_run):
    _, _, _, out = batch_run
    page = next(out.glob("red-b-team-b-script-alert-1-script*--*.html"))
    for html in (page.read_text(encoding="utf-8"), (out / "index.html").read_text(encoding="utf-8")):
        assert HOSTILE not in html and "<b>Team</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_previous_round_is_found_and_shown(batch_run):
    _, _, _, out = batch_run
    a = load_assessment(EXAMPLES[0])
    html = (out / f"{slug(a.team)}--{a.framework}.html").read_text(encoding="utf-8")
    assert "Previous round (1" in html and "<th>Previous</th>" in html


def test_rerun_overwrites_atomically(batch_run):
    _, _, _, out = batch_run
    a = load_assessment(EXAMPLES[1])
    page = out / f"{slug(a.team)}--{a.framework}.html"
    assert "stale report" not in page.read_text(encoding="utf-8")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left
