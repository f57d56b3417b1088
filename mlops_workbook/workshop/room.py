"""The workshop room: what the facilitator page shows, without a widget.

One model at a time: the respondents' files read from the shared folder
(``<folder>/<framework>/<team>--<respondent>.json``), re-read only when a file changed;
their aggregation; the selected team's consensus (loaded, saved back where it was found);
the charts and the export files. :class:`~mlops_workbook.workshop.facilitator.FacilitatorApp`
puts it in widgets; tests and scripts drive it directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mlops_workbook.charts.export import to_png
from mlops_workbook.model.assessment import save_assessment, slug, to_json
from mlops_workbook.model.errors import Problem, WorkbookError
from mlops_workbook.model.paths import ASSESSMENTS_DIR
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.render.roadmap_downloads import roadmap_files
from mlops_workbook.scoring.rules import ScoreCard, score_assessment
from mlops_workbook.workshop import facilitator_views as fv
from mlops_workbook.workshop.aggregation import WorkshopSummary, answers_frame, load_responses, summarise
from mlops_workbook.workshop.consensus import Decision, agreed_assessment, load_consensus, median_assessment
from mlops_workbook.workshop.demo import seed_demo

Snapshot = frozenset[tuple[str, int, int]]


class WorkshopRoom:
    """The responses of one model in a shared folder, aggregated, and one team's consensus.

    Parameters
    ----------
    framework
        The model whose files are read (:meth:`switch` changes it).
    folder
        The shared assessments folder (empty: the project's ``assessments/``).
    teams
        Only these teams (default: every team that answered).
    """

    def __init__(self, framework: Framework, *, folder: str | Path = "", teams: Sequence[str] | None = None):
        self.folder = Path(folder) if folder else ASSESSMENTS_DIR
        self.framework = framework
        self.only_teams = [str(t) for t in teams] if teams else None
        self.assessments: list[Assessment] = []
        self.file_problems: list[str] = []
        self.answers: pd.DataFrame | None = None
        self.summary: WorkshopSummary | None = None
        self.team = ""
        self.consensus: Assessment | None = None
        self._snapshot: Snapshot | None = None

    # ------------------------------------------------------------------ reading

    def switch(self, framework: Framework) -> None:
        """Look at another model: the next :meth:`reload` reads its files."""
        self.framework = framework
        self._snapshot = None
        self.team, self.consensus = "", None

    def scan(self) -> Snapshot:
        """What is in the model's folder now: (name, mtime, size) of every file."""
        base = self.folder / self.framework.id
        if not base.is_dir():
            return frozenset()
        return frozenset((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in base.glob("*.json"))

    def reload(self, force: bool = False) -> bool:
        """Re-read the folder if a file changed (or when forced); True when it re-read.

        Unreadable files are listed in :attr:`file_problems`, never raised.
        """
        snapshot = self.scan()
        if snapshot == self._snapshot and not force:
            return False
        self._snapshot = snapshot
        fw = self.framework
        found, problems = load_responses(self.folder, fw) if snapshot else ([], [])
        if self.only_teams is not None:
            found = [a for a in found if a.team in self.only_teams]
        self.assessments = found
        self.file_problems = [str(p) for p in problems]
        self.answers = answers_frame(fw, found) if found else None
        self.summary = summarise(fw, self.answers) if self.answers is not None else None
        return True

    @property
    def empty(self) -> bool:
        """No respondent yet (nothing to aggregate)."""
        return self.summary is None

    @property
    def teams(self) -> list[str]:
        """The teams that answered, alphabetically."""
        return sorted({a.team for a in self.assessments})

    def largest_team(self) -> str | None:
        """The team with the most respondents (ties: alphabetical): the page's first look."""
        sizes = Counter(a.team for a in self.assessments)
        return min(sizes, key=lambda t: (-sizes[t], t)) if sizes else None

    def labels(self, show_names: bool = False) -> dict[tuple[str, str], str]:
        """How respondents appear: codes R01… per team, or their names when asked for."""
        return fv.respondent_labels(self.assessments, show_names)

    def demo(self, teams: int = 3, respondents: int = 6) -> list[Path]:
        """Write demo respondents into the folder (a room to try the page in); re-read it."""
        written = seed_demo(self.folder, self.framework.id, teams=teams, respondents=respondents)
        self.reload(force=True)
        return written

    # ------------------------------------------------------------------ the team and its consensus

    def open_team(self, team: str) -> None:
        """Select a team and load its saved consensus, if any (a file that cannot be read raises)."""
        self.team = team
        self.consensus = None
        self.consensus, _ = load_consensus(self.folder, self.framework.id, team)

    def save_consensus(self, decisions: Mapping[str, Decision]) -> Path:
        """Save the decisions as the team's consensus (earlier decisions kept, the median answers elsewhere).

        The file is the one the consensus was loaded from (an earlier version's name
        included), else ``<folder>/<framework>/<team>--consensus.json``.
        """
        if self.answers is None or not self.team:
            raise WorkbookError([Problem("consensus", "", "there are no answers to agree on yet", "press Refresh")])
        fw, team = self.framework, self.team
        agreed = agreed_assessment(fw, self.answers, team, decisions, self.consensus)
        _, path = load_consensus(self.folder, fw.id, team)
        saved = save_assessment(agreed, path)
        self.consensus = agreed
        return saved

    def team_card(self) -> ScoreCard:
        """The selected team's score card: its consensus when saved, else its median answers."""
        answers = self._answers()
        mine = self.consensus or median_assessment(self.framework, answers, self.team)
        return score_assessment(self.framework, mine)

    def discussion(self, top: int) -> pd.DataFrame:
        """The selected team's questions to discuss first, with reasons."""
        if self.summary is None:
            raise self._nothing_yet()
        return self.summary.discussion(top=top, team=self.team)

    def notes(self, labels: Mapping[tuple[str, str], str]) -> dict[str, list[Any]]:
        """The selected team's notes per question, under the respondents' labels."""
        return fv.notes_by_question(self._answers(), self.team, labels)

    # ------------------------------------------------------------------ charts and tables

    def radar_chart(self) -> Any:
        """The team's level per dimension (consensus or median answers) over each respondent's."""
        fw, team = self.framework, self.team
        people = [score_assessment(fw, a) for a in self.assessments if a.team == team]
        return fv.team_radar(fw, self.team_card(), people, team, consensus=self.consensus is not None)

    def answers_grid(self, labels: Mapping[tuple[str, str], str]) -> pd.DataFrame:
        """The selected team's answers, question × respondent."""
        return fv.answers_grid(self.framework, self._answers(), self.team, labels)

    def answers_chart(self, labels: Mapping[tuple[str, str], str]) -> Any:
        return fv.answers_heatmap(self.framework, self.answers_grid(labels), self.team)

    def teams_table(self, picked: Sequence[str] | None) -> pd.DataFrame:
        """Team × dimension levels of the teams ``picked`` (None: every team)."""
        return fv.teams_frame(self.framework, self._summary(), picked).drop(columns=["provisional"])

    def teams_chart(self, picked: Sequence[str] | None) -> Any:
        return fv.teams_heatmap(self.framework, self._summary(), picked)

    # ------------------------------------------------------------------ export

    def export_files(
        self, labels: Mapping[tuple[str, str], str], picked: Sequence[str] | None = None
    ) -> list[tuple[str, str, bytes]]:
        """Answers, team summary and question statistics (CSV), charts (SVG, PNG), the consensus (JSON)."""
        if self.summary is None or self.answers is None:
            return []
        fw = self.framework
        stem = f"workshop-{fw.id}"
        team_stem = f"{stem}-{slug(self.team, 'team')}"
        files = fv.data_files(fw, self.summary, self.answers, labels)
        for name, chart in (
            (f"{team_stem}-radar", self.radar_chart()),
            (f"{stem}-teams", self.teams_chart(picked)),
            (f"{team_stem}-answers", self.answers_chart(labels)),
        ):
            files.append((f"{name}.svg", "image/svg+xml", fv.svg(chart, name).encode()))
            files.append((f"{name}.png", "image/png", to_png(chart)))
        if self.consensus is not None:
            files.append((f"{team_stem}-consensus.json", "application/json", to_json(self.consensus).encode()))
            card = score_assessment(fw, self.consensus)  # the agreed gap as a backlog (once targets are set)
            files.extend(roadmap_files(fw, self.consensus, card, f"{team_stem}-consensus"))
        return files

    # ------------------------------------------------------------------ guards

    def _nothing_yet(self) -> WorkbookError:
        where = str(self.folder / self.framework.id)
        return WorkbookError([Problem(where, "", "has no responses yet", "wait for answers, then press Refresh")])

    def _answers(self) -> pd.DataFrame:
        if self.answers is None:
            raise self._nothing_yet()
        return self.answers

    def _summary(self) -> WorkshopSummary:
        if self.summary is None:
            raise self._nothing_yet()
        return self.summary


__all__ = ["WorkshopRoom"]
