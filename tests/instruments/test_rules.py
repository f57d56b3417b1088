"""Scoring rules as data: section_points (ML Test Score) and all_of (Marvelous MLOps), by hand-computed cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.schema import Answer, Assessment
from mlops_workbook.model.scoring_spec import PointBand
from mlops_workbook.scoring.rules import score_assessment
from mlops_workbook.scoring.section_points import band_for, combine

NOT_DONE, MANUAL, AUTOMATED = 0, 1, 2
SECTIONS = ("features_data", "model_development", "infrastructure", "monitoring")


def answered(framework, values):
    return Assessment(framework=framework.id, answers={q: Answer(value=v) for q, v in values.items()})


def per_section(framework, counts):
    """``counts[section] = (automated, manual)``: the first tests of the section so, the rest not done."""
    values = {}
    for d in framework.dimensions:
        automated, manual = counts.get(d.id, (0, 0))
        for i, q in enumerate(framework.questions_for(d.id)):
            values[q.id] = AUTOMATED if i < automated else MANUAL if i < automated + manual else NOT_DONE
    return answered(framework, values)


@pytest.fixture(scope="module")
def mlts():
    return load_framework("mltestscore")


@pytest.fixture(scope="module")
def marvelous():
    return load_framework("marvelous")


def test_the_ml_test_score_has_28_tests_in_4_sections_of_7(mlts):
    assert [len(mlts.questions_for(d.id)) for d in mlts.dimensions] == [7, 7, 7, 7]


def test_all_28_manual_gives_3_5_in_every_section_and_overall(mlts):
    card = score_assessment(mlts, answered(mlts, dict.fromkeys(mlts.question_ids, MANUAL)))
    assert [d.score for d in card.dimensions] == [3.5] * 4
    # the paper's table puts 3.5 in (3, 5]: strong automated testing and monitoring
    # fails if combine reads 'mean' of the per-test points (0.5) as the old gated bank did
    assert card.overall is not None and card.overall.score == 3.5
    assert card.outcome is not None and (card.outcome.band_text, card.outcome.level_id) == ("(3, 5]", "strong")


@pytest.mark.parametrize(
    ("counts", "final", "level"),
    [
        # features 7 automated = 7; model 4 automated + 1 manual = 4.5; infra 2 + 2 = 3; monitoring nothing = 0
        ({"features_data": (7, 0), "model_development": (4, 1), "infrastructure": (2, 2)}, 0, "research"),
        # ... and one manual monitoring test: 0.5, in (0, 1]
        (
            {"features_data": (7, 0), "model_development": (4, 1), "infrastructure": (2, 2), "monitoring": (0, 1)},
            0.5,
            "serious_gaps",
        ),
        (dict.fromkeys(SECTIONS, (1, 0)), 1, "serious_gaps"),
        (dict.fromkeys(SECTIONS, (1, 2)), 2, "first_pass"),
        (dict.fromkeys(SECTIONS, (3, 0)), 3, "reasonably_tested"),
        (dict.fromkeys(SECTIONS, (5, 0)), 5, "strong"),
        (dict.fromkeys(SECTIONS, (7, 0)), 7, "exceptional"),
    ],
)
def test_final_score_is_the_lowest_section_sum_on_the_papers_bands(mlts, counts, final, level):
    card = score_assessment(mlts, per_section(mlts, counts))
    assert card.outcome is not None
    # fails with min -> max in section_points.combine, or lower_open/upper_closed swapped in PointBand.holds
    assert (card.outcome.value, card.outcome.level_id) == (final, level)


def test_why_names_the_deciding_section_and_its_tests(mlts):
    counts = {"features_data": (7, 0), "model_development": (7, 0), "infrastructure": (7, 0), "monitoring": (5, 1)}
    card = score_assessment(mlts, per_section(mlts, counts))
    assert card.outcome is not None and card.outcome.deciding == ("monitoring",)
    # the manual test and the undone one in Monitoring: raising either raises the result
    assert len(card.outcome.deciding_items) == 2 and all(".monitoring." in q for q in card.outcome.deciding_items)
    assert "Monitoring" in card.outcome.why and "5.5" in card.outcome.why
    assert card.to_dict()["overall"]["outcome"]["band"] == "> 5"


def test_nothing_answered_has_no_overall_result(mlts, marvelous):
    for bank in (mlts, marvelous):
        assert score_assessment(bank, Assessment(framework=bank.id)).overall is None


def test_band_edges_and_combine():
    closed_zero = PointBand(level="z", lower=0, upper=0, lower_open=False)
    assert closed_zero.holds(0) and not closed_zero.holds(0.1)
    assert PointBand(level="a", lower=1, upper=2).holds(2) and not PointBand(level="a", lower=1, upper=2).holds(1)
    assert PointBand(level="top", lower=5).text == "> 5"
    assert combine("sum", [1, 2]) == 3 and combine("mean", [1, 2]) == 1.5 and combine("min", [1, 2]) == 1


def test_a_hole_in_the_band_table_reads_no_band(mlts):
    spec = mlts.scoring.model_copy(update={"bands": [PointBand(level="strong", lower=3, upper=5)]})
    assert band_for(spec, 1) is None and band_for(spec, 4) is not None


def marvelous_answers(bank, no=(), na=(), advanced="no"):
    required = {"documentation", "traceability", "code_quality", "monitoring"}
    values = {}
    for q in bank.questions:
        values[q.id] = 1 if q.dimension in required else (1 if advanced == "yes" else 0)
    values.update(dict.fromkeys(no, 0))
    assessment = answered(bank, values)
    for qid in na:
        assessment.answers[qid] = Answer(value="na", na_reason="batch only: the project has no real-time API")
    return assessment


def test_marvelous_is_mature_when_sections_1_to_4_are_all_yes(marvelous):
    card = score_assessment(marvelous, marvelous_answers(marvelous))
    # sections 5-7 all "no" do not matter; fails if all_of requires every section
    assert card.overall is not None and card.overall.level_id == "mature"
    assert card.outcome is not None and card.outcome.value_text == "46 of 46 required statements met"


def test_one_no_in_code_quality_is_not_yet_mature_and_says_where(marvelous):
    card = score_assessment(marvelous, marvelous_answers(marvelous, no=["marvelous.code_quality.release_notes"]))
    assert card.overall is not None and card.overall.level_id == "not_yet"
    assert card.outcome is not None and card.outcome.deciding == ("code_quality",)
    assert card.outcome.deciding_items == ("marvelous.code_quality.release_notes",)
    assert "Code quality (1 not met)" in card.outcome.why
    assert card.dimension("code_quality").score == pytest.approx(0.9)


def test_not_applicable_statements_are_left_out(marvelous):
    card = score_assessment(marvelous, marvelous_answers(marvelous, na=["marvelous.documentation.api_docs"]))
    # fails if na counted as "not met" in all_of
    assert card.overall is not None and card.overall.level_id == "mature"


def test_gated_banks_score_as_before():
    aws = load_framework("aws")
    card = score_assessment(aws, answered(aws, dict.fromkeys(aws.question_ids, 4)))
    assert card.rule == "gated_levels" and card.outcome is None and card.overall is not None
    assert card.label(card.overall.rank) == "Scalable (level 3 of 3)"


def test_rule_banks_name_levels_without_numbers(mlts):
    card = score_assessment(mlts, answered(mlts, dict.fromkeys(mlts.question_ids, MANUAL)))
    assert card.label(4) == "Strong automated testing and monitoring"


BANKS = ("mltestscore", "marvelous")


@pytest.mark.parametrize("bank_id", BANKS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_raising_an_answer_never_lowers_a_result(bank_id, data):
    bank = load_framework(bank_id)
    ids = sorted(bank.question_ids)
    values = bank.scale.values
    before = {q: data.draw(st.sampled_from([*values, "unknown", None])) for q in ids}
    raised = data.draw(st.sampled_from(ids))
    current = before[raised]
    higher = [v for v in values if not isinstance(current, int) or v > current]
    if not higher:
        return
    after = dict(before, **{raised: data.draw(st.sampled_from(higher))})
    old = score_assessment(bank, answered(bank, {q: v for q, v in before.items() if v is not None}))
    new = score_assessment(bank, answered(bank, {q: v for q, v in after.items() if v is not None}))
    assert new.overall is not None
    # fails with a points-lowering change (e.g. 'max_points - points' in sections.points_of)
    if old.overall is not None:
        assert new.overall.score >= old.overall.score and new.overall.rank >= old.overall.rank
    for d_old, d_new in zip(old.dimensions, new.dimensions, strict=True):
        if d_old.score is not None:
            assert d_new.score is not None and d_new.score >= d_old.score
