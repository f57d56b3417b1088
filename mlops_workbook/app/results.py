"""The app's Results, Next steps and Compare models tabs: what the current answers score.

:class:`ResultsPanel` holds the widgets and draws a :class:`~mlops_workbook.render.report_html.Report`
into them with the same fragments as the report download and the batch report
(:mod:`mlops_workbook.render.views`). The app builds the target dropdowns (they save) and
guards every call into the panel.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path

import ipywidgets as w

from mlops_workbook import charts
from mlops_workbook.app.compare import compare_team
from mlops_workbook.app.session import Session
from mlops_workbook.model.assessment import load_assessment, round_path
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.render import report_html, views
from mlops_workbook.scoring.rules import score_assessment

COMPARE_TAB = 2  # index of the "Compare models" tab
TITLES = ["Results", "Next steps", "Compare models"]


def session_report(session: Session, framework: Framework) -> report_html.Report:
    """The session's answers as a report (with the previous round and every round when there are some),
    as the batch reports."""
    previous = session.previous()
    return report_html.Report(
        assessment=session.assessment,
        framework=framework,
        card=session.score(),
        source=session.path.name,
        previous=previous,
        previous_card=score_assessment(framework, previous) if previous else None,
        rounds=session_rounds(session),
    )


def session_rounds(session: Session) -> tuple[Assessment, ...]:
    """Every round of the session's file, oldest first, the one being answered last (archives read once)."""
    current = session.assessment
    if current.round < 2:
        return ()
    earlier = (_archive(round_path(session.path, number), current.framework) for number in range(1, current.round))
    return (*(a for a in earlier if a is not None), current)


def _archive(path: Path, framework_id: str) -> Assessment | None:
    """An archived round (archives do not change: read once per file version), None when unreadable."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read_archive(str(path), stat.st_mtime_ns, framework_id)


@functools.lru_cache(maxsize=64)
def _read_archive(path: str, _version: int, framework_id: str) -> Assessment | None:
    try:
        archived = load_assessment(path)
    except WorkbookError:
        return None
    return archived if archived.framework == framework_id else None


class ResultsPanel:
    """The tabs that show results; :attr:`tabs` gets the app's own last tab appended."""

    def __init__(self, last_tab: w.Widget, last_title: str) -> None:
        self.overall = w.HTML()
        self.radar = w.HTML()
        self.levels = w.HTML()
        self.trend = w.HTML()  # progress over rounds, from the second round on
        self.table = w.HTML()
        self.na_list = w.HTML()
        self.defend_pick = w.Dropdown(description="Defend", layout=w.Layout(width="auto"))
        self.defend = w.HTML()
        self.targets_box = w.VBox()
        self.targets: dict[str, w.Dropdown] = {}
        self.gap = w.HTML()
        self.compare = w.HTML()
        self.report: report_html.Report | None = None  # the last one drawn
        self.compare_stale = True

        defend_box = w.VBox(
            [
                w.HTML("<b>Defend this score</b>: the rule and the questions that decided a dimension"),
                self.defend_pick,
                self.defend,
            ]
        )
        results = w.VBox([self.overall, self.radar, self.trend, self.levels, self.table, self.na_list, defend_box])
        plan = w.VBox(
            [
                w.HTML("<b>Target level per dimension</b>"),
                self.targets_box,
                w.HTML("<b>Gap to target, in the order to work on it</b>"),
                self.gap,
            ]
        )
        self.tabs = w.Tab(children=[results, plan, w.VBox([self.compare]), last_tab])
        for i, title in enumerate([*TITLES, last_title]):
            self.tabs.set_title(i, title)
        for widget, name in (
            (self.overall, "overall"),
            (self.radar, "radar"),
            (self.levels, "levels"),
            (self.gap, "gap"),
        ):
            widget.add_class(f"mw-{name}")  # stable hooks for browser tests

    def build_targets(
        self, framework: Framework, targets: Mapping[str, str], on_target: Callable[[str, dict], None]
    ) -> None:
        """A target level dropdown per dimension, showing ``targets``; ``on_target(dimension id, change)``."""
        options = [("no target", "")] + [(lv.name, lv.id) for lv in framework.levels_by_rank[1:]]
        self.targets = {}
        for d in framework.dimensions:
            current = targets.get(d.id, "")
            dropdown = w.Dropdown(
                options=options,
                value=current if current in dict(options).values() else "",
                description=d.name,
                style={"description_width": "170px"},
                layout=w.Layout(width="440px"),
            )
            dropdown.observe(functools.partial(on_target, d.id), names="value")
            self.targets[d.id] = dropdown
        self.targets_box.children = list(self.targets.values())

    def draw(self, report: report_html.Report) -> None:
        """Redraw every result of ``report``; the comparison only when its tab is open (it reads other files)."""
        self.report = report
        fw, card = report.framework, report.card
        self.overall.value = views.overall_html(fw, card)
        self.radar.value = report_html.radar_svg(report) + views.table_details(
            charts.radar_table(fw, card, report.previous_card)
        )
        self.trend.value = report_html.trend_html(report)
        self.levels.value = report_html.level_svg(report) + views.table_details(charts.level_table(fw, card))
        self.table.value = views.dimensions_html(fw, card, report.previous_card)
        self.na_list.value = views.na_html(fw, report.assessment, card)
        options = [(d.name, d.id) for d in fw.dimensions]
        if list(self.defend_pick.options) != options:  # a new model: its dimensions, the first one shown
            self.defend_pick.options = options
        self.draw_defence()
        self.gap.value = views.gap_html(fw, card)
        self.compare_stale = True

    def draw_defence(self, report: report_html.Report | None = None) -> None:
        """'Defend this score' for the picked dimension (of ``report``, when given: notes change it too)."""
        self.report = report = report or self.report
        if report is None or self.defend_pick.value is None:
            return
        self.defend.value = views.defend_html(report.framework, report.assessment, report.card, self.defend_pick.value)

    def draw_compare(self, frameworks: Mapping[str, Framework], team: str, respondent: str, folder: Path) -> None:
        """This team's saved assessments of every model, placed on the common scale (when out of date)."""
        report = self.report
        if not self.compare_stale or report is None:
            return
        comparison = compare_team(team, respondent, folder=folder, frameworks=tuple(frameworks))
        cards = {**comparison.cards, report.framework.id: report.card}
        chart = charts.crosswalk_chart(list(frameworks.values()), cards)
        self.compare.value = (
            "<div class='mw-card'>Where this team stands on each model, placed on one common scale "
            "(bands from the crosswalk of the three models).</div>"
            + charts.to_svg(chart)
            + views.table_details(charts.crosswalk_table(list(frameworks.values())))
        )
        self.compare_stale = False
