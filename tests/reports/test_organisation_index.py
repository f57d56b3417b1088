"""The organisation's view in the batch index.html: its sections, the blockers CSV beside it, names escaped."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mlops_workbook.model.assessment import load_assessment
from mlops_workbook.reports.organisation import BLOCKER_COLUMNS
from mlops_workbook.reports.organisation_files import load_units
from mlops_workbook.reports.outputs import Outcome
from mlops_workbook.reports.portfolio import write_index
from tests.reports.common import HOSTILE
from tests.reports.org_folder import HOSTILE_UNIT, make_org_folder

SECTIONS = (
    '<h2 id="organisation">The organisation\'s view</h2>',
    "<h3>Teams per level, per model and round</h3>",
    "<h3>Business units: teams per overall level (latest round)</h3>",
    "<h3>Blockers that hold back the most teams</h3>",
    "<h3>Teams × dimensions, grouped by business unit (latest round)</h3>",
    "<h3>Progress over rounds",
    '<h2 id="reports">Every report</h2>',
)


def test_index_has_the_organisations_view_with_every_name_escaped(tmp_path: Path):
    folder = make_org_folder(tmp_path / "assessments")
    files = sorted(folder.rglob("*.json"))
    outcomes = [Outcome(p, True, output=tmp_path / f"{p.stem}.html", assessment=load_assessment(p)) for p in files]
    out = tmp_path / "reports"
    out.mkdir()
    html = write_index(out, outcomes, load_units(folder / "units.yaml")).read_text(encoding="utf-8")
    positions = [html.index(section) for section in SECTIONS]
    assert positions == sorted(positions)  # the organisation's view first, then every report
    organisation = html[positions[0] : positions[-1]]
    # 3 teams in 3 units: Payments (units.yaml: Retail), Fraud (units.yaml, matched as 'fraud': Risk), the hostile one
    assert "<b>3</b> teams in <b>3</b> business units" in organisation
    assert "<td>Retail</td>" in organisation and "<td>Risk</td>" in organisation
    assert "median of 3 respondents" in organisation  # Fraud's result, in the heatmap's table
    assert organisation.count("<svg") >= 3  # distribution, heatmap, trend (Payments has two rounds)
    # hostile names: escaped in every section that shows them (fails if any escape() of a name is dropped)
    assert HOSTILE not in html and HOSTILE_UNIT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in organisation and "&lt;b&gt;Evil unit&lt;/b&gt;" in organisation
    assert "href='blockers.csv'" in organisation
    rows = list(csv.DictReader(io.StringIO((out / "blockers.csv").read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(BLOCKER_COLUMNS)
    assert int(rows[0]["teams blocked"]) >= int(rows[-1]["teams blocked"])
    assert any(HOSTILE in row["teams"] for row in rows)  # a CSV keeps the name as typed (it is not HTML)


def test_every_table_of_the_index_scrolls_inside_its_own_focusable_box(tmp_path: Path):
    """At 320 px a wide table scrolls in a keyboard-reachable region, not the page (fails if a table of the
    organisation's view or the report list is written without ``scroll_box``)."""
    import re

    folder = make_org_folder(tmp_path / "assessments")
    outcomes = [
        Outcome(p, True, output=tmp_path / f"{p.stem}.html", assessment=load_assessment(p))
        for p in sorted(folder.rglob("*.json"))
    ]
    out = tmp_path / "reports"
    out.mkdir()
    html = write_index(out, outcomes, load_units(folder / "units.yaml")).read_text(encoding="utf-8")
    body = re.sub(r"<details.*?</details>", "", html, flags=re.S)  # charts' table twins fold away in <details>
    body = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    tables = [m.start() for m in re.finditer(r"<table", body)]
    assert len(tables) >= 3
    for start in tables:
        box = body.rfind('<div class="mw-scroll" tabindex="0" role="region"', 0, start)
        assert box != -1 and "</div>" not in body[box:start], body[max(0, start - 300) : start + 80]
