"""The workbook app: one ipywidgets class, used in JupyterLab and served by Voilà.

Widgets are built in ``__init__``; every change goes ``observe`` -> handler ->
:class:`~mlops_workbook.app.session.Session` (which saves atomically) -> ``_refresh``.
Charts are rendered to SVG in the kernel and shown in ``HTML`` widgets: this needs no
JavaScript from a CDN, so it works offline, and replacing one ``value`` does not flicker.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from mlops_workbook.app.compare import compare_team
from mlops_workbook.app.example import ExampleSession
from mlops_workbook.app.page_bridge import PageBridge, page_request
from mlops_workbook.app.session import DEMO_RESPONDENT, DEMO_TEAM, Session, demo_seed
from mlops_workbook.charts import figures as charts
from mlops_workbook.model import files
from mlops_workbook.model.assessment import slug, to_json
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import ASSESSMENTS_DIR
from mlops_workbook.model.schema import Framework, Question
from mlops_workbook.render import report_html, views
from mlops_workbook.scoring.rules import ScoreCard, score_assessment

#: What the status line says while the worked example is open.
EXAMPLE_STATUS = (
    "<span class='mw-example'>Worked example: try the buttons, nothing is saved. To assess your own team, "
    "enter your team and a respondent code above and press <b>Open / resume</b>.</span>"
)

COMPARE_TAB = 2  # index of the "Compare models" tab

ANSWER_OPTIONS: list[tuple[str, int | str]] = [
    ("0", 0),
    ("1", 1),
    ("2", 2),
    ("3", 3),
    ("4", 4),
    ("N/A", "na"),
    ("?", "unknown"),
]


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Show any failure of a handler in the app's status line instead of a traceback."""

    @functools.wraps(method)
    def wrapper(self: App, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except WorkbookError as exc:
            self._show_problems([str(p) for p in exc.problems])
        except OSError as exc:
            self._show_problems([save_error_message(exc)])
            self._save_failed = True
        except Exception as exc:
            self._show_problems([f"Something went wrong: {type(exc).__name__}: {exc}"])
        return None

    return wrapper


def save_error_message(exc: OSError) -> str:
    """What a failed save means for the person, without internals such as ``(None)``."""
    where = f" to {exc.filename}" if getattr(exc, "filename", None) else ""
    return (
        f"Your last change could not be saved{where}: {exc.strerror or exc}. Answers saved before are safe; "
        "tell the facilitator (the disk may be full or read-only), then give the answer again."
    )


class _Shared:
    """Layouts and styles shared by every question row: one widget model each instead of
    one per row, so a page opens with hundreds fewer models to send to the browser."""

    def __init__(self) -> None:
        self.buttons_style = w.ToggleButtonsStyle(button_width="44px")
        self.auto = w.Layout(width="auto")
        self.clear = w.Layout(width="60px")
        self.note = w.Layout(width="95%")
        self.box = w.Layout(border_bottom="1px solid #e4e4e4", padding="4px 0 8px 0")


class QuestionRow:
    """The widgets of one question: statement, answer buttons, N/A reason, evidence note."""

    def __init__(self, framework: Framework, question: Question, shared: _Shared):
        self.question = question
        labels = [framework.scale.label(v) for _, v in ANSWER_OPTIONS]
        self.buttons = w.ToggleButtons(
            options=ANSWER_OPTIONS, value=None, tooltips=labels, style=shared.buttons_style, layout=shared.auto
        )
        self.clear = w.Button(
            description="clear", tooltip="Take the answer back (the note is kept)", layout=shared.clear
        )
        # Its own layout: it is shown and hidden per row.
        self.na_reason = w.Text(placeholder="Why does this not apply?", layout=w.Layout(width="95%", display="none"))
        self.note = w.Textarea(placeholder="Evidence or context (optional)", rows=2, layout=shared.note)
        self.box = w.VBox(
            [
                w.HTML(views.question_html(framework, question)),
                w.HBox([self.buttons, self.clear]),
                self.na_reason,
                self.note,
            ],
            layout=shared.box,
        )
        # A stable hook for browser tests and custom CSS: mw-q-aws-data-automated_pipelines
        self.box.add_class("mw-q")
        self.box.add_class("mw-q-" + question.id.replace(".", "-"))

    def show(self, value: int | str | None, note: str, na_reason: str) -> None:
        self.buttons.value = value
        self.note.value = note
        self.na_reason.value = na_reason
        self.na_reason.layout.display = "" if value == "na" else "none"


class App:
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
        frameworks: Sequence[str] = ("aws", "gcp", "azure"),
    ):
        self.folder = Path(folder) if folder else ASSESSMENTS_DIR
        self.frameworks = {fid: load_framework(fid) for fid in frameworks}
        self._shared = _Shared()
        self.session: Session | None = None
        self.rows: dict[str, QuestionRow] = {}
        self._loading = False
        self._compare_stale = True

        self.picker = w.ToggleButtons(
            options=[(fw.short_name, fw.id) for fw in self.frameworks.values()],
            value=framework,
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
        self.questions = w.Accordion()

        self.overall = w.HTML()
        self.radar = w.HTML()
        self.levels = w.HTML()
        self.table = w.HTML()
        self.targets_box = w.VBox()
        self.targets: dict[str, w.Dropdown] = {}
        self.gap = w.HTML()
        self.compare = w.HTML()
        self.round_button = w.Button(description="Start a new round", icon="history", layout=w.Layout(width="auto"))
        self.downloads_button = w.Button(
            description="Prepare downloads", icon="download", layout=w.Layout(width="auto")
        )
        self.downloads = w.HTML()
        self.upload = w.FileUpload(accept=".json", multiple=False, description="Load JSON")

        self.na_list = w.HTML()
        self.defend_pick = w.Dropdown(description="Defend", layout=w.Layout(width="auto"))
        self.defend = w.HTML()
        self.defend_pick.observe(lambda _change: self._draw_defence(), names="value")
        defend_box = w.VBox(
            [
                w.HTML("<b>Defend this score</b>: the rule and the questions that decided a dimension"),
                self.defend_pick,
                self.defend,
            ]
        )
        results = w.VBox([self.overall, self.radar, self.levels, self.table, self.na_list, defend_box])
        plan = w.VBox(
            [
                w.HTML("<b>Target level per dimension</b>"),
                self.targets_box,
                w.HTML("<b>Gap to target, in the order to work on it</b>"),
                self.gap,
            ]
        )
        files = w.VBox(
            [
                w.HTML("Every change is saved at once. Start a new round to compare progress later."),
                self.round_button,
                self.downloads_button,
                self.downloads,
                w.HTML("Load an assessment saved earlier (replaces this respondent's answers):"),
                self.upload,
            ]
        )
        self.tabs = w.Tab(children=[results, plan, w.VBox([self.compare]), files])
        for i, title in enumerate(["Results", "Next steps", "Compare models", "Save & share"]):
            self.tabs.set_title(i, title)

        header = w.VBox(
            [
                w.HTML(views.STYLE + "<h2 style='margin:4px 0'>MLOps maturity workbook</h2>"),
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
        body = w.HBox(
            [
                w.VBox([self.intro, self.questions], layout=w.Layout(width="52%", padding="0 12px 0 0")),
                w.VBox([self.tabs], layout=w.Layout(width="48%")),
            ],
            layout=w.Layout(flex_flow="row wrap"),
        )
        self.widget = w.VBox([header, body], layout=w.Layout(padding="4px"))
        self.widget.add_class("mw-app")
        for widget, name in (
            (self.overall, "overall"),
            (self.radar, "radar"),
            (self.levels, "levels"),
            (self.status, "status"),
            (self.problems, "problems"),
            (self.gap, "gap"),
        ):
            widget.add_class(f"mw-{name}")

        self.picker.observe(self._on_framework, names="value")
        self.open_button.on_click(self._on_open)
        self.organisation.observe(self._on_organisation, names="value")
        self.team.observe(self._on_identity, names="value")
        self.respondent.observe(self._on_identity, names="value")
        self.round_button.on_click(self._on_new_round)
        self.downloads_button.on_click(self._on_downloads)
        self.upload.observe(self._on_upload, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.questions.observe(self._on_page, names="selected_index")
        self._open()

    @classmethod
    def for_page(
        cls,
        framework: str = "aws",
        *,
        team: str = DEMO_TEAM,
        respondent: str = DEMO_RESPONDENT,
        organisation: str = "",
        folder: str | Path = "",
        frameworks: Sequence[str] = ("aws", "gcp", "azure"),
    ) -> App:
        """The app for a Voilà page: ``?framework=…&team=…&respondent=…`` in the URL win.

        A facilitator can hand each participant a link that opens their own file.
        In a preheated Voilà kernel this waits for the page request first, so the
        app shows the files as they are when the page opens.
        """
        charts.warm_up()  # in a pre-heated kernel, before the page is requested
        for fid in frameworks:
            load_framework(fid)
        request = page_request()
        chosen = request.get("framework", framework)
        return cls(
            chosen if chosen in frameworks else framework,
            team=request.get("team", team),
            respondent=request.get("respondent", respondent),
            organisation=request.get("organisation", organisation),
            folder=folder,
            frameworks=frameworks,
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ opening

    @property
    def framework(self) -> Framework:
        return self.frameworks[self.picker.value]

    @_guarded
    def _open(self) -> None:
        team, respondent = self.team.value.strip(), self.respondent.value.strip()
        if not team or not respondent:
            self._show_problems(["Enter a team and a respondent code, then press 'Open / resume'."])
            return
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
            self._build_questions(fw)
            self._build_targets(fw)
        finally:
            self._loading = False
        self._show_problems([str(p) for p in self.session.problems])
        self.intro.value = (
            f"<div class='mw-card'><b>{escape(fw.name)}</b> — answer each statement for your team: "
            "0 not in place … 4 fully in place and routine; N/A if it does not apply, ? if you don't know. "
            "Open <i>Why it matters</i> for an explanation.</div>"
        )
        self._refresh()
        self._show_saved()

    def _build_questions(self, fw: Framework) -> None:
        """One accordion page per dimension; its rows are built when the page is first opened."""
        self.rows = {}
        self.questions.children = [w.VBox() for _ in fw.dimensions]
        for i, d in enumerate(fw.dimensions):
            self.questions.set_title(i, f"{d.name} ({len(fw.questions_for(d.id))})")
        self.questions.selected_index = 0
        self._build_page(0)

    def _build_page(self, index: int | None) -> None:
        if index is None or self.session is None:
            return
        fw = self.framework
        page = self.questions.children[index]
        if page.children:
            return
        answers = self.session.assessment.answers
        rows = [QuestionRow(fw, q, self._shared) for q in fw.questions_for(fw.dimensions[index].id)]
        self._loading = True
        try:
            for row in rows:
                self.rows[row.question.id] = row
                a = answers.get(row.question.id)
                row.show(a.value if a else None, a.note if a else "", a.na_reason if a else "")
                row.buttons.observe(functools.partial(self._on_answer, row.question.id), names="value")
                row.clear.on_click(functools.partial(self._on_clear, row.question.id))
                row.note.observe(functools.partial(self._on_note, row.question.id), names="value")
                row.na_reason.observe(functools.partial(self._on_na_reason, row.question.id), names="value")
        finally:
            self._loading = False
        page.children = [r.box for r in rows]

    @_guarded
    def _on_page(self, change: dict[str, Any]) -> None:
        self._build_page(change["new"])

    def row(self, question_id: str) -> QuestionRow:
        """The widgets of one question, building its dimension's page if needed."""
        if question_id not in self.rows:
            dimension = self.framework.question(question_id).dimension
            self._build_page([d.id for d in self.framework.dimensions].index(dimension))
        return self.rows[question_id]

    def _build_targets(self, fw: Framework) -> None:
        options = [("no target", "")] + [(lv.name, lv.id) for lv in fw.levels_by_rank[1:]]
        self.targets = {}
        for d in fw.dimensions:
            current = self.session.assessment.targets.get(d.id, "") if self.session else ""
            dropdown = w.Dropdown(
                options=options,
                value=current if current in dict(options).values() else "",
                description=d.name,
                style={"description_width": "170px"},
                layout=w.Layout(width="440px"),
            )
            dropdown.observe(functools.partial(self._on_target, d.id), names="value")
            self.targets[d.id] = dropdown
        self.targets_box.children = list(self.targets.values())

    # ------------------------------------------------------------------ handlers

    @_guarded
    def _on_framework(self, change: dict[str, Any]) -> None:
        self._open()

    @_guarded
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
            self.status.value = (
                "<span class='mw-hint'>Press <b>Open / resume</b> to open the answers of this team and "
                "respondent; until then changes go to the assessment shown below.</span>"
            )
        else:
            self._show_saved()

    @_guarded
    def _on_organisation(self, change: dict[str, Any]) -> None:
        if self.session and not self._loading:
            self.session.rename(organisation=change["new"])
            self._show_saved()

    def _sync(self, keep: str = "") -> None:
        """Pick up answers saved elsewhere (another tab or kernel) before changing anything."""
        if self.session is None or not self.session.sync():
            return
        self._loading = True
        try:
            for qid, row in self.rows.items():
                if qid == keep:  # the widget the person just changed shows what they chose
                    continue
                a = self.session.assessment.answers.get(qid)
                if row.buttons.value != (a.value if a else None) or row.note.value != (a.note if a else ""):
                    row.show(a.value if a else None, a.note if a else "", a.na_reason if a else "")
            for dim, dropdown in self.targets.items():
                dropdown.value = self.session.assessment.targets.get(dim, "")
        finally:
            self._loading = False

    @_guarded
    def _on_answer(self, question_id: str, change: dict[str, Any]) -> None:
        if self._loading or self.session is None:
            return
        self._sync(keep=question_id)
        row = self.rows[question_id]
        row.na_reason.layout.display = "" if change["new"] == "na" else "none"
        if change["new"] == "na" and not row.na_reason.value.strip():
            # N/A comes with a reason: ask for it first; the answer is saved once it is given.
            row.na_reason.focus()
            self.status.value = (
                "<span class='mw-hint'>Say why this does not apply: N/A is saved once a reason is given.</span>"
            )
            return
        self.session.answer(question_id, change["new"])
        self._sync(keep=question_id)  # the save merged answers given elsewhere: show them too
        self._show_saved()
        self._refresh()

    @_guarded
    def _on_clear(self, question_id: str, _button: w.Button) -> None:
        self.rows[question_id].buttons.value = None

    @_guarded
    def _on_note(self, question_id: str, change: dict[str, Any]) -> None:
        if not self._loading and self.session:
            self._sync(keep=question_id)
            self.session.note(question_id, change["new"])
            self._show_saved()

    @_guarded
    def _on_na_reason(self, question_id: str, change: dict[str, Any]) -> None:
        if self._loading or self.session is None:
            return
        self._sync(keep=question_id)
        self.session.na_reason(question_id, change["new"])
        saved = self.session.assessment.answers.get(question_id)
        if self.rows[question_id].buttons.value == "na" and change["new"].strip() and saved and saved.value != "na":
            self.session.answer(question_id, "na")  # the N/A chosen before its reason
            self._refresh()
        self._show_saved()

    @_guarded
    def _on_target(self, dimension_id: str, change: dict[str, Any]) -> None:
        if self._loading or self.session is None:
            return
        self._sync()
        self.session.target(dimension_id, change["new"] or None)
        self._show_saved()
        self._refresh()

    @_guarded
    def _on_new_round(self, _button: w.Button) -> None:
        if self.session is None:
            return
        archive = self.session.new_round()
        self._show_saved(
            f"Round {self.session.assessment.round} started; round "
            f"{self.session.assessment.round - 1} kept as {archive.name}."
        )
        self._refresh()

    @_guarded
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files or self.session is None:
            return
        item = files[0]
        problems = self.session.replace_with_upload(bytes(item["content"]), item["name"])
        errors = [str(p) for p in problems if p.severity == "error"]
        if errors:
            self._show_problems(["The uploaded file was not loaded; nothing changed.", *errors])
        else:
            self._open()
            self._show_problems([str(p) for p in problems])
            self._show_saved(f"Loaded {item['name']}.")
        self.upload.value = ()

    @_guarded
    def _on_downloads(self, _button: w.Button) -> None:
        self.downloads.value = self.download_links()

    # ------------------------------------------------------------------ views

    def card(self) -> ScoreCard:
        assert self.session is not None
        return self.session.score()

    def report(self) -> report_html.Report:
        """The current state as a report: the same charts and sections as the batch reports."""
        assert self.session is not None
        previous = self.session.previous()
        return report_html.Report(
            assessment=self.session.assessment,
            framework=self.framework,
            card=self.card(),
            source=self.session.path.name,
            previous=previous,
            previous_card=score_assessment(self.framework, previous) if previous else None,
        )

    @_guarded
    def _refresh(self) -> None:
        if self.session is None:
            return
        report = self.report()
        fw, card = report.framework, report.card
        self.overall.value = views.overall_html(fw, card)
        self.radar.value = report_html.radar_svg(report) + views.table_details(
            charts.radar_table(fw, card, report.previous_card)
        )
        self.levels.value = report_html.level_svg(report) + views.table_details(charts.level_table(fw, card))
        self.table.value = views.dimensions_html(fw, card, report.previous_card)
        self.na_list.value = views.na_html(fw, report.assessment, card)
        options = [(d.name, d.id) for d in fw.dimensions]
        if list(self.defend_pick.options) != options:  # a new model: its dimensions, the first one shown
            self.defend_pick.options = options
        self._draw_defence(report)
        self.gap.value = views.gap_html(fw, card)
        self._compare_stale = True
        if self.tabs.selected_index == COMPARE_TAB:  # drawn only when looked at: it reads other files
            self._draw_compare()

    @_guarded
    def _draw_defence(self, report: report_html.Report | None = None) -> None:
        """'Defend this score' for the picked dimension (Results tab)."""
        if self.session is None or self.defend_pick.value is None:
            return
        report = report or self.report()
        self.defend.value = views.defend_html(report.framework, report.assessment, report.card, self.defend_pick.value)

    def _draw_compare(self) -> None:
        if self._compare_stale and self.session is not None:
            self.compare.value = self._compare_html(self.card())
            self._compare_stale = False

    @_guarded
    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] == COMPARE_TAB:
            self._draw_compare()

    def _compare_html(self, card: ScoreCard) -> str:
        """This team's saved assessments of every model, placed on the common scale."""
        comparison = compare_team(
            self.team.value.strip(),
            self.respondent.value.strip(),
            folder=self.folder,
            frameworks=tuple(self.frameworks),
        )
        cards = {**comparison.cards, self.framework.id: card}
        chart = charts.crosswalk_chart(list(self.frameworks.values()), cards)
        return (
            "<div class='mw-card'>Where this team stands on each model, placed on one common scale "
            "(bands from the crosswalk of the three models).</div>"
            + charts.to_svg(chart)
            + views.table_details(charts.crosswalk_table(list(self.frameworks.values())))
        )

    def _show_saved(self, message: str = "") -> None:
        if self._save_failed:  # the save that failed has been followed by a good one
            self._save_failed = False
            self._show_problems([str(p) for p in self.session.problems] if self.session else [])
        if self.is_example:
            self.status.value = EXAMPLE_STATUS + (f" {escape(message)}" if message else "")
            return
        if self.session and self.session.saved_at:
            self.bridge.saved_at = f"{self.session.saved_at:%H:%M:%S}"
            self.status.value = (
                f"<span class='mw-ok'>✔ Saved at {self.session.saved_at:%H:%M:%S}</span> "
                f"<span class='mw-muted'>to {escape(str(self.session.path))}</span> {escape(message)}"
            )

    def _show_problems(self, messages: list[str]) -> None:
        self.problems.value = views.problems_html(messages)

    # ------------------------------------------------------------------ downloads

    def download_links(self) -> str:
        """Data-URI links (they work in Voilà, where server paths do not)."""
        assert self.session is not None
        report = self.report()
        fw, a, card = report.framework, report.assessment, report.card
        radar = charts.radar_chart(fw, card, previous=report.previous_card)
        levels = charts.level_chart(fw, card)
        radar_svg, levels_svg = charts.to_svg(radar), charts.to_svg(levels)
        stem = f"{slug(a.team, 'team')}--{slug(a.respondent)}--{fw.id}"
        csv = io.StringIO()
        csv.write(files.frame_csv(answers_table(fw, a.answers)))  # formula-like cells made inert
        links = [
            (f"{stem}.json", "application/json", to_json(a).encode()),
            (f"{stem}-answers.csv", "text/csv", csv.getvalue().encode()),
            (f"{stem}-radar.svg", "image/svg+xml", radar_svg.encode()),
            (f"{stem}-radar.png", "image/png", charts.to_png(radar)),
            (f"{stem}-levels.svg", "image/svg+xml", levels_svg.encode()),
            (f"{stem}-levels.png", "image/png", charts.to_png(levels)),
            (f"{stem}-report.html", "text/html", report_html.page_html(report).encode()),
        ]
        return views.download_links_html(links)


def answers_table(framework: Framework, answers: dict[str, Any]) -> Any:
    """One row per question: id, dimension, level, statement, answer, note, N/A reason."""
    import pandas as pd

    rows = []
    for q in framework.questions:
        a = answers.get(q.id)
        rows.append(
            {
                "question": q.id,
                "dimension": q.dimension,
                "level": q.level,
                "statement": q.text,
                "value": "" if a is None or a.value is None else a.value,
                "note": a.note if a else "",
                "na_reason": a.na_reason if a else "",
            }
        )
    return pd.DataFrame(rows)
