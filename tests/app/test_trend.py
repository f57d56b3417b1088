"""Progress over rounds in the app's Results tab and in the report: shown from the second round on."""

from __future__ import annotations

import pytest

from mlops_workbook.app.widgets import App
from mlops_workbook.render.report_html import build_report, page_html

QUESTION = "aws.deploy.automated_deployment"


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_three_rounds_show_a_trend_in_the_app_and_the_report_and_one_round_shows_none(tmp_path):
    app = App("aws", team="Payments", respondent="R07", folder=tmp_path)
    app.row(QUESTION).buttons.value = 1
    assert app.results.trend.value == "", "one round is no trend"
    assert "Progress over rounds" not in page_html(build_report(app.session.path))
    for value in (3, 4):
        app.round_button.click()
        app.row(QUESTION).buttons.value = value
    trend = app.results.trend.value
    assert "<svg" in trend and "progress over 3 rounds" in trend and "Show as table" in trend
    assert [r.round for r in app.report().rounds] == [1, 2, 3]
    report = build_report(app.session.path)
    assert [r.answers[QUESTION].value for r in report.rounds] == [1, 3, 4]
    page = page_html(report)
    assert "Progress over rounds" in page and "progress over 3 rounds" in page
