"""The workbook app: one ipywidgets class, used in JupyterLab and served by Voilà.

Widgets are built in ``__init__``; every change goes ``observe`` -> handler (run under
:func:`~mlops_workbook.app.controls.guarded`) -> :class:`~mlops_workbook.app.session.Session`
(which saves atomically) -> ``_refresh``, which draws the results panel
(:mod:`mlops_workbook.app.results`); the files to download come from :mod:`mlops_workbook.app.downloads`.
Charts are rendered to SVG in the kernel and shown in ``HTML`` widgets: this needs no
JavaScript from a CDN, so it works offline, and replacing one ``value`` does not flicker.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w

from mlops_workbook import charts
from mlops_workbook.app.answering import AnswerHandlers
from mlops_workbook.app.controls import guarded
from mlops_workbook.app.downloads import FilesTab, download_links_html
from mlops_workbook.app.example import ExampleSession
from mlops_workbook.app.identity import page_identity
from mlops_workbook.app.page_bridge import PageBridge, page_request
from mlops_workbook.app.questions import QuestionPages, QuestionRow
from mlops_workbook.app.quick import QUICK, QuickView, with_quick
from mlops_workbook.app.results import COMPARE_TAB, ResultsPanel, session_report
from mlops_workbook.app.session import DEMO_RESPONDENT, DEMO_TEAM, Session, demo_seed
from mlops_workbook.app.status import OPEN_HINT, example_status, model_intro, saved_status, unknown_bank
from mlops_workbook.model.frameworks import framework_ids, load_framework
from mlops_workbook.model.paths import ASSESSMENTS_DIR
from mlops_workbook.model.schema import Answer, Framework
from mlops_workbook.render import report_html, views
from mlops_workbook.scoring.rules import ScoreCard


class App(AnswerHandlers):
    """The assessment app for one respondent: questions, live results, files.

    Parameters
    ----------
    framework:
        The model to open first (``"aws"``, ``"gcp"``, ``"azure"``).
    team, respondent, organisation:
        Who answers; together with the framework they name the autosaved file.
    folder:
        Where assessments are saved: ``<folder>/<framework>/<team>--<respondent>.json``
        (empty: the project's ``assessments/`` folder).
    frameworks:
        The models offered by the picker (one model: no picker).
    """

    def __init__(
        self,
        framework: str = "aws",
        *,
        team: str = DEMO_TEAM,
        respondent: str = DEMO_RESPONDENT,
        organisation: str = "",
        folder: str | Path = "",
        frameworks: Sequence[str] = (),
    ):
        charts.use_workbook_theme()
        self.folder = Path(folder) if folder else ASSESSMENTS_DIR
        self.frameworks = {fid: load_framework(fid) for fid in frameworks or framework_ids()}  # every bank there is
        self.session: Session | None = None
        self._loading = False

        self.picker = w.ToggleButtons(
            options=with_quick([(fw.short_name, fw.id) for fw in self.frameworks.values()]),  # + answer once
            value=framework,
            description="Model",
            layout=w.Layout(display="" if len(self.frameworks) > 1 else "none"),
        )
        text = {"layout": w.Layout(width="240px"), "style": {"description_width": "90px"}}
        self.organisation = w.Text(value=organisation, description="Organisation", **text)
        self.team = w.Text(value=team, description="Team", **text)
        self.respondent = w.Text(value=respondent, description="Respondent", **text)
        self.open_button = w.Button(description="Open / resume", button_style="primary", icon="folder-open")
        self.status = w.HTML()
        self.problems = w.HTML()
        self._save_failed = False  # a save error is shown until the next good save
        self._example_organisation = ""  # the worked example's own organisation, never carried over
        self.bridge = PageBridge()
        self.intro = w.HTML()
        self.pages = QuestionPages(self._on_answer, self._on_clear, self._on_note, self._on_na_reason)

        self.files = FilesTab()
        self.round_button, self.downloads_button = self.files.round_button, self.files.downloads_button
        self.downloads, self.upload = self.files.downloads, self.files.upload
        self.results = ResultsPanel(self.files.box, "Save & share")
        self.tabs = self.results.tabs
        self.results.defend_pick.observe(lambda _change: self._draw_defence(), names="value")

        header = w.VBox(
            [
                w.HTML(views.STYLE + "<h1 style='margin:4px 0;font-size:1.5em'>MLOps maturity workbook</h1>"),
                self.picker,
                w.HBox(
                    [self.organisation, self.team, self.respondent, self.open_button],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                self.bridge,
                self.status,
                self.problems,
            ]
        )
        self.body = w.HBox(
            [
                w.VBox([self.intro, self.pages.widget], layout=w.Layout(width="52%", padding="0 12px 0 0")),
                w.VBox([self.tabs], layout=w.Layout(width="48%")),
            ],
            layout=w.Layout(flex_flow="row wrap"),
        )
        self.quick = QuickView(self)  # "Quick: all models": the core items, every model derived (app/quick.py)
        self.widget = w.VBox([header, self.quick.widget, self.body], layout=w.Layout(padding="4px"))
        self.widget.add_class("mw-app")
        self.pages.access.follow(self.status, self.problems, self.results)  # announced to screen readers
        self.status.add_class("mw-status")
        self.problems.add_class("mw-problems")

        self.picker.observe(self._on_framework, names="value")
        self.open_button.on_click(self._on_open)
        self.organisation.observe(self._on_organisation, names="value")
        self.team.observe(self._on_identity, names="value")
        self.respondent.observe(self._on_identity, names="value")
        self.round_button.on_click(self._on_new_round)
        self.downloads_button.on_click(self._on_downloads)
        self.upload.observe(self._on_upload, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.pages.accordion.observe(self._on_page, names="selected_index")
        self._open()

    @classmethod
    def for_page(cls, framework: str = "aws", *, folder: str | Path = "", **given: Any) -> App:
        """The app for a Voilà page: ``?framework=…&team=…&respondent=…`` in the URL win over ``given``
        (``team``, ``respondent``, ``organisation``, ``frameworks``, as for the constructor).

        A facilitator can hand each participant a link that opens their own file.
        In a preheated Voilà kernel this waits for the page request first, so the
        app shows the files as they are when the page opens.
        """
        charts.warm_up()  # in a pre-heated kernel, before the page is requested
        frameworks = [load_framework(fid).id for fid in given.get("frameworks") or framework_ids()]
        request = page_request()
        chosen = request.get("framework", framework)
        team = request.get("team", given.get("team", DEMO_TEAM))
        team, respondent = page_identity(team, request.get("respondent", given.get("respondent", DEMO_RESPONDENT)))
        organisation, known = request.get("organisation", given.get("organisation", "")), (*frameworks, QUICK)
        app = cls(chosen if chosen in known else framework, team=team, respondent=respondent, folder=folder,
                  organisation=organisation, frameworks=frameworks)  # fmt: skip
        app.problems.value = unknown_bank(chosen, app.frameworks[framework].name, known)  # never a silent fallback
        return app

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ opening

    @property
    def framework(self) -> Framework:
        return self.frameworks[self.picker.value]

    @guarded(action="open the answers of this team and respondent")
    def _open(self) -> None:
        team, respondent = self.team.value.strip(), self.respondent.value.strip()
        if not team or not respondent:
            self.show_problems(["Enter a team and a respondent code, then press 'Open / resume'."])
            return
        if self.picker.value == QUICK:
            self.quick.open(team, respondent, self.organisation.value)
            return
        self.quick.close()
        fw = self.framework
        seed = demo_seed(fw.id, team, respondent)
        organisation = self.organisation.value
        if self.is_example and organisation == self._example_organisation:
            organisation = ""  # the example's organisation is the example's: a new file takes only what was typed
        if seed is not None or (team, respondent) == (DEMO_TEAM, DEMO_RESPONDENT):
            self.session = ExampleSession.start(fw, seed, team=team, respondent=respondent)
            self._example_organisation = self.session.assessment.organisation
            self.bridge.point_to(fw.id, "", "")
        else:
            self.session = Session.open(
                fw, team=team, respondent=respondent, organisation=organisation, folder=self.folder
            )
            self.bridge.point_to(fw.id, team, respondent)
        self._save_failed = False
        self._loading = True
        try:
            self.organisation.value = self.session.assessment.organisation
            self.pages.open(fw, lambda: self.session.assessment.answers if self.session else {})
            self.results.build_targets(fw, self.session.assessment.targets, self._on_target)
        finally:
            self._loading = False
        self.show_problems([str(p) for p in self.session.problems])
        self.intro.value = model_intro(fw)
        self._refresh()
        self._show_saved()

    @guarded(action="show this dimension's questions")
    def _on_page(self, change: dict[str, Any]) -> None:
        self.pages.build(change["new"])

    @property
    def rows(self) -> dict[str, QuestionRow]:
        """The question rows built so far, by question id."""
        return self.pages.rows

    def row(self, question_id: str) -> QuestionRow:
        """The widgets of one question, building its dimension's page if needed."""
        return self.pages.row(question_id)

    @property
    def targets(self) -> dict[str, w.Dropdown]:
        """The target level dropdowns, by dimension id (Next steps tab)."""
        return self.results.targets

    @guarded(action="switch to the chosen model")
    def _on_framework(self, change: dict[str, Any]) -> None:
        self._open()

    @guarded(action="open the answers of this team and respondent")
    def _on_open(self, _button: w.Button) -> None:
        self._open()

    @property
    def is_example(self) -> bool:
        """True while the read-only worked example is open (nothing is saved)."""
        return isinstance(self.session, ExampleSession)

    def _on_identity(self, change: dict[str, Any]) -> None:
        """Typing a team or respondent changes nothing until Open: say so, right beside the fields."""
        if self.session is None or self._loading:
            return
        a = self.session.assessment
        if (self.team.value.strip(), self.respondent.value.strip()) != (a.team, a.respondent):
            self.status.value = OPEN_HINT
        else:
            self._show_saved()

    @guarded(action="save the organisation")
    def _on_organisation(self, change: dict[str, Any]) -> None:
        if self.session and not self._loading:
            self.session.rename(organisation=change["new"])
            self._show_saved()

    def _sync(self, keep: str = "") -> None:
        """Pick up answers saved elsewhere (another tab or kernel) before changing anything."""
        if self.session is None or not self.session.sync():
            return
        self._loading = True
        try:  # the widget the person just changed (keep) shows what they chose
            self.pages.show_answers(self.session.assessment.answers, keep=keep)
            for dim, dropdown in self.targets.items():
                dropdown.value = self.session.assessment.targets.get(dim, "")
        finally:
            self._loading = False

    # ------------------------------------------------------------------ what the answer handlers need (AnswerHandlers)

    def status_line(self) -> w.HTML:
        return self.status

    def saved(self, item: str) -> Answer | None:
        return self.session.assessment.answers.get(item) if self.session else None

    def answered(self, question_id: str) -> None:
        self._sync(keep=question_id)  # the save merged answers given elsewhere: show them too
        self._show_saved()
        self._refresh()

    def noted(self) -> None:
        self._show_saved()

    @guarded(action="save the target level")
    def _on_target(self, dimension_id: str, change: dict[str, Any]) -> None:
        if self._loading or self.session is None:
            return
        self._sync()
        self.session.target(dimension_id, change["new"] or None)
        self._show_saved()
        self._refresh()

    @guarded(action="start a new round")
    def _on_new_round(self, _button: w.Button) -> None:
        if self.session is None:
            return
        archive = self.session.new_round()
        self._show_saved(
            f"Round {self.session.assessment.round} started; round "
            f"{self.session.assessment.round - 1} kept as {archive.name}."
        )
        self._refresh()

    @guarded(action="load the uploaded file")
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files or self.session is None:
            return
        item = files[0]
        problems = self.session.replace_with_upload(bytes(item["content"]), item["name"])
        errors = [str(p) for p in problems if p.severity == "error"]
        if errors:
            self.show_problems(["The uploaded file was not loaded; nothing changed.", *errors])
        else:
            self._open()
            self.show_problems([str(p) for p in problems])
            self._show_saved(f"Loaded {item['name']}.")
        self.upload.value = ()

    @guarded(action="prepare the downloads")
    def _on_downloads(self, _button: w.Button) -> None:
        self.downloads.value = self.download_links()

    # ------------------------------------------------------------------ results and files

    def card(self) -> ScoreCard:
        assert self.session is not None
        return self.session.score()

    def report(self) -> report_html.Report:
        """The current state as a report: the same charts and sections as the batch reports."""
        assert self.session is not None
        return session_report(self.session, self.framework)

    @guarded(action="redraw the results")
    def _refresh(self) -> None:
        if self.session is None:
            return
        self.results.draw(self.report())
        if self.tabs.selected_index == COMPARE_TAB:  # drawn only when looked at: it reads other files
            self._draw_compare()

    @guarded(action="show 'defend this score'")
    def _draw_defence(self) -> None:
        """'Defend this score' for the picked dimension (Results tab), with the notes as saved now."""
        if self.session is not None:
            self.results.draw_defence(self.report())

    def _draw_compare(self) -> None:
        self.results.draw_compare(self.frameworks, self.team.value.strip(), self.respondent.value.strip(), self.folder)

    @guarded(action="draw the comparison of models")
    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] == COMPARE_TAB:
            self._draw_compare()

    def _show_saved(self, message: str = "") -> None:
        if self._save_failed:  # the save that failed has been followed by a good one
            self._save_failed = False
            self.show_problems([str(p) for p in self.session.problems] if self.session else [])
        if self.is_example:
            self.status.value = example_status(message)
            return
        if self.session and self.session.saved_at:
            self.bridge.saved_at = f"{self.session.saved_at:%H:%M:%S}"
            self.status.value = saved_status(self.session.saved_at, self.session.path, message)

    def show_problems(self, messages: list[str]) -> None:
        self.problems.value = views.problems_html(messages)

    def download_links(self) -> str:
        """Data-URI links to the answers, the charts and the report (they work in Voilà)."""
        assert self.session is not None
        return download_links_html(self.report())
