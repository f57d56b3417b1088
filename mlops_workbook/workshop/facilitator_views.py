"""What the facilitator page shows: HTML fragments, charts and export files.

Pure functions of the aggregated workshop data (see :mod:`mlops_workbook.workshop.aggregation`);
:class:`~mlops_workbook.workshop.facilitator.FacilitatorApp` puts them in widgets. Every piece of
text a participant or the facilitator typed (team and respondent names, notes) is escaped
here; respondents appear under the labels the caller passes (codes R01… unless names
were asked for).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from mlops_workbook import charts
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.render import views
from mlops_workbook.render.style import STYLE  # the one stylesheet (its facilitator rules included)
from mlops_workbook.render.views import unique_ids
from mlops_workbook.scoring.grids import ANSWER_VALUES
from mlops_workbook.scoring.rules import ScoreCard
from mlops_workbook.workshop.aggregation import WorkshopSummary, pseudonyms
from mlops_workbook.workshop.team_levels import (
    MEDIAN_SCORE,
    TEAM_LEVEL,
    team_level_html,
    team_level_words,
    team_levels_html,
    teams_frame,
    teams_heatmap,
)

NAMES_WARNING = "<div class='mw-card mw-error'>Names are shown: untick Show names before projecting.</div>"
_WORD = {"na": "N/A", "unknown": "?", None: "–"}


def answer_text(value: int | str | None) -> str:
    """How an answer reads on screen: 0-4, N/A, ? or – (none)."""
    return str(value) if isinstance(value, int) else _WORD.get(value, "–")


# --------------------------------------------------------------------------- respondents


def respondent_labels(assessments: Iterable[Assessment], show_names: bool = False) -> dict[tuple[str, str], str]:
    """How each respondent (team, respondent) appears on screen.

    Codes R01, R02, … per team, in the order people joined (file creation time), so a
    newcomer gets the next code and nobody else's code changes; with ``show_names`` the
    respondent field as typed.
    """
    by_team: dict[str, list[Assessment]] = {}
    for a in assessments:
        by_team.setdefault(a.team, []).append(a)
    labels: dict[tuple[str, str], str] = {}
    for team, people in by_team.items():
        people.sort(key=lambda a: (a.created, a.respondent))
        codes = pseudonyms(a.respondent for a in people)
        for a in people:
            labels[(team, a.respondent)] = a.respondent if show_names else codes[a.respondent]
    return labels


def count_html(n_respondents: int, teams: Sequence[str], framework: Framework, problems: Sequence[str]) -> str:
    people = f"<b>{n_respondents}</b> respondent{'s' if n_respondents != 1 else ''}"
    where = f"in {len(teams)} team{'s' if len(teams) != 1 else ''}" if teams else ""
    bad = (
        f" <span class='mw-error'>· {len(problems)} file problem{'s' if len(problems) != 1 else ''} (below)</span>"
        if problems
        else ""
    )
    model = f"<span class='mw-muted'>— {escape(framework.name)}</span>"
    return f"<div class='mw-card mw-count'>{people} {where} {model}{bad}</div>"


def empty_html(folder: Path, framework: Framework) -> str:
    """What the page says before anyone has answered."""
    return (
        "<div class='mw-card mw-empty'><b>No answers yet</b> for "
        f"{escape(framework.name)} in <code>{escape(str(folder / framework.id))}</code>.<br>"
        "Participants open the app with their team and a respondent code in the link that <code>make app</code> "
        "printed, e.g. "
        f"<code>…?framework={escape(framework.id)}&amp;team=Payments&amp;respondent=R07</code> "
        "(on a network it also carries the participants' code, <code>token=…</code>); "
        "their answers save to this folder as they go. Press <b>Refresh</b> (or tick auto-refresh) to see them. "
        "To try the page first, load demo respondents.</div>"
    )


# --------------------------------------------------------------------------- discussion list


def notes_by_question(answers: pd.DataFrame, team: str, labels: Mapping[tuple[str, str], str]) -> dict[str, list]:
    """``{question: [(label, answer text, note), …]}`` for the notes a team wrote."""
    rows = answers[(answers["team"] == team) & (answers["note"] != "")]
    found: dict[str, list] = {}
    columns = [rows[c].tolist() for c in ("value", "status", "respondent", "question", "note")]
    for raw, status, respondent, question, note in zip(*columns, strict=True):
        value = int(raw) if status == "answered" else {"na": "na", "unknown": "unknown"}.get(status)
        label = labels.get((team, respondent), str(respondent))
        found.setdefault(str(question), []).append((label, answer_text(value), note))
    return {q: sorted(said) for q, said in found.items()}


def _shift_words(reason: str) -> str:
    """The part of a discussion reason that is not the spread: level shift or blocker."""
    spread = ("answers ", "unknown ", "na ", "unanswered ", "IQR ")
    return "; ".join(p for p in reason.split("; ") if not p.startswith(spread))


def discussion_html(
    framework: Framework,
    rows: pd.DataFrame,
    notes: Mapping[str, list],
    agreed: Mapping[str, Any] | None = None,
) -> str:
    """The ranked list: question, spread of answers, what it decides, the room's notes."""
    if rows.empty:
        return "<div class='mw-card mw-muted'>No questions to discuss for this team.</div>"
    agreed = agreed or {}
    items = []
    for r in rows.to_dict("records"):
        q = framework.question(r["question"])
        where = f"{framework.dimension(q.dimension).name} · {framework.level(q.level).name}"
        cells = [(str(v), r[f"count_{v}"]) for v in ANSWER_VALUES] + [("?", r["unknown"]), ("N/A", r["na"])]
        most = max(1, *(n for _, n in cells))
        spread = "".join(
            # dark text on every shade (>= 6:1; white was 2.1-2.9:1 on these light blues)
            f"<span style='background: rgba(0,114,178,{0.08 + 0.6 * n / most:.2f}); "
            f"color: #1a1a1a'>{label}: <b>{n}</b></span>"
            for label, n in cells
        )
        facts = [f"IQR {r['iqr']:.2f}" if r["answered"] >= 2 else "fewer than two numeric answers"]
        if r["answered"]:
            facts.append(f"range {r['min']:.0f}–{r['max']:.0f}")
        if r["unknown"]:
            facts.append(f"{r['unknown']} don't know")
        if r["unanswered"]:
            facts.append(f"{r['unanswered']} not answered")
        facts.append(f"team median answer {answer_text(r['median_answer'])}")
        shift = _shift_words(r["reason"])
        badge = (
            f" <span class='mw-agreed'>✔ agreed: {escape(answer_text(agreed[q.id]))}</span>" if q.id in agreed else ""
        )
        said = "".join(
            f"<li><b>{escape(label)}</b> ({escape(value)}): {escape(note)}</li>"
            for label, value, note in notes.get(q.id, [])
        )
        items.append(
            f"<li class='mw-disc-item' data-question='{escape(q.id)}'>"
            f"<span class='mw-disc-rank'>{r['order']}</span><span class='mw-disc-q'>{escape(q.text)}</span> "
            f"<span class='mw-level'>{escape(where)}</span>{badge}"
            f"<div class='mw-spread'>{spread}</div>"
            f"<div class='mw-disc-facts mw-muted'>{escape(' · '.join(facts))}</div>"
            + (f"<div class='mw-disc-facts'>→ {escape(shift)}</div>" if shift else "")
            + (f"<ul class='mw-notes'>{said}</ul>" if said else "")
            + "</li>"
        )
    return (
        "<div class='mw-card'><p class='mw-muted' style='margin:0 0 4px'>Widest disagreement first (IQR of the "
        "answers), then what the question decides for the team's level. Counts: how many chose 0–4, ? (don't know) "
        f"and N/A.</p><ol class='mw-disc'>{''.join(items)}</ol></div>"
    )


# --------------------------------------------------------------------------- charts


def team_radar(
    framework: Framework, card: ScoreCard, respondents: Sequence[ScoreCard], team: str, *, consensus: bool = False
) -> alt.LayerChart:
    """The team's level (consensus or median answers) filled, each respondent faint, their median bold.

    The subtitle names the team's overall level as every face does (:func:`team_level_words`).
    """
    chart = charts.radar_chart(
        framework,
        card,
        target=False,
        others=respondents,
        median=True,
        title=f"{framework.short_name}: {team} ({len(respondents)} respondent{'s' if len(respondents) != 1 else ''})",
        series_names={
            "current": "Consensus" if consensus else "Team (median answers)",
            "others": "One respondent",
            "median": "Median of respondents",
        },
        subtitle=team_level_words(framework, card, consensus=consensus),
    )
    summary = charts.summary(chart)
    return charts.describe(chart, f"{summary} Faint lines: each respondent; bold: their median.")


def answers_grid(framework: Framework, answers: pd.DataFrame, team: str, labels: Mapping) -> pd.DataFrame:
    """Question × respondent answers of one team (long form), questions by dimension and level."""
    rows = answers[answers["team"] == team]
    order = [q for d in framework.dimensions for q in framework.questions_for(d.id)]
    dim = {d.id: d.name for d in framework.dimensions}
    text = {q.id: _short(f"{dim[q.dimension]} · {q.text}", 58) for q in order}
    people = sorted({labels.get((team, r), str(r)) for r in rows["respondent"].unique()})
    out = pd.DataFrame(
        {
            "question": rows["question"].astype(str).map(text),
            "respondent": [labels.get((team, r), str(r)) for r in rows["respondent"]],
            "answer": rows["value"].to_numpy(),
            "said": [
                {"na": "N/A", "unknown": "?", "unanswered": "–"}.get(s, f"{v:.0f}")
                for s, v in zip(rows["status"].astype(str), rows["value"], strict=True)
            ],
            "_q": rows["question"].astype(str).map({q.id: i for i, q in enumerate(order)}),
        }
    )
    out["_p"] = out["respondent"].map({p: i for i, p in enumerate(people)})
    return out.sort_values(["_q", "_p"]).drop(columns=["_q", "_p"]).reset_index(drop=True)


def _short(text: str, width: int) -> str:
    # Cut here rather than with the axis' labelLimit: measuring every label to truncate it is slow.
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def answers_heatmap(framework: Framework, grid: pd.DataFrame, team: str) -> alt.LayerChart:
    chart = charts.heatmap(
        grid,
        x="respondent",
        y="question",
        value="answer",
        title=f"{team}: every answer (0–{framework.scale.top}; ? don't know, N/A not applicable, – none)",
        domain=(0, framework.scale.top),
        tooltip=("said",),
    )
    # The grey cells say which kind of missing answer they are (the heatmap writes "–").
    if isinstance(chart.data, pd.DataFrame) and "_text" in chart.data:
        chart.data = chart.data.assign(_text=grid["said"].to_numpy())
    return chart.properties(width=alt.Step(56), height=alt.Step(26))


def svg(chart: alt.TopLevelMixin, prefix: str) -> str:
    """Inline SVG with ids of its own (several charts share the page)."""
    return unique_ids(charts.to_svg(chart), prefix)


# --------------------------------------------------------------------------- consensus and export


EXPORT_NOTE = (
    "<div class='mw-card'>Everything on this page as files: every answer (CSV, respondents as shown on screen), "
    "the team × dimension summary and the question statistics (CSV), the charts (SVG and PNG) and the selected "
    "team's consensus (JSON).</div>"
)


def data_files(
    framework: Framework, summary: WorkshopSummary, answers: pd.DataFrame, labels: Mapping[tuple[str, str], str]
) -> list[tuple[str, str, bytes]]:
    """Every answer (respondents as labelled), the team summary and the question statistics, as CSV."""
    stem = f"workshop-{framework.id}"
    people = zip(answers["team"], answers["respondent"], strict=True)
    labelled = answers.assign(respondent=[labels.get((t, r), str(r)) for t, r in people])
    questions = summary.questions.assign(
        text=summary.questions["question"].map({q.id: q.text for q in framework.questions})
    )
    return [
        (f"{stem}-answers.csv", "text/csv", _csv(labelled.drop(columns=["organisation"]))),
        (f"{stem}-teams.csv", "text/csv", _csv(summary.teams)),
        (f"{stem}-questions.csv", "text/csv", _csv(questions)),
    ]


def _csv(frame: pd.DataFrame) -> bytes:
    from mlops_workbook.model.files import frame_csv  # formula-like text cells made inert, as in every CSV we write

    return frame_csv(frame).encode()


links_html = views.download_links_html


__all__ = [
    "EXPORT_NOTE",
    "MEDIAN_SCORE",
    "STYLE",
    "TEAM_LEVEL",
    "answer_text",
    "answers_grid",
    "answers_heatmap",
    "count_html",
    "data_files",
    "discussion_html",
    "empty_html",
    "links_html",
    "notes_by_question",
    "respondent_labels",
    "svg",
    "team_level_html",
    "team_level_words",
    "team_levels_html",
    "team_radar",
    "teams_frame",
    "teams_heatmap",
]
