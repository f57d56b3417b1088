from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_workbook import load_framework, new_assessment, score_assessment, set_answer
from mlops_workbook.schema import Assessment, Framework
from mlops_workbook.scoring import explain_dimension


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


def test_a_level_without_statements_is_credited_with_the_next_one(tmp_path):
    from tests.conftest import TINY_BANK

    path = tmp_path / "gap.yaml"
    lines = TINY_BANK.splitlines()
    start = next(i for i, line in enumerate(lines) if "id: tiny.b.one" in line)
    path.write_text("\n".join(lines[:start] + lines[start + 2 :]), encoding="utf-8")
    fw = load_framework(path)
    assert "tiny.b.one" not in fw.question_ids
    zero = score_assessment(fw, answered(fw, {"tiny.b.two": 0})).dimension("b")
    assert zero.rank == 0 and zero.levels[1].status == "empty"
    assert [r.id for r in zero.blockers] == ["tiny.b.two"]
    met = score_assessment(fw, answered(fw, {"tiny.b.two": 3})).dimension("b")
    assert met.rank == 2 and met.score == 2.0


def test_explanation_names_the_blockers(tiny):
    card = score_assessment(tiny, answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 1}))
    text = explain_dimension(tiny, card.dimension("a"))
    assert "Alpha is at One" in text and "tiny.a.three (1 Started / ad hoc)" in text


def test_unknown_question_ids_are_reported_not_scored(tiny):
    a = answered(tiny, {"tiny.a.one": 4})
    set_answer(a, "tiny.a.renamed", 4)
    card = score_assessment(tiny, a)
    assert card.unknown_question_ids == ("tiny.a.renamed",)
    assert "tiny.a.renamed" in a.answers


def test_to_dict_has_documented_shape(tiny):
    d = score_assessment(tiny, answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 4})).to_dict()
    assert d["framework"] == "tiny"
    assert set(d["overall"]) == {"level", "rank", "score"}
    assert {"id", "level", "rank", "score", "assessed", "blockers"} <= set(d["dimensions"][0])
    assert d["dimensions"][0]["blockers"] == ["tiny.a.three"]


# ----------------------------------------------------------------- properties, for every bundled bank

BANKS = ["aws", "gcp", "azure"]
ANSWER = st.one_of(st.integers(0, 4), st.sampled_from(["na", "unknown"]), st.none())


def _values(fw: Framework):
    return st.fixed_dictionaries({q.id: ANSWER for q in fw.questions})


def _card(fw: Framework, values: dict[str, int | str | None]):
    return score_assessment(fw, answered(fw, {k: v for k, v in values.items() if v is not None}))


@pytest.mark.parametrize("bank", BANKS)
def test_all_fours_reach_the_top_and_all_zeros_the_baseline(bank):
    fw = load_framework(bank)
    top = score_assessment(fw, answered(fw, {q.id: 4 for q in fw.questions}))
    assert top.overall is not None and top.overall.rank == fw.top.rank
    assert all(d.rank == fw.top.rank for d in top.dimensions)
    zero = score_assessment(fw, answered(fw, {q.id: 0 for q in fw.questions}))
    assert zero.overall is not None and zero.overall.rank == 0 and zero.overall.score == 0
    assert all(d.rank == 0 for d in zero.dimensions)


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
