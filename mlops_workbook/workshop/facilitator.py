"""The facilitator page of a workshop: where each team stands, and where its members disagree.

Participants answer in the app (``app.ipynb``); their files autosave to
``<folder>/<framework>/<team>--<respondent>.json``. This page reads that folder, like
:class:`~mlops_workbook.app.widgets.App` in shape: one class, widgets built in ``__init__``,
``observe`` -> handler -> ``_refresh``, and handlers that show errors instead of tracebacks.
Charts are inline SVG, so the page works offline on a projector.

On screen respondents are codes (R01, R02, … per team, in joining order) unless the
facilitator ticks *Show names*. Refresh re-reads the folder only when a file changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from mlops_workbook.app.controls import guarded as _guarded
from mlops_workbook.app.page_bridge import page_request
from mlops_workbook.charts.figures import to_png
from mlops_workbook.model.assessment import load_assessment, save_assessment, slug, to_json
from mlops_workbook.model.errors import Problem, WorkbookError
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import ASSESSMENTS_DIR
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.render import views
from mlops_workbook.scoring.rules import ScoreCard, score_assessment
from mlops_workbook.workshop import facilitator_views as fv
from mlops_workbook.workshop.aggregation import (
    WorkshopSummary,
    answers_frame,
    find_consensus,
    load_responses,
    median_assessment,
    summarise,
)
from mlops_workbook.workshop.consensus_editor import ConsensusRow, agreed_assessment, decided, editor_rows, intro_html
from mlops_workbook.workshop.demo import seed_demo
from mlops_workbook.workshop.facilitator_import import CsvPanel

TABS = ("Discuss first", "Consensus", "Answers", "Teams × dimensions", "Import & export")
ANSWERS_TAB, TEAMS_TAB = 2, 3


class FacilitatorApp:
    """The facilitator's page of a workshop.

    Parameters
    ----------
    framework:
        The model shown first (``"aws"``, ``"gcp"``, ``"azure"``).
    folder:
        The shared assessments folder (empty: the project's ``assessments/``).
    teams:
        Only these teams (default: every team that answered).
    show_names:
        Show respondents' names instead of codes R01… (off: a projector shows no names).
    top:
        How many questions the discussion list and the consensus editor show.
    refresh_seconds:
        The interval of auto-refresh, when ticked.
    """

    def __init__(
        self,
        framework: str = "aws",
        *,
        folder: str | Path = "",
        teams: Sequence[str] | None = None,
        show_names: bool = False,
        frameworks: Sequence[str] = ("aws", "gcp", "azure"),
        top: int = 8,
        refresh_seconds: int = 15,
    ):
        self.folder = Path(folder) if folder else ASSESSMENTS_DIR
        self.frameworks = {fid: load_framework(fid) for fid in frameworks}
        self.only_teams = [str(t) for t in teams] if teams else None
        self.assessments: list[Assessment] = []
        self.file_problems: list[str] = []
        self.answers: pd.DataFrame | None = None
        self.summary: WorkshopSummary | None = None
        self.consensus: Assessment | None = None
        self.rows: dict[str, ConsensusRow] = {}
        self._snapshot: frozenset[tuple[str, int, int]] | None = None
        self._stale: set[int] = set()
        self._loading = False
        self._team_shown: tuple[str, str | None] | None = None

        self.picker = w.ToggleButtons(
            options=[(fw.short_name, fw.id) for fw in self.frameworks.values()],
            value=framework,
            layout=w.Layout(display="" if len(self.frameworks) > 1 else "none"),
        )
        self.team = w.Dropdown(description="Team", options=[], layout=w.Layout(width="300px"))
        self.refresh_button = w.Button(description="Refresh", icon="refresh", button_style="primary")
        self.auto = w.Checkbox(
            value=False,
            description=f"Auto-refresh every {refresh_seconds} s",
            indent=False,
            layout=w.Layout(width="auto"),
        )
        self.play = w.Play(interval=refresh_seconds * 1000, min=0, max=10**9, layout=w.Layout(display="none"))
        self.names = w.Checkbox(
            value=show_names,
            description="Show names",
            indent=False,
            layout=w.Layout(width="auto", margin="2px 18px 2px 10px"),
        )
        self.top = w.BoundedIntText(value=top, min=1, max=60, description="Discuss top", layout=w.Layout(width="160px"))
        self.count = w.HTML()
        self.status = w.HTML()
        self.problems = w.HTML()
        self.empty = w.HTML()
        self.demo_button = w.Button(description="Load demo respondents", icon="users", layout=w.Layout(width="auto"))
        self.empty_box = w.VBox([self.empty, self.demo_button])

        self.discussion = w.HTML()
        self.radar = w.HTML()
        self.consensus_intro = w.HTML()
        self.consensus_rows = w.VBox()
        self.save_button = w.Button(
            description="Save consensus", icon="check", button_style="success", layout=w.Layout(width="auto")
        )
        self.consensus_status = w.HTML()
        self.answers_map = w.HTML()
        self.compare_teams = w.SelectMultiple(
            description="Compare",
            options=[],
            rows=4,
            layout=w.Layout(width="420px"),
            tooltip="Teams shown side by side (Ctrl/Shift-click to pick several)",
        )
        self.teams_map = w.HTML()
        self.downloads_button = w.Button(
            description="Prepare downloads", icon="download", layout=w.Layout(width="auto")
        )
        self.downloads = w.HTML()

        discuss = w.HBox(
            [
                w.VBox([self.discussion], layout=w.Layout(width="58%", padding="0 12px 0 0")),
                w.VBox([self.radar], layout=w.Layout(width="42%")),
            ],
            layout=w.Layout(flex_flow="row wrap"),
        )
        consensus = w.VBox([self.consensus_intro, self.consensus_rows, self.save_button, self.consensus_status])
        self.csv = CsvPanel(lambda: self.framework, self.folder, lambda: self.refresh(force=True))
        export = w.VBox([w.HTML(fv.EXPORT_NOTE), self.downloads_button, self.downloads, self.csv.widget])
        self.tabs = w.Tab(
            children=[discuss, consensus, self.answers_map, w.VBox([self.compare_teams, self.teams_map]), export]
        )
        for i, title in enumerate(TABS):
            self.tabs.set_title(i, title)

        controls = w.HBox(
            [self.team, self.top, self.refresh_button, self.auto, self.names, self.play],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        header = w.VBox(
            [
                w.HTML(views.STYLE + fv.STYLE + "<h2 style='margin:4px 0'>MLOps maturity workshop</h2>"),
                self.picker,
                controls,
                self.count,
                self.status,
                self.problems,
            ]
        )
        self.widget = w.VBox([header, self.empty_box, self.tabs], layout=w.Layout(padding="4px"))
        self.widget.add_class("mw-fac")
        for widget, name in (
            (self.count, "respondent-count"),
            (self.status, "status"),
            (self.problems, "problems"),
            (self.empty, "empty"),
            (self.discussion, "discussion"),
            (self.radar, "team-radar"),
            (self.answers_map, "answers-heatmap"),
            (self.teams_map, "teams-heatmap"),
            (self.consensus_status, "consensus-status"),
            (self.downloads, "downloads"),
        ):
            widget.add_class(f"mw-{name}")

        self.picker.observe(self._on_framework, names="value")
        self.compare_teams.observe(self._on_compare, names="value")
        self.team.observe(self._on_team, names="value")
        self.top.observe(self._on_top, names="value")
        self.names.observe(self._on_names, names="value")
        self.auto.observe(self._on_auto, names="value")
        self.play.observe(self._on_tick, names="value")
        self.refresh_button.on_click(self._on_refresh)
        self.demo_button.on_click(self._on_demo)
        self.save_button.on_click(self._on_save)
        self.downloads_button.on_click(self._on_downloads)
        self.tabs.observe(self._on_tab, names="selected_index")
        self.refresh(force=True)

    @classmethod
    def for_page(cls, framework: str = "aws", **kwargs: Any) -> FacilitatorApp:
        """The page for Voilà: ``?framework=…&team=…`` in the URL win (names never come from a URL)."""
        request = page_request()
        frameworks = kwargs.get("frameworks", ("aws", "gcp", "azure"))
        chosen = request.get("framework", framework)
        app = cls(chosen if chosen in frameworks else framework, **kwargs)
        if request.get("team") in app.team.options:
            app.team.value = request["team"]
        return app

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def framework(self) -> Framework:
        return self.frameworks[self.picker.value]

    @property
    def labels(self) -> dict[tuple[str, str], str]:
        return fv.respondent_labels(self.assessments, self.names.value)

    # ------------------------------------------------------------------ loading

    def _scan(self) -> frozenset[tuple[str, int, int]]:
        """What is in the model's folder now: (name, mtime, size) of every file."""
        base = self.folder / self.framework.id
        if not base.is_dir():
            return frozenset()
        return frozenset((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in base.glob("*.json"))

    @_guarded
    def refresh(self, force: bool = False) -> bool:
        """Re-read the folder if a file changed (or when forced); True when it re-read."""
        snapshot = self._scan()
        if snapshot == self._snapshot and not force:
            self.status.value = f"<span class='mw-muted'>No new answers (checked {datetime.now():%H:%M:%S}).</span>"
            return False
        self._snapshot = snapshot
        fw = self.framework
        found, problems = load_responses(self.folder, fw) if snapshot else ([], [])
        if self.only_teams is not None:
            found = [a for a in found if a.team in self.only_teams]
        self.assessments = found
        self.file_problems = [str(p) for p in problems]
        self.answers = answers_frame(fw, found) if found else None
        self.summary = summarise(fw, self.answers) if found else None
        sizes = Counter(a.team for a in found)
        teams = sorted(sizes)
        self._loading = True
        try:
            current = self.team.value
            self.team.options = teams
            # First look: the team with the most respondents (ties: alphabetical).
            largest = min(teams, key=lambda t: (-sizes[t], t)) if teams else None
            self.team.value = current if current in teams else largest
            picked = set(self.compare_teams.value)
            every = not picked or picked == set(self.compare_teams.options)
            self.compare_teams.options = teams
            # Every team (new ones too) until the facilitator narrows the comparison down.
            self.compare_teams.value = teams if every else [t for t in teams if t in picked] or teams
        finally:
            self._loading = False
        self.status.value = (
            f"<span class='mw-muted'>Read {escape(str(self.folder / fw.id))} at {datetime.now():%H:%M:%S}.</span>"
        )
        self._refresh()
        return True

    def _load_consensus(self) -> None:
        # find_consensus: a consensus saved under an earlier version's file name is found too
        path = find_consensus(self.folder, self.framework.id, self.team.value or "")
        self.consensus = None
        if self.team.value and path.exists():
            found = load_assessment(path)
            if found.kind == "consensus" and found.framework == self.framework.id:
                self.consensus = found

    # ------------------------------------------------------------------ handlers

    @_guarded
    def _on_framework(self, change: dict[str, Any]) -> None:
        self.csv.show_template()
        self.refresh(force=True)

    @_guarded
    def _on_team(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self._refresh()

    @_guarded
    def _on_compare(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self._stale.add(TEAMS_TAB)
            self._draw_tab()

    @_guarded
    def _on_top(self, change: dict[str, Any]) -> None:
        self._refresh()

    @_guarded
    def _on_names(self, change: dict[str, Any]) -> None:
        self._refresh()

    @_guarded
    def _on_auto(self, change: dict[str, Any]) -> None:
        self.play.playing = bool(change["new"])

    @_guarded
    def _on_tick(self, change: dict[str, Any]) -> None:
        self.refresh()

    @_guarded
    def _on_refresh(self, _button: w.Button) -> None:
        self.refresh()

    @_guarded
    def _on_demo(self, _button: w.Button) -> None:
        written = seed_demo(self.folder, self.framework.id, teams=3, respondents=6)
        self.refresh(force=True)
        self.status.value += f" <span class='mw-ok'>{len(written)} demo respondents written.</span>"

    @_guarded
    def _on_tab(self, change: dict[str, Any]) -> None:
        self._draw_tab()

    @_guarded
    def _on_save(self, _button: w.Button) -> None:
        path = self.save_consensus()
        self.consensus_status.value = (
            f"<div class='mw-card'><span class='mw-ok'>✔ Consensus saved at {datetime.now():%H:%M:%S}</span> to "
            f"<code>{escape(str(path))}</code>. A report of it: <code>mlops-workbook report "
            f"{escape(str(path))} -o reports</code></div>"
        )
        self._draw_discussion()
        self._draw_count()  # the team's level and radar now show the consensus just saved
        self.radar.value = self.radar_svg()

    @_guarded
    def _on_downloads(self, _button: w.Button) -> None:
        self.downloads.value = fv.links_html(self.export_files())

    # ------------------------------------------------------------------ consensus

    def save_consensus(self) -> Path:
        """Save the editor's answers as the team's consensus (the median answers elsewhere)."""
        if self.answers is None or not self.team.value:
            raise WorkbookError([Problem("consensus", "", "there are no answers to agree on yet", "press Refresh")])
        fw, team = self.framework, self.team.value
        agreed = agreed_assessment(fw, self.answers, team, self.rows, self.consensus)
        # the file it was loaded from (an earlier version's name included), else the current name
        path = save_assessment(agreed, find_consensus(self.folder, fw.id, team))
        self.consensus = agreed
        return path

    def _build_editor(self, rows: pd.DataFrame) -> None:
        self.rows = editor_rows(self.framework, rows, self.rows, self.consensus)
        self.consensus_rows.children = [r.box for r in self.rows.values()]
        self.consensus_intro.value = intro_html(self.team.value or "", self.consensus)

    # ------------------------------------------------------------------ views

    @_guarded
    def _refresh(self) -> None:
        fw = self.framework
        empty = self.summary is None
        self.empty_box.layout.display = "" if empty else "none"
        self.tabs.layout.display = "none" if empty else ""
        self.empty.value = fv.empty_html(self.folder, fw) if empty else ""
        self.problems.value = views.problems_html(self.file_problems)
        if empty:
            self._draw_count()
            self.rows, self.consensus = {}, None
            self.consensus_rows.children = []
            return
        if self._team_shown != (fw.id, self.team.value):
            self.rows = {}  # another team: its own consensus, no carried-over edits
            self._load_consensus()
            self._team_shown = (fw.id, self.team.value)
        self._draw_count()
        self._draw_discussion()
        self._build_editor(self.discussion_rows())
        self.radar.value = self.radar_svg()
        self._stale = {ANSWERS_TAB, TEAMS_TAB}
        self._draw_tab()

    def _draw_count(self) -> None:
        """Who answered, and the selected team's overall level (consensus, else median answers)."""
        fw = self.framework
        html = fv.count_html(len(self.assessments), list(self.team.options), fw, self.file_problems)
        if self.names.value:
            html += fv.NAMES_WARNING
        if self.summary is not None and self.team.value:
            html += fv.team_level_html(fw, self.team_card(), self.team.value, consensus=self.consensus is not None)
        self.count.value = html

    def team_card(self) -> ScoreCard:
        """The selected team's score card: its consensus when saved, else its median answers."""
        assert self.answers is not None
        mine = self.consensus or median_assessment(self.framework, self.answers, self.team.value)
        return score_assessment(self.framework, mine)

    def discussion_rows(self) -> pd.DataFrame:
        assert self.summary is not None
        return self.summary.discussion(top=self.top.value, team=self.team.value)

    def _draw_discussion(self) -> None:
        if self.summary is None or self.answers is None:
            return
        notes = fv.notes_by_question(self.answers, self.team.value, self.labels)
        self.discussion.value = fv.discussion_html(
            self.framework, self.discussion_rows(), notes, decided(self.consensus)
        )

    def _draw_tab(self) -> None:
        index = self.tabs.selected_index
        if index not in self._stale:
            return
        if index == ANSWERS_TAB:
            self.answers_map.value = self._chart_html(self.answers_chart(), "answers", self._answers_grid())
        elif index == TEAMS_TAB:
            assert self.summary is not None
            picked = list(self.compare_teams.value) or None
            table = fv.teams_frame(self.framework, self.summary, picked).drop(columns=["provisional"])
            self.teams_map.value = fv.team_levels_html(self.framework, self.summary, picked) + self._chart_html(
                self.teams_chart(), "teams", table
            )
        self._stale.discard(index)

    def _chart_html(self, chart: Any, prefix: str, table: pd.DataFrame) -> str:
        return f"<div class='mw-card'>{fv.svg(chart, prefix)}{views.table_details(table)}</div>"

    def _answers_grid(self) -> pd.DataFrame:
        assert self.answers is not None
        return fv.answers_grid(self.framework, self.answers, self.team.value, self.labels)

    def radar_chart(self) -> Any:
        fw, team = self.framework, self.team.value
        people = [score_assessment(fw, a) for a in self.assessments if a.team == team]
        return fv.team_radar(fw, self.team_card(), people, team, consensus=self.consensus is not None)

    def radar_svg(self) -> str:
        return f"<div class='mw-card'>{fv.svg(self.radar_chart(), 'team-radar')}</div>"

    def answers_chart(self) -> Any:
        return fv.answers_heatmap(self.framework, self._answers_grid(), self.team.value)

    def teams_chart(self) -> Any:
        assert self.summary is not None
        return fv.teams_heatmap(self.framework, self.summary, list(self.compare_teams.value) or None)

    def _show_problems(self, messages: list[str]) -> None:
        """Where ``_guarded`` handlers report failures (file problems stay listed with them)."""
        self.problems.value = views.problems_html([*messages, *self.file_problems])

    # ------------------------------------------------------------------ export

    def export_files(self) -> list[tuple[str, str, bytes]]:
        """Answers, team summary and question statistics (CSV), charts (SVG, PNG), the consensus (JSON)."""
        if self.summary is None or self.answers is None:
            return []
        fw, labels = self.framework, self.labels
        stem = f"workshop-{fw.id}"
        team_stem = f"{stem}-{slug(self.team.value, 'team')}"
        files = fv.data_files(fw, self.summary, self.answers, labels)
        for name, chart in (
            (f"{team_stem}-radar", self.radar_chart()),
            (f"{stem}-teams", self.teams_chart()),
            (f"{team_stem}-answers", self.answers_chart()),
        ):
            files.append((f"{name}.svg", "image/svg+xml", fv.svg(chart, name).encode()))
            files.append((f"{name}.png", "image/png", to_png(chart)))
        if self.consensus is not None:
            files.append((f"{team_stem}-consensus.json", "application/json", to_json(self.consensus).encode()))
        return files


__all__ = ["FacilitatorApp", "seed_demo"]
