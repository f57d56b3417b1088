"""What screen readers are told: level changes in words, controls named after their question, charts named
from their data. (The keyboard and axe-core checks run in a browser: tests/test_accessibility_browser.py.)"""

from __future__ import annotations

import re
from html import unescape

from mlops_workbook import charts
from mlops_workbook.app.access import PageAccess, level_changes, plain_text
from mlops_workbook.app.questions import QuestionRow, RowLayouts
from mlops_workbook.model.assessment import load_assessment
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import EXAMPLES_DIR
from mlops_workbook.model.schema import Answer
from mlops_workbook.scoring.rules import score_assessment

EXAMPLE = EXAMPLES_DIR / "aws-retail-forecasting.json"


def _cards():
    fw = load_framework("aws")
    assessment = load_assessment(EXAMPLE)
    before = score_assessment(fw, assessment)
    lowest = next(d for d in before.dimensions if d.rank)  # a dimension above the baseline
    zeroed = {q.id: Answer(value=0) for q in fw.questions_for(lowest.id)}
    after = score_assessment(fw, assessment.model_copy(update={"answers": {**assessment.answers, **zeroed}}))
    return fw, before, after, lowest


def test_level_changes_say_which_dimension_moved_and_where():
    _fw, before, after, dimension = _cards()
    fell = after.dimension(dimension.id)
    assert level_changes(before, after) == [f"{dimension.name} fell to {fell.level_name}"]
    assert level_changes(after, before) == [f"{dimension.name} rose to {dimension.level_name}"]
    assert level_changes(None, after) == [] and level_changes(after, after) == []


def test_announcements_repeat_and_keep_their_kind():
    access = PageAccess()
    access.announce("Saved")
    first = access.message
    access.announce("Saved")
    assert access.message != first and access.message.startswith("status|Saved")  # said again
    access.announce("Data rose to Reliable.", kind="levels")
    assert access.message == "levels|Data rose to Reliable."
    assert plain_text("<b>✔ Saved</b> <span>to a&amp;b</span>") == "✔ Saved to a&b"


def test_every_control_of_a_question_is_named_after_it():
    fw = load_framework("aws")
    question = fw.question("aws.deploy.automated_deployment")
    row = QuestionRow(fw, question, RowLayouts())
    for widget in (row.buttons, row.na_reason, row.note):
        assert question.text in widget.description, widget


def test_charts_are_images_named_by_a_sentence_from_their_data():
    fw, card, _after, dimension = _cards()
    for svg in (charts.to_svg(charts.radar_chart(fw, card)), charts.to_svg(charts.level_chart(fw, card))):
        assert svg.startswith('<svg role="img" aria-label="')
        label = unescape(re.search(r'aria-label="([^"]*)"', svg).group(1))
        assert dimension.name in label and "<title>" in svg, label
    radar = unescape(re.search(r'aria-label="([^"]*)"', charts.to_svg(charts.radar_chart(fw, card))).group(1))
    assert f"{dimension.name} {dimension.score:.1f}" in radar
    levels = unescape(re.search(r'aria-label="([^"]*)"', charts.to_svg(charts.level_chart(fw, card))).group(1))
    assert f"{dimension.name} {dimension.level_name}" in levels
