"""The portfolio index, in one vocabulary with every report; built without a kernel."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlops_workbook.model.assessment import load_assessment, new_assessment, set_answer
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.render.views import unique_ids
from mlops_workbook.reports.outputs import Outcome
from mlops_workbook.reports.portfolio import STAR_NOTE, index_html
from mlops_workbook.scoring.rules import level_label, score_assessment
from tests.reports.common import EXAMPLES, HOSTILE


def test_chart_ids_are_made_unique():
    svg = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/></svg>'
    assert unique_ids(svg, "radar") == (
        '<svg><clipPath id="radar-clip1"/><g clip-path="url(#radar-clip1)"/><use href="#radar-clip1"/></svg>'
    )


def _index_rows(html: str) -> dict[str, str]:
    """The index table's rows by team (the first cell), as HTML."""
    table = html.split("<table>", 1)[1].split("</table>", 1)[0]
    return {row.split("</td>", 1)[0].removeprefix("<tr><td>"): row for row in re.findall(r"<tr><td>.*?</tr>", table)}


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_index_words_the_overall_level_as_every_report(tmp_path: Path):
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
        assert ('class="mw-provisional"' in row) == o.provisional
        provisional += o.provisional
    assert provisional, "one bundled example is provisional: the mark must be tested on it"


def test_index_marks_provisional_cells_and_escapes_every_name(tmp_path: Path):
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
    assert 'class="mw-provisional"' in thin_row
    assert "answered (3%)</td><td class='mwr-num'>1</td>" in thin_row  # one N/A
    assert "<td>not assessed </td><td class='mwr-num'>—</td>" in rows["Nothing yet"]
    # the heatmap is static SVG (no tooltips): a provisional cell carries a star, the title says what it means
    # (fails if _heatmaps stops calling star_provisional)
    assert STAR_NOTE in html
    assert re.findall(r"<text[^>]*>[0-9.]+ \*</text>", html), "a provisional cell's text ends with *"
    # the table behind the heatmap names each level as level_label does
    assert "Initial (level 0 of 3) · provisional" in html
