"""The results as HTML: vocabulary, completeness, N/A reasons and 'defend this score', escaped.

Each test uses the small inline bank (tests/conftest.py) so it reads like the content it checks.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from mlops_workbook import load_framework, new_assessment, score_assessment, set_answer
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.render import views
from mlops_workbook.render.defend import defend_dimension
from mlops_workbook.render.report_html import Report, na_unknown_html

HOSTILE = "<script>alert(1)</script>"


def answered(fw: Framework, values: dict[str, int | str]) -> Assessment:
    a = new_assessment(fw, team="Blue")
    for qid, value in values.items():
        set_answer(a, qid, value)
    return a


@pytest.fixture
def alpha_case(tiny) -> Assessment:
    """Alpha at One: a.one met (with a hostile note), a.two N/A with a reason, a.three blocks Two."""
    a = answered(tiny, {"tiny.a.one": 4, "tiny.a.two": "na", "tiny.a.three": 1, "tiny.b.one": 3, "tiny.b.two": 4})
    a.answers["tiny.a.one"].note = f"pipeline runs nightly {HOSTILE}"
    a.answers["tiny.a.two"].na_reason = "no <b>batch</b> jobs here"
    a.answers["tiny.a.three"].note = "only a spreadsheet"
    return a


def test_overall_names_what_each_figure_is(tiny, alpha_case):
    card = score_assessment(tiny, alpha_case)
    html = views.overall_html(tiny, card)
    assert "Overall level (weakest dimension)" in html and "level 1 of 2" in html
    assert "average of dimension scores" in html
    assert "4 of 4 answered (100%) · 1 N/A" in html  # fails if completeness_words drops the N/A count
    assert "provisional" not in html
    # the only weakest dimension has one blocker: the overall level is one question away
    assert "One question away: meeting tiny.a.three" in html and "would lift the overall level" in html


def test_provisional_is_marked_where_levels_are_shown(tiny):
    card = score_assessment(tiny, answered(tiny, {"tiny.a.one": 0}))
    assert 'class="mw-provisional"' in views.overall_html(tiny, card)
    table = views.dimensions_html(tiny, card)
    assert "Zero (level 0 of 2)" in table and 'class="mw-provisional"' in table
    assert "1 of 3 answered (33%)" in table


def test_na_list_shows_reasons_escaped_and_flags_a_missing_one(tiny, alpha_case):
    set_answer(alpha_case, "tiny.b.two", "na")  # N/A without a reason
    card = score_assessment(tiny, alpha_case)
    html = views.na_html(tiny, alpha_case, card)
    assert "Not applicable (2)" in html
    assert "no &lt;b&gt;batch&lt;/b&gt; jobs here" in html and "<b>batch</b>" not in html
    assert "⚠ no reason given" in html  # fails if na_html shows an empty reason as nothing
    report = na_unknown_html(Report(alpha_case, tiny, card, "blue.json"))
    assert "⚠ no reason given" in report and "no &lt;b&gt;batch&lt;/b&gt; jobs here" in report


def test_defend_lists_the_deciding_questions_with_answers_notes_and_sources(tiny, alpha_case):
    card = score_assessment(tiny, alpha_case)
    defence = defend_dimension(tiny, alpha_case, card, "a")
    # met at the level reached, set aside as N/A, blocking the next level with statements
    assert [(r.role, r.question_id) for r in defence.rows] == [
        ("met", "tiny.a.one"),
        ("na", "tiny.a.two"),
        ("blocker", "tiny.a.three"),
    ]
    assert "reaches a level when every applicable question" in defence.rule
    html = views.defend_html(tiny, alpha_case, card, "a")
    assert HOSTILE not in html and "pipeline runs nightly &lt;script&gt;" in html
    assert "only a spreadsheet" in html and "1 Started / ad hoc" in html
    assert "Test source" in html and "<code class='mw-muted'>tiny.a.three</code>" in html
    assert "no &lt;b&gt;batch&lt;/b&gt; jobs here" in html


def test_defend_a_dimension_at_the_top_has_no_blockers_and_lists_every_met_question(tiny, alpha_case):
    card = score_assessment(tiny, alpha_case)
    rows = defend_dimension(tiny, alpha_case, card, "b").rows
    assert [(r.role, r.question_id) for r in rows] == [("met", "tiny.b.one"), ("met", "tiny.b.two")]


def test_defend_leaves_out_questions_above_the_next_level(tiny):
    a = answered(tiny, {"tiny.a.one": 1, "tiny.a.two": 4, "tiny.a.three": 4})
    rows = defend_dimension(tiny, a, score_assessment(tiny, a), "a").rows
    # Alpha stays at Zero: a.one blocks One; a.two (met at One) and a.three (Two) decided nothing
    assert [(r.role, r.question_id) for r in rows] == [("blocker", "tiny.a.one")]


def test_defend_links_only_web_sources_and_escapes_them(tmp_path: Path):
    from tests.conftest import TINY_BANK

    path = tmp_path / "tiny.yaml"
    hostile_url = 'https://example.org/?q="><script>x</script>'
    bank = TINY_BANK.replace(
        "sources: [{id: src, title: Test source}]", f"sources: [{{id: src, title: Test source, url: '{hostile_url}'}}]"
    )
    path.write_text(bank, encoding="utf-8")
    fw = load_framework(path)
    a = answered(fw, {"tiny.a.one": 4})
    html = views.defend_html(fw, a, score_assessment(fw, a), "a")
    assert "<a href='https://example.org/?q=&quot;&gt;&lt;script&gt;x&lt;/script&gt;'" in html
    assert "<script>x" not in html


def test_gap_is_not_called_reached_when_the_target_dimension_is_not_assessed(tiny):
    a = answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 4})
    a.targets = {"b": "l1"}
    set_answer(a, "tiny.b.one", "na")
    card = score_assessment(tiny, a)
    assert card.gap == () and not card.dimension("b").assessed
    html = views.gap_html(tiny, card)
    assert "Well done" not in html and "Not assessed yet" in html and "Beta" in html


def test_without_targets_the_app_asks_for_one_and_a_report_lists_the_blockers(tiny, alpha_case):
    card = score_assessment(tiny, alpha_case)
    assert not card.gap and card.dimension("a").blockers
    app = views.gap_html(tiny, card)
    assert "Set a target level" in app and "<li>" not in app
    report = views.gap_html(tiny, card, blockers_without_gap=True)  # fails if the option is ignored
    assert "No target levels are set" in report and "tiny.a.three" in report and "Next step:" in report


def test_the_gap_lists_each_practice_in_order_with_its_next_step(tiny):
    a = answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 1})
    a.targets = {"a": "l2"}
    card = score_assessment(tiny, a)
    html = views.gap_html(tiny, card)
    assert [g.question.id for g in card.gap] == ["tiny.a.three"]
    assert "1 practice stand" in html and "tiny.a.three" in html and "Next step:" in html


def test_the_dimension_table_shows_the_previous_round_only_when_given(tiny, alpha_case):
    card = score_assessment(tiny, alpha_case)
    before = score_assessment(tiny, answered(tiny, {"tiny.a.one": 1}))
    assert "<th>Previous</th>" not in views.dimensions_html(tiny, card)
    table = views.dimensions_html(tiny, card, before)
    assert "<th>Previous</th>" in table and 'colspan="6"' in table  # fails if the why row spans 5 columns
    assert f"<td>{before.dimension('a').score:.2f}</td>" in table


def test_banks_html_lists_every_bank_with_its_scale_and_rule_escaped():
    """Start-here's table of banks: every discovered bank (not a fixed three), its scale and scoring rule;
    fails if banks_html drops a bank or stops escaping a bank's text."""
    from mlops_workbook.model.frameworks import framework_ids
    from mlops_workbook.render.views import banks_html
    from mlops_workbook.scoring.instruments import describe_rule

    banks = [load_framework(fid) for fid in framework_ids()]
    banks.append(banks[0].model_copy(update={"about": "<script>alert(1)</script>"}))
    html = banks_html(banks)
    assert {"mltestscore", "marvelous", "aws"} <= set(framework_ids())
    for fw in banks[:-1]:
        assert f"<b>{escape(fw.name)}</b>" in html and escape(describe_rule(fw)) in html
        assert escape(fw.scale.name) in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
