"""The report notebook (plain papermill) and ``mlops-workbook report`` (batch, index, retries).

Notebook tests: they run real kernels, and fail (never skip) when the kernel is missing.
One batch run is shared by the CLI assertions.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

from mlops_workbook.cli.main import main
from mlops_workbook.model.assessment import load_assessment, save_assessment, slug
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import EXAMPLES_DIR, PROJECT_ROOT
from mlops_workbook.model.schema import Assessment
from mlops_workbook.render.report_html import _unique_ids
from mlops_workbook.reports import jobs as reports
from mlops_workbook.scoring.rules import score_assessment

pytestmark = pytest.mark.notebook

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))
HOSTILE = "<script>alert(1)</script>"
# Lines of the notebook's code: none may reach a report.
CODE = ("from mlops_workbook import", "import report_html", "report_html.", "display(", "assessment_path =")


def _html_ok(html: str, assessment: Assessment) -> None:
    framework = load_framework(assessment.framework)
    card = score_assessment(framework, assessment)
    assert assessment.team in html
    assert card.overall is not None and card.overall.level_name in html
    assert html.count("<svg") >= 2  # radar and level chart, inline
    # one vocabulary and the defence, as in the app (fails without the notebook's defend cell)
    assert "Overall level (weakest dimension)" in html and "average of dimension scores" in html
    assert f"level {card.overall.rank} of {card.top_rank}" in html
    assert "Defend this score" in html
    assert len(re.findall(r"class=[\"']mw-defend[\"']", html)) == len(card.dimensions)
    for code in CODE:
        assert code not in html, code


# --------------------------------------------------------------------------- the notebook


def test_bundled_examples_exist():
    assert len(EXAMPLES) >= 3


def test_parameters_are_exactly_the_documented_ones():
    params = papermill.inspect_notebook(str(reports.NOTEBOOK))
    assert set(params) == {"assessment_path", "previous_path", "title"}
    default = json.loads(params["assessment_path"]["default"])
    assert (PROJECT_ROOT / default).is_file()
    assert json.loads(params["previous_path"]["default"]) == ""
    assert json.loads(params["title"]["default"]) == ""


def test_notebook_is_thin_and_stored_without_outputs():
    nb = nbformat.read(reports.NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert "def " not in cell.source and "class " not in cell.source


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_plain_papermill_report(example: Path, tmp_path: Path):
    out = tmp_path / "out.ipynb"
    nb = papermill.execute_notebook(
        str(reports.NOTEBOOK),
        str(out),
        parameters={"assessment_path": str(example)},
        progress_bar=False,
        execution_timeout=120,
    )
    html = reports.notebook_to_html(nb, "report")
    _html_ok(html, load_assessment(example))


# --------------------------------------------------------------------------- the batch


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
        _html_ok(page.read_text(encoding="utf-8"), a)


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


# --------------------------------------------------------------------------- no hanging


def test_a_stalled_run_times_out_and_is_retried_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            'assessment_path = ""\nprevious_path = ""\ntitle = ""', metadata={"tags": ["parameters"]}
        ),
        nbformat.v4.new_code_cell(
            "import pathlib, time\nmarker = pathlib.Path(assessment_path + '.seen')\n"
            "if not marker.exists():\n    marker.write_text('1')\n    time.sleep(600)\nprint('done')"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    stalling = tmp_path / "stall.ipynb"
    nbformat.write(nb, stalling)
    monkeypatch.setattr(reports, "NOTEBOOK", stalling)
    example = tmp_path / "a.json"
    shutil.copy(EXAMPLES[0], example)
    job = reports.Job(example, load_assessment(example), tmp_path / "a.html")
    [outcome] = reports.run_jobs([job], reports.Settings(workers=1, timeout=3, start_timeout=60))
    assert outcome.ok, outcome.error
    assert outcome.attempts == 2
    assert "done" in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_a_failed_rerun_removes_the_outdated_report(tmp_path: Path):
    example = tmp_path / "a.json"
    shutil.copy(EXAMPLES[0], example)
    job = reports.Job(example, load_assessment(example), tmp_path / "a.html")
    job.output.write_text("<html>last month's report</html>", encoding="utf-8")
    example.unlink()  # the notebook will fail to read it
    [outcome] = reports.run_jobs([job], reports.Settings(workers=1, timeout=60, start_timeout=60))
    assert not outcome.ok
    assert "removed" in outcome.error and "a.json" in outcome.error
    assert not job.output.exists()


# --------------------------------------------------------------------------- pure parts


def test_same_team_and_framework_are_told_apart_by_respondent(tmp_path: Path):
    for name, respondent in (("a.json", "Ann"), ("b.json", "Bob")):
        a = load_assessment(EXAMPLES[0])
        a.respondent = respondent
        save_assessment(a, tmp_path / name)
    jobs, refused = reports.plan([tmp_path], tmp_path / "out")
    assert not refused
    assert sorted(j.output.name for j in jobs) == sorted(
        f"{slug(load_assessment(EXAMPLES[0]).team)}--aws--{r}.html" for r in ("ann", "bob")
    )


def test_invalid_answers_are_refused_before_a_kernel_starts(tmp_path: Path):
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["targets"] = {"no_such_dimension": "initial"}
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    jobs, refused = reports.plan([tmp_path], tmp_path / "out")
    assert not jobs and "targets.no_such_dimension" in refused[0].error


def test_chart_ids_are_made_unique():
    svg = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/></svg>'
    assert _unique_ids(svg, "radar") == (
        '<svg><clipPath id="radar-clip1"/><g clip-path="url(#radar-clip1)"/><use href="#radar-clip1"/></svg>'
    )


# --------------------------------------------------------------------------- the portfolio index, in one vocabulary


def _index_rows(html: str) -> dict[str, str]:
    """The index table's rows by team (the first cell), as HTML."""
    table = html.split("<table>", 1)[1].split("</table>", 1)[0]
    return {row.split("</td>", 1)[0].removeprefix("<tr><td>"): row for row in re.findall(r"<tr><td>.*?</tr>", table)}


def test_index_words_the_overall_level_as_every_report(tmp_path: Path):
    from mlops_workbook.reports.jobs import Outcome
    from mlops_workbook.reports.portfolio import index_html
    from mlops_workbook.scoring.rules import level_label

    outcomes = [Outcome(p, True, output=tmp_path / f"{p.stem}.html", assessment=load_assessment(p)) for p in EXAMPLES]
    html = index_html(outcomes)
    assert "<th>Overall level (weakest dimension)</th><th>Average of dimension scores</th>" in html
    assert "<th>Score</th>" not in html
    rows = _index_rows(html)
    provisional = 0
    for example in EXAMPLES:
        a = load_assessment(example)
        fw = load_framework(a.framework)
        o = score_assessment(fw, a).overall
        assert o is not None
        row = rows[a.team]
        # fails if the index goes back to the bare level name (card.overall.level_name)
        assert f"<td>{level_label(fw, o.rank)} " in row, row
        assert f"{o.score:.2f} of {fw.top.rank}" in row
        assert f"{o.completeness.answered} of {o.completeness.applicable} answered" in row
        assert f"answered ({o.completeness.share:.0%})</td><td class='mwr-num'>{o.completeness.na}</td>" in row  # N/A
        # the report's provisional mark, on the provisional row only (fails without _provisional in _row_html)
        assert ('<span class="mwr-provisional">provisional</span>' in row) == o.provisional
        provisional += o.provisional
    assert provisional, "one bundled example is provisional: the mark must be tested on it"


def test_index_marks_provisional_cells_and_escapes_every_name(tmp_path: Path):
    from mlops_workbook.model.assessment import new_assessment, set_answer
    from mlops_workbook.reports.jobs import Outcome
    from mlops_workbook.reports.portfolio import STAR_NOTE, index_html

    fw = load_framework("aws")
    thin = new_assessment(fw, organisation=HOSTILE, team="Few <b>answers</b>", respondent=HOSTILE)
    first = fw.questions_for(fw.dimensions[0].id)[0]
    set_answer(thin, first.id, "na", na_reason="no such team")
    set_answer(thin, fw.questions_for(fw.dimensions[1].id)[0].id, 1)
    empty = new_assessment(fw, team="Nothing yet")
    outcomes = [
        Outcome(tmp_path / "thin.json", True, output=tmp_path / "thin.html", assessment=thin),
        Outcome(tmp_path / "empty.json", True, output=tmp_path / "empty.html", assessment=empty),
    ]
    html = index_html(outcomes)
    assert HOSTILE not in html and "<b>answers</b>" not in html
    assert "Few &lt;b&gt;answers&lt;/b&gt;" in html
    rows = _index_rows(html)
    thin_row = rows["Few &lt;b&gt;answers&lt;/b&gt;"]
    assert '<span class="mwr-provisional">provisional</span>' in thin_row
    assert "answered (3%)</td><td class='mwr-num'>1</td>" in thin_row  # one N/A
    assert "<td>not assessed </td><td class='mwr-num'>—</td>" in rows["Nothing yet"]
    # the heatmap is static SVG (no tooltips): a provisional cell carries a star, the title says what it means
    # (fails if _heatmaps stops calling _star_provisional)
    assert STAR_NOTE in html
    assert re.findall(r"<text[^>]*>[0-9.]+ \*</text>", html), "a provisional cell's text ends with *"
    # the table behind the heatmap names each level as level_label does
    assert "Initial (level 0 of 3) · provisional" in html
