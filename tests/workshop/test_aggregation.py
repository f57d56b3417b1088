"""Aggregation: question statistics, team summary, and the vectorised scores against score_assessment."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_workbook import new_assessment, score_assessment, set_answer
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.workshop.aggregation import OVERALL, question_stats, respondent_scores, summarise, team_summary
from mlops_workbook.workshop.consensus import median_assessment
from mlops_workbook.workshop.responses import answers_frame
from tests.conftest import TINY_BANK
from tests.workshop.common import person, row


def test_question_stats_hand_computed(tiny, red_blue):
    stats = question_stats(tiny, red_blue)
    a_one = row(stats, "red", question="tiny.a.one")  # 0 3 3 4
    assert (a_one["median"], a_one["q1"], a_one["q3"], a_one["iqr"]) == (3.0, 2.25, 3.25, 1.0)
    assert (a_one["min"], a_one["max"], a_one["range"], a_one["met"]) == (0.0, 4.0, 4.0, 3)
    assert [a_one[f"count_{v}"] for v in range(5)] == [1, 0, 0, 2, 1]
    a_three = row(stats, "red", question="tiny.a.three")  # 0 2 4 + unknown
    assert (a_three["answered"], a_three["unknown"], a_three["median"]) == (3, 1, 2.0)
    assert (a_three["q1"], a_three["q3"], a_three["disagreement"]) == (1.0, 3.0, 2.0)
    b_one = row(stats, "red", question="tiny.b.one")  # 3 3 4 4
    assert (b_one["median"], b_one["q1"], b_one["q3"], b_one["median_answer"]) == (3.5, 3.0, 4.0, 3)
    b_two = row(stats, "red", question="tiny.b.two")  # 1 3 3 3
    assert (b_two["q1"], b_two["iqr"], b_two["range"]) == (2.5, 0.5, 2.0)


def test_median_answer_rules_for_words(tiny, red_blue):
    stats = question_stats(tiny, red_blue)
    blue = {r.question: r for r in stats[stats["team"] == "blue"].itertuples()}
    assert blue["tiny.a.one"].median_answer == "na"  # 2 of 3 said na
    assert blue["tiny.a.two"].median_answer == "unknown"  # 2 of 3 said unknown
    assert blue["tiny.a.three"].median_answer == 1  # median 1.5, rounded down
    assert blue["tiny.b.one"].median_answer == "unknown"  # no number; someone said unknown
    assert blue["tiny.b.two"].median_answer is None and blue["tiny.b.two"].unanswered == 3
    # one numeric answer: no disagreement measured, no range to speak of
    assert blue["tiny.a.two"].disagreement == 0.0 and blue["tiny.a.two"].range == 0.0
    assert math.isnan(blue["tiny.b.two"].median) and blue["tiny.b.two"].disagreement == 0.0


def test_level_shift_and_blockers(tiny, red_blue):
    stats = question_stats(tiny, red_blue)
    red = {r.question: r for r in stats[stats["team"] == "red"].itertuples()}
    # median answers: a = 3 3 | 2 -> One, a.three the only blocker; b = 3 | 3 -> Two (top)
    assert red["tiny.a.three"].blocker and red["tiny.a.three"].level_shift == 1
    assert red["tiny.a.one"].level_shift == -1 and red["tiny.a.two"].level_shift == -1
    assert red["tiny.b.one"].level_shift == -2 and red["tiny.b.two"].level_shift == -1
    blue = {r.question: r for r in stats[stats["team"] == "blue"].itertuples()}
    # a.one is na, a.two unknown: a.two blocks One; meeting it lifts Alpha one level
    assert blue["tiny.a.two"].blocker and blue["tiny.a.two"].level_shift == 1
    assert not blue["tiny.a.one"].blocker and blue["tiny.a.one"].level_shift == 0
    assert blue["tiny.b.one"].blocker and not blue["tiny.b.two"].blocker


def test_team_summary_hand_computed(tiny, red_blue):
    summary = team_summary(tiny, red_blue)
    a = row(summary, "red", dimension="a")
    # respondent scores on Alpha: p4 0.75 (One not met: 3/4 credit), p1 1.0, p2 1+2/3, p3 2.0
    assert a["respondents"] == 4 and a["assessed"] == 4
    assert a["median"] == pytest.approx(4 / 3)
    assert (a["q1"], a["q3"]) == (pytest.approx(0.9375), pytest.approx(1.75))
    assert a["iqr"] == pytest.approx(0.8125)
    assert (a["min"], a["max"]) == (0.75, 2.0)
    assert (a["level_rank"], a["level_id"], a["level_name"]) == (1, "l1", "One")
    assert a["level_score"] == pytest.approx(1 + 2 / 3)
    b = row(summary, "red", dimension="b")  # 1+1/3, 2, 2, 2
    assert (b["median"], b["q1"], b["q3"]) == (2.0, pytest.approx(11 / 6), 2.0)
    assert (b["level_id"], b["level_score"]) == ("l2", 2.0)
    overall = row(summary, "red", dimension=OVERALL)
    assert (overall["level_id"], overall["level_score"]) == ("l1", pytest.approx((5 / 3 + 2) / 2))


def test_team_summary_counts_only_those_who_assessed(tiny, red_blue):
    summary = team_summary(tiny, red_blue)
    b = row(summary, "blue", dimension="b")
    # q1 said na or nothing, q3 left Beta blank: not assessed; q2's unknown counts as assessed
    assert (b["respondents"], b["assessed"]) == (3, 1)
    assert b["median"] == 0.0 and b["level_id"] == "l0"


# the bank fixture is never modified, so sharing it between examples is safe
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(*[st.sampled_from([0, 1, 2, 3, 4, "na", "unknown", None])] * 5), min_size=1, max_size=6))
def test_vectorised_scores_match_score_assessment(tiny, answers):
    fw = tiny
    people = [person(fw, "t", f"r{i}", values) for i, values in enumerate(answers)]
    scores = respondent_scores(fw, answers_frame(fw, people))
    for p in people:
        card = score_assessment(fw, p)
        mine = scores[scores["respondent"] == p.respondent].set_index("dimension")
        for d in card.dimensions:
            expected = math.nan if d.score is None else d.score
            assert mine.loc[d.id, "score"] == pytest.approx(expected, nan_ok=True)
            assert mine.loc[d.id, "rank"] == pytest.approx(math.nan if d.rank is None else d.rank, nan_ok=True)
        overall = card.overall.rank if card.overall else math.nan
        assert mine.loc[OVERALL, "rank"] == pytest.approx(overall, nan_ok=True)


ANSWER = st.sampled_from([0, 1, 2, 3, 4, 4, 3, "na", "unknown", None])


@pytest.mark.parametrize("bank", ["aws", "gcp", "azure"])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_vectorised_scores_match_the_bundled_banks(bank, data):
    from mlops_workbook import load_framework

    fw = load_framework(bank)
    people = []
    for i in range(data.draw(st.integers(1, 4))):
        a = new_assessment(fw, team="t", respondent=f"r{i}")
        for q in fw.questions:
            value = data.draw(ANSWER)
            if value is not None:
                set_answer(a, q.id, value)
        people.append(a)
    scores = respondent_scores(fw, answers_frame(fw, people)).set_index(["respondent", "dimension"])
    for p in people:
        for d in score_assessment(fw, p).dimensions:
            assert scores.loc[(p.respondent, d.id), "score"] == pytest.approx(
                math.nan if d.score is None else d.score, nan_ok=True
            )
            assert scores.loc[(p.respondent, d.id), "rank"] == pytest.approx(
                math.nan if d.rank is None else d.rank, nan_ok=True
            )


def gap_bank() -> str:
    """The tiny bank with one dimension whose only statements are at level Two (none at One)."""
    data = yaml.safe_load(TINY_BANK)
    data |= {"id": "gap", "name": "Bank with a level without statements", "short_name": "Gap"}
    data["dimensions"] = [{"id": "a", "name": "Alpha"}]
    q = {"dimension": "a", "level": "l2", "why": "w", "next_step": "n", "source": {"ref": "src", "criterion": "c"}}
    data["questions"] = [q | {"id": "gap.a.one", "text": "A1"}, q | {"id": "gap.a.two", "text": "A2"}]
    return yaml.safe_dump(data)


def test_level_without_statements_is_reached_with_the_one_below(tmp_path):
    from mlops_workbook import load_framework

    path = tmp_path / "gap.yaml"
    path.write_text(gap_bank(), encoding="utf-8")
    fw = load_framework(path)

    def team(values: list[tuple[int, int]]) -> pd.DataFrame:
        people = []
        for i, (one, two) in enumerate(values):
            a = new_assessment(fw, team="t", respondent=f"r{i}")
            set_answer(a, "gap.a.one", one)
            set_answer(a, "gap.a.two", two)
            people.append(a)
        return answers_frame(fw, people)

    # both met in the median: Alpha is at Two; unmeeting one drops it to One, which has no statement
    stats = question_stats(fw, team([(3, 4), (4, 3), (0, 3)])).set_index("question")
    assert list(stats["team_rank"]) == [2, 2]
    assert stats.loc["gap.a.one", "level_shift"] == -1 and not stats.loc["gap.a.one", "blocker"]
    # a.two not met: Alpha at One (reached with Zero), a.two the only blocker, meeting it lifts Alpha to Two
    stats = question_stats(fw, team([(3, 1), (4, 2), (3, 3)])).set_index("question")
    assert stats.loc["gap.a.two", "blocker"] and stats.loc["gap.a.two", "level_shift"] == 1
    summary = team_summary(fw, team([(3, 1), (4, 2), (3, 3)]))
    assert summary.loc[0, "level_id"] == "l1" and summary.loc[0, "level_score"] == pytest.approx(1 + 0.5 + 1 / 3)


def test_summarise_refuses_nothing(tiny):
    with pytest.raises(WorkbookError, match="no responses"):
        summarise(tiny, answers_frame(tiny, []))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(*[st.sampled_from([0, 1, 3, 4, "na", "unknown", None])] * 5), min_size=1, max_size=5))
def test_team_completeness_matches_scoring_of_the_median_answers(tiny, answers):
    # fails if _completeness counts unknown as answered, or forgets that a provisional dimension makes the overall so
    people = [person(tiny, "t", f"r{i}", values) for i, values in enumerate(answers)]
    frame = answers_frame(tiny, people)
    card = score_assessment(tiny, median_assessment(tiny, frame, "t"))
    rows = team_summary(tiny, frame).set_index("dimension")
    for d in card.dimensions:
        got = rows.loc[d.id]
        assert (got["level_answered"], got["level_applicable"]) == (d.completeness.answered, d.completeness.applicable)
        assert bool(got["level_provisional"]) == d.provisional
    overall = rows.loc[OVERALL]
    assert bool(overall["level_provisional"]) == (card.overall is not None and card.overall.provisional)
    if card.overall is not None:
        assert overall["level_label"] == card.label(card.overall.rank)
