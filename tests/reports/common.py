"""What the report tests share: the bundled examples and what every report page must show."""

from __future__ import annotations

import re
from html import escape

from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import EXAMPLES_DIR
from mlops_workbook.model.schema import Assessment
from mlops_workbook.scoring.rules import score_assessment

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))
HOSTILE = "<script>alert(1)</script>"
# Lines of the notebook's code: none may reach a report.
CODE = ("from mlops_workbook import", "import report_html", "report_html.", "display(", "assessment_path =")


def html_ok(html: str, assessment: Assessment) -> None:
    framework = load_framework(assessment.framework)
    card = score_assessment(framework, assessment)
    assert assessment.team in html
    assert card.overall is not None and card.overall.level_name in html
    assert html.count("<svg") >= 2  # radar and level chart, inline
    # one vocabulary and the defence, as in the app (fails without the notebook's defend cell); a bank scored by
    # sections (ML Test Score, Marvelous) shows its rule's own result instead of "weakest dimension"
    if card.outcome is None:
        assert "Overall level (weakest dimension)" in html and "average of dimension scores" in html
    else:
        assert "mw-outcome" in html and escape(card.outcome.name) in html
    assert f"level {card.overall.rank} of {card.top_rank}" in html
    assert "Defend this score" in html
    assert len(re.findall(r"class=[\"']mw-defend[\"']", html)) == len(card.dimensions)
    for code in CODE:
        assert code not in html, code
