"""The facilitator page of a workshop: where each team stands, and where its members disagree.

Participants answer in the app (``app.ipynb``); their files autosave to
``<folder>/<framework>/<team>--<respondent>.json``. This page reads that folder, like
:class:`~mlops_workbook.app.widgets.App` in shape: one class, widgets built in ``__init__``,
``observe`` -> handler -> ``_refresh``, and handlers that show errors instead of tracebacks.
Charts are inline SVG, so the page works offline on a projector.

On screen respondents are codes (R01, R02, … per team, in joining order) unless the
facilitator ticks *Show names*. Refresh re-reads the folder only when a file changed.
What the page shows lives in a :class:`~mlops_workbook.workshop.room.WorkshopRoom` (no
widgets); this module is the layout and the handlers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from mlops_workbook.app.access import PageAccess
from mlops_workbook.app.controls import guarded
from mlops_workbook.app.identity import facilitator_refusal
from mlops_workbook.app.page_bridge import page_request
from mlops_workbook.charts.radar import radar_table
from mlops_workbook.charts.theme import use_workbook_theme
from mlops_workbook.model.frameworks import framework_ids, load_framework
from mlops_workbook.model.schema import Framework
from mlops_workbook.render import views
from mlops_workbook.workshop import facilitator_views as fv
from mlops_workbook.workshop.consensus import decided
from mlops_workbook.workshop.consensus_editor import ConsensusRow, decisions, editor_rows, intro_html
from mlops_workbook.workshop.facilitator_import import CsvPanel
from mlops_workbook.workshop.room import WorkshopRoom

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
        frameworks: Sequence[str] = (),
        top: int = 8,
        refresh_seconds: int = 15,
    ):
        use_workbook_theme()
        self.frameworks = {fid: load_framework(fid) for fid in frameworks or framework_ids()}  # every bank there is
        self.room = WorkshopRoom(self.frameworks[framework], folder=folder, teams=teams)
        self.folder = self.room.folder
        self.rows: dict[str, ConsensusRow] = {}
        self._stale: set[int] = set()
        self._loading = False
        self._team_shown: tuple[str, str | None] | None = None

        self.picker = w.ToggleButtons(
            options=[(fw.short_name, fw.id) for fw in self.frameworks.values()],
            value=framework,
            description="Model",
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
                PageAccess(),  # keyboard and screen-reader support for the page's widgets
                w.HTML(views.STYLE + "<h1 class='mw-title'>MLOps maturity workshop</h1>"),
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
        if (refused := facilitator_refusal()) is not None:  # on a hub, only the facilitators group
            return refused
        frameworks = kwargs.get("frameworks") or framework_ids()
        chosen = request.get("framework", framework)
        app = cls(chosen if chosen in frameworks else framework, **kwargs)
        if request.get("team") in app.team.options:
            app.team.value = request["team"]
        return app

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def framework(self) -> Framework:
        return self.room.framework

    @property
    def labels(self) -> dict[tuple[str, str], str]:
        return self.room.labels(self.names.value)

    @property
    def picked(self) -> list[str] | None:
        """The teams to compare (None: every team)."""
        return list(self.compare_teams.value) or None

    # ------------------------------------------------------------------ loading

    @guarded
    def refresh(self, force: bool = False) -> bool:
        """Re-read the folder if a file changed (or when forced); True when it re-read."""
        room = self.room
        if not room.reload(force):
            self.status.value = f"<span class='mw-muted'>No new answers (checked {datetime.now():%H:%M:%S}).</span>"
            return False
        teams = room.teams
        self._loading = True
        try:
            current = self.team.value
            self.team.options = teams
            self.team.value = current if current in teams else room.largest_team()
            picked = set(self.compare_teams.value)
            every = not picked or picked == set(self.compare_teams.options)
            self.compare_teams.options = teams
            # Every team (new ones too) until the facilitator narrows the comparison down.
            self.compare_teams.value = teams if every else [t for t in teams if t in picked] or teams
        finally:
            self._loading = False
        where = escape(str(room.folder / room.framework.id))
        self.status.value = f"<span class='mw-muted'>Read {where} at {datetime.now():%H:%M:%S}.</span>"
        self._refresh()
        return True

    # ------------------------------------------------------------------ handlers

    @guarded
    def _on_framework(self, change: dict[str, Any]) -> None:
        self.room.switch(self.frameworks[change["new"]])
        self.csv.show_template()
        self.refresh(force=True)

    @guarded
    def _on_team(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self._refresh()

    @guarded
    def _on_compare(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self._stale.add(TEAMS_TAB)
            self._draw_tab()

    @guarded
    def _on_top(self, change: dict[str, Any]) -> None:
        self._refresh()

    @guarded
    def _on_names(self, change: dict[str, Any]) -> None:
        self._refresh()

    @guarded
    def _on_auto(self, change: dict[str, Any]) -> None:
        self.play.playing = bool(change["new"])

    @guarded
    def _on_tick(self, change: dict[str, Any]) -> None:
        self.refresh()

    @guarded
    def _on_refresh(self, _button: w.Button) -> None:
        self.refresh()

    @guarded
    def _on_demo(self, _button: w.Button) -> None:
        written = self.room.demo(teams=3, respondents=6)
        self.refresh(force=True)
        self.status.value += f" <span class='mw-ok'>{len(written)} demo respondents written.</span>"

    @guarded
    def _on_tab(self, change: dict[str, Any]) -> None:
        self._draw_tab()

    @guarded
    def _on_save(self, _button: w.Button) -> None:
        path = self.room.save_consensus(decisions(self.rows))
        self.consensus_status.value = (
            f"<div class='mw-card'><span class='mw-ok'>✔ Consensus saved at {datetime.now():%H:%M:%S}</span> to "
            f"<code>{escape(str(path))}</code>. A report of it: <code>mlops-workbook report "
            f"{escape(str(path))} -o reports</code></div>"
        )
        self._draw_discussion()
        self._draw_count()  # the team's level and radar now show the consensus just saved
        self.radar.value = self.radar_svg()

    @guarded
    def _on_downloads(self, _button: w.Button) -> None:
        self.downloads.value = fv.links_html(self.room.export_files(self.labels, self.picked))

    # ------------------------------------------------------------------ views

    @guarded
    def _refresh(self) -> None:
        room = self.room
        empty = room.empty
        self.empty_box.layout.display = "" if empty else "none"
        self.tabs.layout.display = "none" if empty else ""
        self.empty.value = fv.empty_html(room.folder, room.framework) if empty else ""
        self.problems.value = views.problems_html(room.file_problems)
        if empty:
            self._draw_count()
            self.rows, room.consensus = {}, None
            self.consensus_rows.children = []
            return
        if self._team_shown != (room.framework.id, self.team.value):
            self.rows = {}  # another team: its own consensus, no carried-over edits
            room.open_team(self.team.value or "")
            self._team_shown = (room.framework.id, self.team.value)
        self._draw_count()
        self._draw_discussion()
        self._build_editor()
        self.radar.value = self.radar_svg()
        self._stale = {ANSWERS_TAB, TEAMS_TAB}
        self._draw_tab()

    def _build_editor(self) -> None:
        room = self.room
        self.rows = editor_rows(room.framework, room.discussion(self.top.value), self.rows, room.consensus)
        self.consensus_rows.children = [r.box for r in self.rows.values()]
        self.consensus_intro.value = intro_html(room.team, room.consensus)

    def _draw_count(self) -> None:
        """Who answered, and the selected team's overall level (consensus, else median answers)."""
        room = self.room
        html = fv.count_html(len(room.assessments), room.teams, room.framework, room.file_problems)
        if self.names.value:
            html += fv.NAMES_WARNING
        if not room.empty and room.team:
            consensus = room.consensus is not None
            html += fv.team_level_html(room.framework, room.team_card(), room.team, consensus=consensus)
        self.count.value = html

    def _draw_discussion(self) -> None:
        room = self.room
        if room.empty:
            return
        notes = room.notes(self.labels)
        self.discussion.value = fv.discussion_html(
            room.framework, room.discussion(self.top.value), notes, decided(room.consensus)
        )

    def _draw_tab(self) -> None:
        index = self.tabs.selected_index
        if index not in self._stale:
            return
        room = self.room
        if index == ANSWERS_TAB:
            labels = self.labels
            self.answers_map.value = self._chart_html(room.answers_chart(labels), "answers", room.answers_grid(labels))
        elif index == TEAMS_TAB:
            assert room.summary is not None  # the tab is hidden while the room is empty
            levels = fv.team_levels_html(room.framework, room.summary, self.picked)
            chart = self._chart_html(room.teams_chart(self.picked), "teams", room.teams_table(self.picked))
            self.teams_map.value = levels + chart
        self._stale.discard(index)

    def _chart_html(self, chart: Any, prefix: str, table: Any) -> str:
        return f"<div class='mw-card'>{fv.svg(chart, prefix)}{views.table_details(table)}</div>"

    def radar_svg(self) -> str:
        """The team's radar, with its table twin (the team's score per dimension)."""
        table = radar_table(self.framework, self.room.team_card())
        return self._chart_html(self.room.radar_chart(), "team-radar", table)

    def show_problems(self, messages: list[str]) -> None:
        """Where ``guarded`` handlers report failures (file problems stay listed with them)."""
        self.problems.value = views.problems_html([*messages, *self.room.file_problems])


__all__ = ["FacilitatorApp"]
