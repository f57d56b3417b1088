"""The organisation's view as data (reports/organisation*.py): team results, units, levels, blockers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from mlops_workbook import new_assessment, set_answer
from mlops_workbook.model.assessment import assessment_path, identity_key, save_assessment
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.reports.organisation import (
    BLOCKER_COLUMNS,
    NO_UNIT,
    blockers_csv,
    blockers_frame,
    level_distribution,
    team_results,
    unit_levels,
)
from mlops_workbook.reports.organisation_files import load_units, organisation_results

# The tiny bank (threshold 3): Alpha l1 {a.one, a.two}, l2 {a.three}; Beta l1 {b.one}, l2 {b.two}.
# Hand-worked blockers (what keeps each dimension from its next level):
TEAMS = {
    "Team A": {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 0, "tiny.b.one": 0, "tiny.b.two": 0},  # a.three, b.one
    "Team B": {"tiny.a.one": 0, "tiny.a.two": 4, "tiny.a.three": 4, "tiny.b.one": 1, "tiny.b.two": 4},  # a.one, b.one
    "Team C": {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 4, "tiny.b.one": 4, "tiny.b.two": 0},  # b.two
    "Team D": {"tiny.a.one": 4, "tiny.a.two": 4, "tiny.a.three": 4, "tiny.b.one": 4, "tiny.b.two": 4},  # none
}


def team(tiny, name, answers, *, respondent="R01", round=1, unit="", kind="individual", day=1):
    a = new_assessment(tiny, team=name, respondent=respondent)
    a.round, a.unit, a.kind = round, unit, kind
    a.updated = datetime(2026, 1, day, tzinfo=UTC)
    for qid, value in answers.items():
        set_answer(a, qid, value)
    return a


@pytest.fixture
def four_teams(tiny):
    return [team(tiny, name, answers) for name, answers in TEAMS.items()]


def test_blockers_are_ranked_by_teams_blocked_then_the_lower_level(tiny, four_teams):
    units = {identity_key("Team A"): "Retail", identity_key("team b"): "Retail", identity_key("Team C"): "Risk"}
    frame = blockers_frame(team_results(four_teams, units, {"tiny": tiny}.__getitem__))
    assert list(frame.columns) == list(BLOCKER_COLUMNS)
    got = [(r["question"], r["teams blocked"], r["blocks level"], r["teams"], r["units"]) for _, r in frame.iterrows()]
    assert got == [
        ("tiny.b.one", 2, "One (level 1 of 2)", "Team A; Team B", "Retail"),
        ("tiny.a.one", 1, "One (level 1 of 2)", "Team B", "Retail"),  # level 1 before the level-2 ones
        ("tiny.a.three", 1, "Two (level 2 of 2)", "Team A", "Retail"),  # then the bank's order
        ("tiny.b.two", 1, "Two (level 2 of 2)", "Team C", "Risk"),
    ]
    assert frame["rank"].tolist() == [1, 2, 3, 4]
    assert set(frame["of teams"]) == {4}
    assert frame.loc[0, "next step"] == "do b1" and frame.loc[0, "statement"] == "B1"


def test_blockers_count_each_teams_latest_round_only(tiny, four_teams):
    fixed = team(tiny, "Team A", {**TEAMS["Team A"], "tiny.b.one": 4}, round=2, day=9)  # b.one met in round 2
    frame = blockers_frame(team_results([*four_teams, fixed], {}, {"tiny": tiny}.__getitem__))
    first = frame.iloc[0]
    # round 2 of Team A: b.one met, so b.two now blocks it (with Team C); b.one blocks Team B only
    assert (first["question"], first["teams blocked"], first["teams"]) == ("tiny.b.two", 2, "Team A; Team C")
    assert frame.set_index("question").loc["tiny.b.one", "teams"] == "Team B"


def test_blockers_csv_reads_back_with_formulas_neutralised(tiny):
    hostile = team(tiny, '=HYPERLINK("http://x")', TEAMS["Team A"], unit="+unit")
    text = blockers_csv(blockers_frame(team_results([hostile], {}, {"tiny": tiny}.__getitem__)))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(BLOCKER_COLUMNS)
    assert rows[0]["teams"] == '\'=HYPERLINK("http://x")' and rows[0]["units"] == "'+unit"
    assert rows[0]["teams blocked"] == "1"


def test_a_teams_result_is_its_consensus_else_one_respondent_else_the_median(tiny):
    people = [
        team(tiny, "Many", {"tiny.a.one": v, "tiny.a.two": v, "tiny.b.one": v}, respondent=f"R{i}")
        for i, v in enumerate((0, 3, 4))  # median 3: l1 met in both dimensions
    ]
    solo = team(tiny, "Solo", {"tiny.a.one": 4}, respondent="R01")
    agreed = team(tiny, "Agreed", {"tiny.a.one": 0}, respondent="R01")
    consensus = team(tiny, "agreed", TEAMS["Team D"], respondent="consensus", kind="consensus", day=2)
    results = {r.team: r for r in team_results([*people, solo, agreed, consensus], {}, {"tiny": tiny}.__getitem__)}
    assert results["Many"].basis == "median of 3 respondents"
    assert results["Many"].card.overall.rank == 1  # fails if one respondent (0 or 4) stood for the team
    assert results["Solo"].basis == "one respondent"
    assert results["agreed"].basis == "consensus" and results["agreed"].card.overall.rank == 2
    assert len(results) == 3  # "Agreed" and "agreed" are one team, named as its latest file names it


def test_units_come_from_the_field_then_units_yaml_and_group_the_levels(tiny, tmp_path):
    (tmp_path / "units.yaml").write_text("Retail: [team a, Team B]\nRisk: [Team C]\n", encoding="utf-8")
    units = load_units(tmp_path / "units.yaml")
    files = [team(tiny, name, answers) for name, answers in TEAMS.items()]
    files[1].unit = "Payments"  # the file's own field wins over units.yaml
    results = team_results(files, units, {"tiny": tiny}.__getitem__)
    assert {r.team: r.unit for r in results} == {
        "Team A": "Retail", "Team B": "Payments", "Team C": "Risk", "Team D": NO_UNIT
    }  # fmt: skip
    table = unit_levels(results, "tiny")
    assert table["unit"].tolist() == ["Payments", "Retail", "Risk", NO_UNIT]
    assert table.set_index("unit").loc["Retail"].tolist() == [1, 0, 0, 1]  # Team A at level 0; total 1
    assert table.set_index("unit").loc[NO_UNIT, "Two (level 2 of 2)"] == 1


def test_a_broken_units_yaml_names_the_file_and_the_unit(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("Retail: Payments\nRisk: [A]\nOps: [a]\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as err:
        load_units(path)
    text = str(err.value)
    assert "units.yaml" in text and "Retail" in text and "is not a list of team names" in text
    assert "already under 'Risk'" in text


def test_level_distribution_counts_teams_per_level_latest_and_per_round(tiny, four_teams):
    later = team(tiny, "Team A", TEAMS["Team D"], round=2, day=20)  # Team A reaches the top in round 2
    frame = level_distribution(team_results([*four_teams, later], {}, {"tiny": tiny}.__getitem__))
    counts = {(r.when, r.rank): r.teams for r in frame.itertuples()}
    # overall = weakest dimension: B at 0 (b.one 1), C at 1 (b.two 0), D at 2; A at 0 in round 1, 2 in round 2
    assert [counts[("Latest", rank)] for rank in (0, 1, 2)] == [1, 1, 2]
    assert [counts[("Round 1", rank)] for rank in (0, 1, 2)] == [2, 1, 1]
    assert [counts[("Round 2", rank)] for rank in (0, 1, 2)] == [0, 0, 1]


def test_reading_a_folder_reports_bad_files_and_reads_archived_rounds(tmp_path):
    from mlops_workbook import load_framework

    aws = load_framework("aws")
    for number in (1, 2):
        a = new_assessment(aws, team="Payments", respondent="R01")
        a.round = number
        path = assessment_path(tmp_path, "aws", "Payments", "R01")
        path.parent.mkdir(parents=True, exist_ok=True)
        save_assessment(a, path if number == 2 else path.with_name(path.stem + ".round-1.json"))
    (tmp_path / "aws" / "broken.json").write_text("{not json", encoding="utf-8")
    results, problems = organisation_results(tmp_path)
    assert [(r.team, r.round, r.latest) for r in results] == [("Payments", 1, False), ("Payments", 2, True)]
    assert len(problems) == 1 and "broken.json" in str(problems[0])


def test_the_organisations_trend_is_the_median_team_per_round_dated_at_its_median_date(tiny):
    from mlops_workbook.reports.organisation import MEDIAN_TEAM, organisation_trend

    first = [
        team(tiny, "Team A", TEAMS["Team A"], day=1),  # Alpha 1.0, overall 0
        team(tiny, "Team B", TEAMS["Team B"], day=3),  # Alpha 0.75 (a.two: 3 of 4 weight), overall 0
        team(tiny, "Team C", TEAMS["Team C"], day=28),  # Alpha 2.0, overall 1 — a late team
    ]
    second = team(tiny, "Team A", TEAMS["Team D"], round=2, day=30)  # Alpha 2.0, overall 2
    frame = organisation_trend(team_results([*first, second], {}, {"tiny": tiny}.__getitem__), "tiny")
    got = {(r.round, r.series): (r.date, r.score) for r in frame.itertuples()}
    assert got[(1, "Alpha")] == ("2026-01-03T00:00:00Z", 1.0)  # fails with the latest date (Jan 28) or the mean
    assert got[(1, MEDIAN_TEAM)] == ("2026-01-03T00:00:00Z", 0.0)  # lower median of levels 0, 0, 1
    assert got[(2, "Alpha")] == ("2026-01-30T00:00:00Z", 2.0)
    assert got[(2, MEDIAN_TEAM)][1] == 2.0


def test_team_progress_lists_teams_with_two_rounds_most_improved_first(tiny, four_teams):
    from mlops_workbook.reports.organisation import team_progress

    a2 = team(tiny, "Team A", TEAMS["Team D"], round=2, day=9)  # 0 -> 2: average 0.5 -> 2.0
    b2 = team(tiny, "Team B", {**TEAMS["Team B"], "tiny.b.one": 3}, round=2, day=9)  # b.one met: 0 -> 2
    frame = team_progress(team_results([*four_teams, a2, b2], {}, {"tiny": tiny}.__getitem__), "tiny")
    assert frame["team"].tolist() == ["Team A", "Team B"]  # C and D have one round: not listed
    assert frame.iloc[0][["first level", "latest level", "average change"]].tolist() == [
        "Zero (level 0 of 2)", "Two (level 2 of 2)", 1.5
    ]  # fmt: skip


def test_the_distribution_chart_is_valid_vega_lite(tiny, four_teams):
    # The chart builders skip Altair's per-object checks (charts/build.py): the finished spec is checked here
    from mlops_workbook.charts.distribution import distribution_chart

    chart = distribution_chart(tiny, level_distribution(team_results(four_teams, {}, {"tiny": tiny}.__getitem__)))
    assert chart is not None
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    rows = spec["datasets"][spec["data"]["name"]]  # one frame for bars and labels
    assert sum(row["teams"] for row in rows if row["when"] == "Latest") == len(four_teams)
