"""The report: its one list of sections, used by the notebook and by the standalone page."""

from __future__ import annotations

from html import escape

import nbformat

from mlops_workbook.render import report_html
from mlops_workbook.render.report_html import SECTIONS, build_report, page_html, report_title
from mlops_workbook.reports.kernels import NOTEBOOK


def test_report_page_has_a_defend_section_and_the_level_vocabulary():
    from mlops_workbook.render.report_html import build_report

    report = build_report("data/examples/azure-insurance-claims.json")
    html = page_html(report)
    assert "<h2>Defend this score</h2>" in html
    assert "Overall level (weakest dimension)" in html and "average of dimension scores" in html
    o = report.card.overall
    assert o is not None and f"(level {o.rank} of 4)" in html
    assert html.count("class='mw-defend'") == len(report.framework.dimensions)


def test_the_page_shows_every_section_once_in_order():
    report = build_report("data/examples/aws-retail-forecasting.json")
    html = page_html(report)
    headings = [s.heading for s in SECTIONS if s.heading and not s.optional]  # one round: no trend section
    places = [html.index(f"<h2>{escape(h)}</h2>") for h in headings]
    assert places == sorted(places) and len(headings) == len(SECTIONS) - 1 - sum(s.optional for s in SECTIONS)
    assert all(f"<h2>{escape(s.heading)}</h2>" not in html for s in SECTIONS if s.optional)
    assert html.count("<style>") == 1, "the one stylesheet, once"
    assert "The radar shows each dimension" in html  # a section's intro, in the download as in the notebook


def test_the_notebook_displays_the_same_sections():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "for section in report_html.SECTIONS" in code and "section.html(report)" in code
    assert "report_html." in code and code.count("display(") == 1, "no section displayed apart from the list"


def test_the_title_names_the_team_unless_one_is_given():
    report = build_report("data/examples/aws-retail-forecasting.json")
    assert report_title(report.assessment) == f"MLOps maturity report — {report.assessment.team}"
    assert report_title(report.assessment, "Q3 review") == "Q3 review"
    assert (
        report_html.page_html(build_report("data/examples/aws-retail-forecasting.json", title="Q3 review")).count(
            "Q3 review"
        )
        == 2
    )  # the page title and the heading
