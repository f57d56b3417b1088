"""The organisation's view, as data: one result per team, model and round; levels, dimensions, blockers.

Pure functions on assessments already read (the folder is read by
:mod:`mlops_workbook.reports.organisation_files`); no widgets, no HTML. A team's result in a
round is its consensus when it has one, else its one respondent's answers, else the median
of its respondents' answers (the facilitator page's rule, :func:`~mlops_workbook.scoring.grids.median_grid`).
Teams are told apart by :func:`~mlops_workbook.model.assessment.identity_key` of their name
within a model; their business unit comes from the assessments' ``unit`` field, else from
the folder's ``units.yaml`` (:func:`~mlops_workbook.reports.organisation_files.load_units`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from mlops_workbook.charts.trend import TREND_COLUMNS
from mlops_workbook.model.assessment import identity_key
from mlops_workbook.model.files import frame_csv
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.schema import Answer, Assessment, Framework
from mlops_workbook.scoring import grids
from mlops_workbook.scoring.rules import level_label, score_assessment
from mlops_workbook.scoring.scorecard import ScoreCard

#: The organisation's trend names the overall level's series so.
MEDIAN_TEAM = "Median team's overall level"
#: How a team without a unit (no field, not in units.yaml) is grouped.
NO_UNIT = "No unit"
#: The columns of :func:`blockers_frame`, which its CSV export keeps.
BLOCKER_COLUMNS = (
    "rank",
    "model",
    "question",
    "statement",
    "dimension",
    "blocks level",
    "teams blocked",
    "of teams",
    "units",
    "teams",
    "next step",
)


@dataclass(frozen=True)
class TeamResult:
    """One team's result in one model and round: whose answers, the score card, its unit."""

    unit: str
    team: str
    framework: Framework
    round: int
    updated: datetime
    basis: str  # "consensus", "one respondent", "median of N respondents"
    card: ScoreCard
    latest: bool = False  # the team's latest round in this model

    @property
    def level(self) -> str:
        o = self.card.overall
        return level_label(self.framework, o.rank) if o else "not assessed"


def unit_of(assessments: Sequence[Assessment], units: Mapping[str, str]) -> str:
    """The unit a team's files name (the latest non-empty ``unit``), else the mapping's, else :data:`NO_UNIT`.

    ``units`` maps :func:`identity_key` of a team name to its unit.
    """
    named = [a for a in sorted(assessments, key=lambda a: a.updated) if a.unit]
    if named:
        return named[-1].unit
    team = assessments[0].team if assessments else ""
    return units.get(identity_key(team), NO_UNIT)


def _stands_for(files: list[Assessment]) -> tuple[list[Assessment], str]:
    """The consensus (latest saved), else the latest file of each respondent; and the basis."""
    consensus = [a for a in files if a.kind == "consensus"]
    if consensus:
        return [max(consensus, key=lambda a: a.updated)], "consensus"
    people: dict[str, Assessment] = {}
    for a in sorted(files, key=lambda a: a.updated):
        people[identity_key(a.respondent)] = a
    if len(people) == 1:
        return list(people.values()), "one respondent"
    return list(people.values()), f"median of {len(people)} respondents"


def team_assessment(framework: Framework, files: list[Assessment]) -> tuple[Assessment, str]:
    """The one assessment that stands for a team in a round, and what it rests on.

    Its consensus (the latest saved) when there is one; else its only respondent; else the
    median of its respondents' answers (the latest file of each respondent counts).
    """
    chosen, basis = _stands_for(files)
    return (chosen[0] if len(chosen) == 1 else median_assessments(framework, [chosen])[0]), basis


def median_assessments(framework: Framework, groups: Sequence[Sequence[Assessment]]) -> list[Assessment]:
    """Each group's median answers as one assessment (``kind="consensus"``, respondent ``median``).

    All groups at once through :mod:`mlops_workbook.scoring.grids` (the facilitator page's
    median rule): one table, one grid, so hundreds of teams cost one pass.
    """
    rows = []
    for g, files in enumerate(groups):
        for i, a in enumerate(files):
            for qid, answer in a.answers.items():
                value = answer.value
                if value is None:
                    continue
                number = float(value) if isinstance(value, int) else float("nan")
                rows.append((f"{g:09d}", f"{i:09d}", qid, "answered" if isinstance(value, int) else value, number))
    merged = [
        Assessment(
            framework=framework.id, kind="consensus", team=files[0].team, respondent="median", round=files[0].round
        )
        for files in groups
    ]
    answers = pd.DataFrame(rows, columns=["team", "respondent", "question", "status", "value"])
    if answers.empty:
        return merged
    grid, teams, row_team = grids.grid(framework, answers)
    by_status, by_value = grids.counts(grid, row_team, len(teams))
    medians = grids.decode(grids.median_grid(by_status, by_value, teams))
    for label, median in zip(teams, medians, strict=True):
        target = merged[int(label)]
        for question, value in zip(framework.questions, median, strict=True):
            if value is not None:
                target.answers[question.id] = Answer(value=value, na_reason="median" if value == "na" else "")
    return merged


def team_results(
    assessments: Iterable[Assessment],
    units: Mapping[str, str] | None = None,
    bank: Callable[[str], Framework] = load_framework,
) -> list[TeamResult]:
    """Every team's result per model and round, sorted by model, unit, team, round; ``latest`` marked.

    ``units`` maps a team's :func:`identity_key` to its unit (see :func:`unit_of`); ``bank``
    gives the framework of an id (the bundled banks by default). The assessments must have
    been checked against their bank (:func:`~mlops_workbook.model.checked.load_checked`).
    """
    groups: dict[tuple[str, str, int], list[Assessment]] = {}
    for a in assessments:
        groups.setdefault((a.framework, identity_key(a.team), a.round), []).append(a)
    by_team: dict[tuple[str, str], list[Assessment]] = {}
    for (framework_id, key, _round), files in groups.items():
        by_team.setdefault((framework_id, key), []).extend(files)
    chosen: dict[tuple[str, str, int], tuple[list[Assessment], str]] = {k: _stands_for(v) for k, v in groups.items()}
    standing: dict[tuple[str, str, int], Assessment] = {k: files[0] for k, (files, _) in chosen.items()}
    for framework_id in {k[0] for k in groups}:
        keys = [k for k, (files, _) in chosen.items() if k[0] == framework_id and len(files) > 1]
        medians = median_assessments(bank(framework_id), [chosen[k][0] for k in keys])
        standing.update(zip(keys, medians, strict=True))
    results = []
    for (framework_id, key, number), files in groups.items():
        framework = bank(framework_id)
        every_round = by_team[(framework_id, key)]
        name = max(every_round, key=lambda a: a.updated).team or "—"
        latest = number == max(a.round for a in every_round)
        results.append(
            TeamResult(
                unit_of(every_round, units or {}),
                name,
                framework,
                number,
                max(a.updated for a in files),
                chosen[(framework_id, key, number)][1],
                score_assessment(framework, standing[(framework_id, key, number)]),
                latest,
            )
        )
    return sorted(results, key=lambda r: (r.framework.short_name, r.unit, identity_key(r.team), r.round))


def level_distribution(results: Iterable[TeamResult]) -> pd.DataFrame:
    """How many teams sit at each overall level, per model: each team's latest round, then each round.

    Columns: ``model``, ``framework_id``, ``when`` ("Latest" or "Round n"), ``rank``,
    ``level`` (:func:`level_label`), ``teams``. Every level of the model has a row (0 teams too).
    """
    counts: dict[tuple[str, str, int], int] = {}
    frameworks: dict[str, Framework] = {}
    for r in results:
        if r.card.overall is None:
            continue
        frameworks[r.framework.id] = r.framework
        rank = r.card.overall.rank
        whens = [f"Round {r.round}"] + (["Latest"] if r.latest else [])
        for when in whens:
            counts[(r.framework.id, when, rank)] = counts.get((r.framework.id, when, rank), 0) + 1
    rows = []
    for fid, fw in sorted(frameworks.items(), key=lambda kv: kv[1].short_name):
        rounds = sorted({int(w.split()[1]) for f, w, _ in counts if f == fid and w != "Latest"})
        for when in ["Latest", *(f"Round {n}" for n in rounds)]:
            for lv in fw.levels_by_rank:
                teams = counts.get((fid, when, lv.rank), 0)
                rows.append((fw.short_name, fid, when, lv.rank, level_label(fw, lv.rank), teams))
    return pd.DataFrame(rows, columns=["model", "framework_id", "when", "rank", "level", "teams"])


def unit_levels(results: Iterable[TeamResult], framework_id: str) -> pd.DataFrame:
    """Teams per business unit and overall level in one model (latest round): a unit per row,
    a column per level in rank order, then ``teams`` (the row's total)."""
    latest = [r for r in results if r.latest and r.framework.id == framework_id and r.card.overall is not None]
    if not latest:
        return pd.DataFrame(columns=["unit", "teams"])
    fw = latest[0].framework
    levels = [level_label(fw, lv.rank) for lv in fw.levels_by_rank]
    rows = []
    for unit in sorted({r.unit for r in latest}, key=lambda u: (u == NO_UNIT, u)):
        ranks = [r.card.overall.rank for r in latest if r.unit == unit and r.card.overall is not None]
        rows.append([unit, *(ranks.count(lv.rank) for lv in fw.levels_by_rank), len(ranks)])
    return pd.DataFrame(rows, columns=["unit", *levels, "teams"])


def organisation_trend(results: Iterable[TeamResult], framework_id: str) -> pd.DataFrame:
    """The median team per round of one model, as a :func:`~mlops_workbook.charts.trend.cards_trend_frame`.

    Per round: each dimension's median score over the teams assessed in that round, and the
    median team's overall level (the lower median of their levels); the date is the median of
    the teams' dates in that round (one late team does not move the round). Teams enter the
    rounds they reached: a team with one round counts in round 1 only.
    """
    by_round: dict[int, list[TeamResult]] = {}
    for r in results:
        if r.framework.id == framework_id and r.card.overall is not None:
            by_round.setdefault(r.round, []).append(r)
    rows = []
    for number in sorted(by_round):
        teams = by_round[number]
        fw = teams[0].framework
        # rounds are not synchronised across teams: date each one by its middle team, not its latest
        date = pd.Series([t.updated for t in teams]).median().strftime("%Y-%m-%dT%H:%M:%SZ")
        for i, d in enumerate(teams[0].card.dimensions):
            scores = [t.card.dimensions[i].score for t in teams if t.card.dimensions[i].assessed]
            found = [s for s in scores if s is not None]
            if found:
                median = float(pd.Series(found).median())
                label = level_label(fw, int(median))
                rows.append((number, date, d.name, "dimension", round(median, 3), label))
        ranks = sorted(t.card.overall.rank for t in teams if t.card.overall is not None)
        rank = ranks[(len(ranks) - 1) // 2]
        rows.append((number, date, MEDIAN_TEAM, "overall", float(rank), level_label(fw, rank)))
    return pd.DataFrame(rows, columns=list(TREND_COLUMNS))


def team_progress(results: Iterable[TeamResult], framework_id: str) -> pd.DataFrame:
    """Teams of one model with two rounds or more: first and latest overall level, and the change.

    Columns: ``unit``, ``team``, ``rounds``, ``first level``, ``latest level``, ``average change``
    (latest minus first average of dimension scores, 2 decimals); most improved first.
    """
    by_team: dict[tuple[str, str], list[TeamResult]] = {}
    for r in results:
        if r.framework.id == framework_id and r.card.overall is not None:
            by_team.setdefault((r.unit, identity_key(r.team)), []).append(r)
    rows = []
    for rounds in by_team.values():
        if len(rounds) < 2:
            continue
        first, last = min(rounds, key=lambda r: r.round), max(rounds, key=lambda r: r.round)
        before, after = first.card.overall, last.card.overall
        if before is None or after is None:  # filtered above; narrows the type
            continue
        change = round(after.score - before.score, 2)
        rows.append((last.unit, last.team, len(rounds), first.level, last.level, change))
    columns = ["unit", "team", "rounds", "first level", "latest level", "average change"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["average change", "unit", "team"], ascending=[False, True, True], kind="stable")


def teams_dimensions(results: Iterable[TeamResult], framework_id: str) -> pd.DataFrame:
    """Team × dimension scores of one model (latest round), teams grouped by unit. Long form.

    Columns: ``unit``, ``team``, ``row`` ("unit · team", the heatmap's row), ``dimension``,
    ``dimension score``, ``level``, ``provisional``, ``basis``.
    """
    rows = []
    for r in results:
        if not r.latest or r.framework.id != framework_id:
            continue
        for d in r.card.dimensions:
            assessed = d.assessed and d.rank is not None
            level = level_label(r.framework, d.rank) if assessed and d.rank is not None else "not assessed"
            rows.append((r.unit, r.team, f"{r.unit} · {r.team}", d.name, d.score, level, d.provisional, r.basis))
    columns = ["unit", "team", "row", "dimension", "dimension score", "level", "provisional", "basis"]
    return pd.DataFrame(rows, columns=columns)


def blockers_frame(results: Iterable[TeamResult]) -> pd.DataFrame:
    """The statements that hold back the most teams (latest round), ranked: columns :data:`BLOCKER_COLUMNS`.

    A statement blocks a team when it keeps one of the team's dimensions from its next
    level (the score card's blockers). ``blocks level`` is the level it stands in front of,
    ``teams blocked`` how many teams it blocks out of ``of teams`` (teams assessed in that
    model). Ranked by teams blocked (most first), then the lower level first (it blocks
    earlier), then the bank's question order.
    """
    latest = [r for r in results if r.latest]
    assessed: dict[str, int] = {}
    found: dict[tuple[str, str], list[TeamResult]] = {}
    for r in latest:
        assessed[r.framework.id] = assessed.get(r.framework.id, 0) + 1
        for d in r.card.dimensions:
            for b in d.blockers:
                found.setdefault((r.framework.id, b.id), []).append(r)
    ranked: list[tuple[tuple[int, int, str, int], dict[str, object]]] = []
    for (fid, qid), teams in found.items():
        fw = teams[0].framework
        question = fw.question(qid)
        rank = fw.level(question.level).rank if question.level else fw.top.rank
        order = [q.id for q in fw.questions].index(qid)
        row: dict[str, object] = {
            "model": fw.short_name,
            "question": qid,
            "statement": question.text,
            "dimension": fw.dimension(question.dimension).name,
            "blocks level": level_label(fw, rank),
            "teams blocked": len(teams),
            "of teams": assessed[fid],
            "units": "; ".join(sorted({t.unit for t in teams})),
            "teams": "; ".join(sorted(t.team for t in teams)),
            "next step": question.next_step,
        }
        ranked.append(((-len(teams), rank, fw.short_name, order), row))
    ranked.sort(key=lambda keyed: keyed[0])
    rows = [{**row, "rank": i} for i, (_, row) in enumerate(ranked, start=1)]
    return pd.DataFrame(rows, columns=list(BLOCKER_COLUMNS))


def blockers_csv(frame: pd.DataFrame) -> str:
    """The ranked blockers as CSV, every text cell neutralised against spreadsheet formulas."""
    return frame_csv(frame)


__all__ = [
    "BLOCKER_COLUMNS",
    "MEDIAN_TEAM",
    "NO_UNIT",
    "TeamResult",
    "blockers_csv",
    "blockers_frame",
    "level_distribution",
    "median_assessments",
    "organisation_trend",
    "team_assessment",
    "team_progress",
    "team_results",
    "teams_dimensions",
    "unit_levels",
    "unit_of",
]
