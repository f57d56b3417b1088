from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_workbook import load_framework, new_assessment, score_assessment, set_answer
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.scoring.rules import explain_dimension


def answered(fw: Framework, values: dict[str, int | str], targets: dict[str, str] | None = None) -> Assessment:
    a = new_assessment(fw, targets=targets)
    for qid, value in values.items():
        set_answer(a, qid, value)
    return a


def test_gated_level_and_partial_score(tiny):
    card = score_assessment(
        tiny, answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 3, "tiny.a.three": 2, "tiny.b.one": 2, "tiny.b.two": 4})
    )
    a, b = card.dimension("a"), card.dimension("b")
    assert (a.level_id, a.rank) == ("l1", 1)
    assert a.score == pytest.approx(1 + 2 / 3)
    assert [r.id for r in a.blockers] == ["tiny.a.three"]
    # b.two is answered 4 but l1 is not met: the gate holds, progress counts only l1
    assert (b.level_id, b.rank) == ("l0", 0)
    assert b.score == pytest.approx(2 / 3)
    assert card.overall is not None
    assert (card.overall.level_id, card.overall.rank) == ("l0", 0)
    assert card.overall.score == pytest.approx((1 + 2 / 3 + 2 / 3) / 2)


def test_weights_shape_progress(tiny):
    # a.one (weight 1) met, a.two (weight 3) at 0: progress = 1*1 / 4
    card = score_assessment(tiny, answered(tiny, {"tiny.a.one": 3, "tiny.a.two": 0}))
    assert card.dimension("a").score == pytest.approx(0.25)


def test_na_excluded_and_unknown_counts_as_unmet(tiny):
    card = score_assessment(tiny, answered(tiny, {"tiny.a.one": "na", "tiny.a.two": 4, "tiny.a.three": "unknown"}))
    a = card.dimension("a")
    assert a.rank == 1
    assert [(r.id, r.status) for r in a.blockers] == [("tiny.a.three", "unknown")]
    assert a.levels[1].applicable == 1 and a.levels[1].met == 1


def test_all_na_or_unanswered_is_not_assessed(tiny):
    card = score_assessment(tiny, answered(tiny, {"tiny.a.one": "na", "tiny.a.two": "na", "tiny.b.one": 4}))
    assert not card.dimension("a").assessed
    assert card.dimension("a").score is None
    # overall only over assessed dimensions
    assert card.overall is not None and card.overall.rank == 1
    assert score_assessment(tiny, new_assessment(tiny)).overall is None


def test_top_level_has_score_equal_to_top_rank(tiny):
    card = score_assessment(tiny, answered(tiny, {q.id: 4 for q in tiny.questions}))
    assert all(d.rank == 2 and d.score == 2.0 and not d.blockers for d in card.dimensions)


def test_gap_ordered_by_level_then_weight_then_dimension(tiny):
    a = answered(
        tiny,
        {"tiny.a.one": 1, "tiny.a.two": 0, "tiny.a.three": 0, "tiny.b.one": 0, "tiny.b.two": 0},
        targets={"a": "l2", "b": "l2"},
    )
    gap = [g.question.id for g in score_assessment(tiny, a).gap]
    assert gap == ["tiny.a.two", "tiny.a.one", "tiny.b.one", "tiny.b.two", "tiny.a.three"]


def test_gap_only_between_achieved_and_target(tiny):
    a = answered(
        tiny,
        {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 0, "tiny.b.one": 0, "tiny.b.two": 0},
        targets={"a": "l1", "b": "l1"},
    )
    assert [g.question.id for g in score_assessment(tiny, a).gap] == ["tiny.b.one"]


def _bank_without_b_one(tmp_path) -> Framework:
    """The tiny bank with nothing for Beta at level One."""
    from tests.conftest import TINY_BANK

    path = tmp_path / "gap.yaml"
    lines = TINY_BANK.splitlines()
    start = next(i for i, line in enumerate(lines) if "id: tiny.b.one" in line)
    path.write_text("\n".join(lines[:start] + lines[start + 2 :]), encoding="utf-8")
    fw = load_framework(path)
    assert "tiny.b.one" not in fw.question_ids
    return fw


def test_a_level_without_statements_is_reached_with_the_level_below(tmp_path):
    # fails if _achieved_rank credits an empty level only with the next level (the old rule)
    fw = _bank_without_b_one(tmp_path)
    zero = score_assessment(fw, answered(fw, {"tiny.b.two": 0})).dimension("b")
    assert zero.rank == 1 and zero.levels[1].status == "empty"
    assert [r.id for r in zero.blockers] == ["tiny.b.two"]
    assert zero.score == 1.0
    assert "The model adds nothing for Beta at One" in explain_dimension(fw, zero)
    met = score_assessment(fw, answered(fw, {"tiny.b.two": 3})).dimension("b")
    assert met.rank == 2 and met.score == 2.0


def test_gap_to_a_target_without_statements_lists_the_levels_below(tmp_path):
    fw = _bank_without_b_one(tmp_path)
    # b: One has no statement, Two does; a: target One (with statements) not reached
    a = answered(fw, {"tiny.a.one": 0, "tiny.a.two": 4, "tiny.b.two": 0}, targets={"a": "l1", "b": "l1"})
    card = score_assessment(fw, a)
    assert card.dimension("b").target_reached  # One is reached with Zero
    assert [g.question.id for g in card.gap] == ["tiny.a.one"]
    # Azure: Application integration has no Level 2 statement; a target of L2 lists the unmet L1 questions
    az = load_framework("azure")
    integration = [q for q in az.questions_for("application_integration")]
    assert not [q for q in integration if q.level == "L2"], "the bank now has an L2 statement: pick another case"
    level1 = [q.id for q in integration if q.level == "L1"]
    card = score_assessment(az, answered(az, {level1[0]: 1}, targets={"application_integration": "L2"}))
    assert not card.dimension("application_integration").target_reached
    assert sorted(g.question.id for g in card.gap) == sorted(level1)
    card = score_assessment(az, answered(az, dict.fromkeys(level1, 3), targets={"application_integration": "L2"}))
    assert card.dimension("application_integration").target_reached and card.gap == ()


def test_explanation_names_the_blockers(tiny):
    card = score_assessment(tiny, answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 1}))
    text = explain_dimension(tiny, card.dimension("a"))
    assert "Alpha is at One (level 1 of 2)" in text and "tiny.a.three (1 Started / ad hoc)" in text


def test_unknown_question_ids_are_reported_not_scored(tiny):
    a = answered(tiny, {"tiny.a.one": 4})
    set_answer(a, "tiny.a.renamed", 4)
    card = score_assessment(tiny, a)
    assert card.unknown_question_ids == ("tiny.a.renamed",)
    assert "tiny.a.renamed" in a.answers


def test_to_dict_has_documented_shape(tiny):
    d = score_assessment(tiny, answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 4})).to_dict()
    assert d["framework"] == "tiny" and d["provisional_below"] == 0.8
    assert {"level", "rank", "label", "rule", "score", "score_is", "provisional", "one_question_away"} <= set(
        d["overall"]
    )
    assert d["overall"]["rule"] == "weakest assessed dimension"
    assert d["overall"]["score_is"] == "average of dimension scores"
    assert (d["overall"]["answered"], d["overall"]["applicable"]) == (2, 5)
    first = d["dimensions"][0]
    assert {"id", "level", "rank", "label", "score", "assessed", "blockers", "answered", "applicable", "na"} <= set(
        first
    )
    assert first["blockers"] == ["tiny.a.three"]
    assert first["label"] == "One (level 1 of 2)"
    assert first["one_question_away"] == {
        "question": "tiny.a.three",
        "dimension": "a",
        "from_rank": 1,
        "to_rank": 2,
        "to_level": "Two (level 2 of 2)",
    }


# ----------------------------------------------------------------- properties, for every bundled bank

BANKS = ["aws", "gcp", "azure"]
ANSWER = st.one_of(st.integers(0, 4), st.sampled_from(["na", "unknown"]), st.none())


def _values(fw: Framework):
    return st.fixed_dictionaries({q.id: ANSWER for q in fw.questions})


def _card(fw: Framework, values: dict[str, int | str | None]):
    return score_assessment(fw, answered(fw, {k: v for k, v in values.items() if v is not None}))


def _leading_empty_levels(fw: Framework, dimension_id: str) -> int:
    """How many levels above the baseline have no statement in a dimension before the first that has."""
    ranks = {fw.level(q.level).rank for q in fw.questions_for(dimension_id)}
    return min(ranks) - 1


@pytest.mark.parametrize("bank", BANKS)
def test_all_fours_reach_the_top_and_all_zeros_the_baseline(bank):
    fw = load_framework(bank)
    top = score_assessment(fw, answered(fw, {q.id: 4 for q in fw.questions}))
    assert top.overall is not None and top.overall.rank == fw.top.rank
    assert all(d.rank == fw.top.rank for d in top.dimensions)
    zero = score_assessment(fw, answered(fw, {q.id: 0 for q in fw.questions}))
    assert zero.overall is not None and zero.overall.rank == 0
    # a dimension reads level n when the model adds nothing for it up to n (Azure People at Level 1)
    assert [d.rank for d in zero.dimensions] == [_leading_empty_levels(fw, d.id) for d in fw.dimensions]
    assert all(d.score == d.rank for d in zero.dimensions)


def test_azure_people_reads_level_1_with_all_zeros():
    fw = load_framework("azure")
    people = score_assessment(fw, answered(fw, {q.id: 0 for q in fw.questions})).dimension("people")
    assert people.level_id == "L1"
    assert "The model adds nothing for People at DevOps but no MLOps" in explain_dimension(fw, people)


def _textbook(fw: Framework, rank: int) -> Assessment:
    """Every statement of a level at or below ``rank`` fully in place (4), every other not in place (0)."""
    return answered(fw, {q.id: 4 if fw.level(q.level).rank <= rank else 0 for q in fw.questions})


@pytest.mark.parametrize(("rank", "name"), [(1, "DevOps but no MLOps"), (2, "Automated training")])
def test_azure_textbook_cases(rank, name):
    # fails under the old rule (empty level credited only with the next): L1 -> No MLOps, L2 -> DevOps but no MLOps
    fw = load_framework("azure")
    card = score_assessment(fw, _textbook(fw, rank))
    assert card.overall is not None and (card.overall.rank, card.overall.level_name) == (rank, name)
    assert card.label(card.overall.rank) == f"{name} (level {rank} of 4)"


@pytest.mark.parametrize("bank", BANKS)
def test_textbook_cases_every_level_of_every_model(bank):
    fw = load_framework(bank)
    for rank in range(fw.top.rank + 1):
        card = score_assessment(fw, _textbook(fw, rank))
        assert card.overall is not None and card.overall.rank == rank, (bank, rank)
        assert all(d.rank is not None and d.rank >= rank for d in card.dimensions)


# ----------------------------------------------------------------- completeness, provisional, one question away


def test_completeness_counts_numbers_over_applicable(tiny):
    card = score_assessment(tiny, answered(tiny, {"tiny.a.one": 4, "tiny.a.two": "na", "tiny.a.three": "unknown"}))
    a = card.dimension("a").completeness
    assert (a.answered, a.applicable, a.na, a.unknown, a.unanswered) == (1, 2, 1, 1, 0)
    assert card.overall is not None
    assert (card.overall.completeness.answered, card.overall.completeness.applicable) == (1, 4)


def test_provisional_dimension_makes_the_overall_provisional(tiny):
    # 4 of 5 answered overall (80 %, not below), but Beta has 1 of 2: Beta and so the overall level are provisional
    card = score_assessment(
        tiny, answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 4, "tiny.b.one": 0})
    )
    assert card.overall is not None and card.overall.completeness.share == 0.8
    assert not card.dimension("a").provisional and card.dimension("b").provisional
    assert card.overall.provisional
    # na leaves the count: 4 answered + 1 na is complete
    na = score_assessment(tiny, answered(tiny, {q.id: 4 for q in tiny.questions} | {"tiny.b.two": "na"}))
    assert na.overall is not None and not na.overall.provisional and na.overall.completeness.share == 1.0
    assert not na.dimension("b").provisional


def test_one_answer_out_of_many_is_provisional():
    fw = load_framework("gcp")
    card = score_assessment(fw, answered(fw, {fw.questions[0].id: 0}))
    assert card.overall is not None and card.overall.rank == 0 and card.overall.provisional
    assert card.to_dict()["overall"]["provisional"] is True


def test_the_threshold_comes_from_the_bank_and_is_strict(tmp_path):
    from tests.conftest import TINY_BANK

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_BANK.replace("met_threshold: 3", "met_threshold: 3\nprovisional_below: 0.5"), "utf-8")
    fw = load_framework(path)
    assert fw.provisional_below == 0.5
    card = score_assessment(fw, answered(fw, {"tiny.a.one": 4, "tiny.b.one": 4}))
    # Beta: 1 of 2 = 50 %, not below 50 % (fails if the comparison becomes <=); Alpha: 1 of 3 is below
    assert not card.dimension("b").provisional and card.dimension("a").provisional


def test_one_question_away_for_a_dimension_and_overall(tiny):
    card = score_assessment(
        tiny, answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 1, "tiny.b.one": 4, "tiny.b.two": 4})
    )
    a = card.dimension("a").one_away
    assert a is not None and (a.question.id, a.from_rank, a.to_rank) == ("tiny.a.three", 1, 2)
    assert card.dimension("b").one_away is None  # at the top
    o = card.overall
    assert o is not None and o.one_away is not None
    assert (o.one_away.question.id, o.one_away.from_rank, o.one_away.to_rank) == ("tiny.a.three", 1, 2)
    # two blockers: not one question away
    two = score_assessment(tiny, answered(tiny, {"tiny.a.one": 1, "tiny.a.two": 1, "tiny.b.one": 4}))
    assert two.dimension("a").one_away is None
    # two weakest dimensions, one blocker each: each dimension is one away, the overall level is not
    tied = score_assessment(
        tiny, answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 0, "tiny.b.one": 4})
    )
    assert tied.dimension("a").one_away and tied.dimension("b").one_away
    assert tied.overall is not None and tied.overall.one_away is None


def test_one_item_at_1_in_an_all_4_team_is_flagged_one_question_away():
    # the case: an otherwise all-4 GCP team labelled Level 0 by one validation item
    fw = load_framework("gcp")
    item = next(q for q in fw.questions_for("validation") if q.level == "L1")
    card = score_assessment(fw, answered(fw, {q.id: 4 for q in fw.questions} | {item.id: 1}))
    o = card.overall
    assert o is not None and o.rank == 0 and o.one_away is not None
    assert (o.one_away.question.id, o.one_away.to_rank) == (item.id, 2)


def test_one_question_away_jumps_over_levels_without_statements(tmp_path):
    fw = _bank_without_b_one(tmp_path)
    card = score_assessment(fw, answered(fw, {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.b.two": 1}))
    b = card.dimension("b").one_away
    assert b is not None and (b.from_rank, b.to_rank) == (1, 2)


# ----------------------------------------------------------------- one vocabulary for levels


def test_level_labels_count_from_the_baseline_as_level_0():
    from mlops_workbook.scoring.rules import level_label

    assert level_label(load_framework("aws"), 0) == "Initial (level 0 of 3)"
    gcp = load_framework("gcp")
    assert level_label(gcp, 1) == f"{gcp.level_at(1).name} (level 1 of 2)"
    assert level_label(load_framework("azure"), 4) == "Full MLOps automated operations (level 4 of 4)"


@pytest.mark.parametrize("bank", BANKS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_raising_an_answer_never_lowers_a_score_or_level(bank, data):
    fw = load_framework(bank)
    values = data.draw(_values(fw))
    qid = data.draw(st.sampled_from(sorted(fw.question_ids)))
    old = values[qid]
    low = old if isinstance(old, int) else 0
    if not isinstance(old, int) and old is not None:
        values[qid] = "unknown"  # unknown counts as 0, so any number is a raise
    higher = data.draw(st.integers(low, 4))
    before = _card(fw, values)
    after = _card(fw, {**values, qid: higher})
    for b, a in zip(before.dimensions, after.dimensions, strict=True):
        if b.assessed and b.rank is not None:
            assert a.rank is not None and a.score is not None and b.score is not None
            assert a.rank >= b.rank
            assert a.score >= b.score - 1e-12


@pytest.mark.parametrize("bank", BANKS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_marking_na_never_lowers_a_level(bank, data):
    fw = load_framework(bank)
    values = data.draw(_values(fw))
    qid = data.draw(st.sampled_from(sorted(fw.question_ids)))
    before = _card(fw, values)
    after = _card(fw, {**values, qid: "na"})
    for b, a in zip(before.dimensions, after.dimensions, strict=True):
        if b.assessed and a.assessed:
            assert a.rank is not None and b.rank is not None and a.rank >= b.rank


@pytest.mark.parametrize("bank", BANKS)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_score_bounds_hold(bank, data):
    fw = load_framework(bank)
    card = _card(fw, data.draw(_values(fw)))
    top = fw.top.rank
    for d in card.dimensions:
        if not d.assessed:
            continue
        assert d.rank is not None and d.score is not None
        assert 0 <= d.score <= top
        assert d.score >= d.rank
        if d.rank < top:
            assert d.score < d.rank + 1
            assert d.blockers, "below the top there is always something blocking the next level"


@pytest.mark.parametrize("bank", BANKS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_gap_is_empty_exactly_when_the_target_is_reached(bank, data):
    fw = load_framework(bank)
    values = data.draw(_values(fw))
    targets = {d.id: data.draw(st.sampled_from([lv.id for lv in fw.levels])) for d in fw.dimensions}
    a = answered(fw, {k: v for k, v in values.items() if v is not None}, targets=targets)
    card = score_assessment(fw, a)
    for d in card.dimensions:
        if d.assessed:
            listed = [g for g in card.gap if g.question.dimension == d.id]
            assert (not listed) == d.target_reached, d.id


@pytest.mark.parametrize("bank", BANKS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_one_question_away_really_lifts_the_level(bank, data):
    fw = load_framework(bank)
    values = data.draw(_values(fw))
    card = _card(fw, values)
    for d in card.dimensions:
        if d.one_away is not None:
            lifted = _card(fw, {**values, d.one_away.question.id: fw.met_threshold}).dimension(d.id)
            assert lifted.rank == d.one_away.to_rank > d.one_away.from_rank == d.rank
    if card.overall is not None and card.overall.one_away is not None:
        o = card.overall.one_away
        lifted_overall = _card(fw, {**values, o.question.id: fw.met_threshold}).overall
        assert lifted_overall is not None and lifted_overall.rank == o.to_rank > card.overall.rank
