"""The app's "Quick: all models" view: answer the core questionnaire once, see every model's level.

The core items are shown with the app's own question rows (:mod:`mlops_workbook.app.questions`:
the same answer buttons, N/A reason and note), one page per capability theme: :func:`core_bank`
presents the core questionnaire as a question bank for them. Every change is saved to the
person's core file and every model derived again (:class:`~mlops_workbook.app.core_session.CoreSession`);
the right-hand side shows each model's level and, per model question, the answer and the core
item(s) it comes from. An answer changed in a model's own view wins over the derived one.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, Protocol

import ipywidgets as w

from mlops_workbook import charts
from mlops_workbook.app.answering import AnswerHandlers
from mlops_workbook.app.controls import guarded
from mlops_workbook.app.core_session import CoreSession
from mlops_workbook.app.questions import QuestionPages, QuestionRow
from mlops_workbook.app.session import DEMO_RESPONDENT, DEMO_TEAM
from mlops_workbook.app.status import saved_status
from mlops_workbook.model.core import CoreBundle, load_core_bundle
from mlops_workbook.model.frameworks import load_scales, load_themes
from mlops_workbook.model.schema import Answer, Assessment, Framework
from mlops_workbook.render import views
from mlops_workbook.scoring.explanations import describe_answer
from mlops_workbook.scoring.rules import ScoreCard, level_label, score_assessment

#: The model picker's value and label for answering once.
QUICK = "quick"
QUICK_LABEL = "Quick: all models"
#: Core items appear in the question rows as ``core.<item id>``.
PREFIX = "core."
DEMO_HINT = (
    "The quick questionnaire saves your answers and derives every model from them: enter your team and a "
    "respondent code above, then press 'Open / resume'."
)


def with_quick(options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The model picker's options, with "Quick: all models" when there are several models."""
    return [*options, (QUICK_LABEL, QUICK)] if len(options) > 1 else options


def core_bank(bundle: CoreBundle) -> Framework:
    """The core questionnaire as a question bank for the app's question rows: one dimension per
    capability theme (in the order the items first use them), one question ``core.<item id>`` per item."""
    core, themes = bundle.core, load_themes()
    used = list(dict.fromkeys(item.theme for item in core.items))
    data = {
        "id": "core",
        "name": core.name,
        "short_name": "Core",
        "publisher": "mlops-workbook",
        "version": core.version,
        "licence": core.licence,
        "sources": [{"id": "core", "title": "Core questionnaire (data/core/core.yaml)"}],
        "answer_scale": core.answer_scale,
        "met_threshold": 3,
        "levels": [
            {"id": "none", "rank": 0, "name": "Not yet", "summary": "The practice is not in place."},
            {"id": "core", "rank": 1, "name": "Core practice", "summary": "A practice of the core questionnaire."},
        ],
        "dimensions": [{"id": t, "name": themes[t].name if t in themes else t} for t in used],
        "questions": [
            {
                "id": PREFIX + item.id,
                "dimension": item.theme,
                "level": "core",
                "text": f"{item.title}: {item.statement}",
                "why": item.why,
                "next_step": item.next_step,
                "source": {"ref": "core", "criterion": "draws on " + ", ".join(item.sources)},
                "themes": [item.theme],
            }
            for item in core.items
        ],
    }
    return Framework.model_validate(data, context={"scales": load_scales()})


def intro_html(bundle: CoreBundle) -> str:
    """What the quick view does, naming the models derived from the core."""
    names = ", ".join(fw.short_name for fw in bundle.frameworks.values())
    return (
        "<div class='mw-card'><b>Answer once, see every model.</b> Each core practice decides questions of "
        f"{escape(names)}; your answers are saved and each model's assessment is derived from them. To change "
        "a derived answer, open that model above and answer it there: your answer wins.</div>"
    )


def levels_html(bundle: CoreBundle, cards: dict[str, ScoreCard], derived: dict[str, Assessment]) -> str:
    """One line per model: its overall level, and how many of its answers come from the core."""
    rows = []
    for fid, fw in bundle.frameworks.items():
        card, answers = cards[fid], derived[fid].answers.values()
        level = level_label(fw, card.overall.rank) if card.overall else "not assessed yet"
        from_core = sum(bool(a.derived_from) for a in answers)
        own = sum(a.value is not None and not a.derived_from for a in answers)
        mine = f", {own} in its own wording" if own else ""
        rows.append(
            f"<tr class='mw-quick-{escape(fid)}'><th scope='row'>{escape(fw.name)}</th>"
            f"<td class='mw-quick-level'><b>{escape(level)}</b>"
            f"{views.provisional_badge(card.overall.provisional) if card.overall else ''}</td>"
            f"<td>{from_core} of {len(fw.questions)} answers from core items{mine}</td></tr>"
        )
    return (
        "<table class='mw-table mw-quick-levels'><caption>Every model's level from your core answers</caption>"
        "<tr><th scope='col'>Model</th><th scope='col'>Overall level</th><th scope='col'>Derived</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def derivation_html(bundle: CoreBundle, framework: Framework, assessment: Assessment) -> str:
    """Per question of one model: the answer and where it comes from ("from core item X", or own wording)."""
    rows = []
    core_map = bundle.maps[framework.id]
    for q in framework.questions:
        a: Answer | None = assessment.answers.get(q.id)
        mapping = core_map.mapping(q.id)
        value = describe_answer(framework, a.value) if a and a.value is not None else "not answered"
        if a is not None and a.derived_from:
            names = ", ".join(f"{i} ({bundle.core.item(i).title})" for i in a.derived_from)
            where = f"from core item{'s' if len(a.derived_from) > 1 else ''} {names}"
            if mapping is not None and (mapping.relation == "stricter" or len(mapping.core) > 1):
                where += f" ({mapping.rule})"
        elif a is not None and a.value is not None:
            where = f"your answer in {framework.short_name}'s own wording (it wins over the core)"
        elif mapping is not None and mapping.mapped:
            where = f"not derived yet: answer core item{'s' if len(mapping.core) > 1 else ''} {', '.join(mapping.core)}"
        else:
            where = "no core item decides it: answer it in the model's own view"
        rows.append(
            f"<tr><td>{escape(q.text)}<br><code>{escape(q.id)}</code></td><td>{escape(value)}</td>"
            f"<td class='mw-derivation'>{escape(where)}</td></tr>"
        )
    return (
        f"<details class='mw-quick-derivation mw-quick-derivation-{escape(framework.id)}'>"
        f"<summary>{escape(framework.name)}: each answer and where it comes from</summary>"
        "<table class='mw-table'><tr><th scope='col'>Question</th><th scope='col'>Answer</th>"
        f"<th scope='col'>From</th></tr>{''.join(rows)}</table></details>"
    )


class QuickHost(Protocol):
    """What the quick view needs of the app around it."""

    body: w.Box
    session: Any
    status: w.HTML
    problems: w.HTML
    folder: Path
    bridge: Any

    def show_problems(self, messages: list[str]) -> None: ...


class QuickView(AnswerHandlers):
    """Core items on the left (a page per theme), every model's level and derivation on the right."""

    def __init__(self, host: QuickHost) -> None:
        self.host = host
        self.folder = host.folder  # the error log goes there (controls.guarded)
        self.session: CoreSession | None = None
        self.bundle: CoreBundle | None = None
        self.pages = QuestionPages(self._on_answer, self._on_clear, self._on_note, self._on_na_reason)
        self.levels = w.HTML()
        self.crosswalk = w.HTML()
        self.derivation = w.HTML()
        self.levels.add_class("mw-quick-results")
        self.intro = w.HTML()  # names the models derived, once the core bundle is read
        self.widget = w.HBox(
            [
                w.VBox([self.intro, self.pages.accordion], layout=w.Layout(width="52%", padding="0 12px 0 0")),
                w.VBox([self.levels, self.crosswalk, self.derivation], layout=w.Layout(width="48%")),
            ],
            layout=w.Layout(flex_flow="row wrap", display="none"),
        )
        self.widget.add_class("mw-quick")
        self.pages.accordion.observe(self._on_page, names="selected_index")
        self._save_failed = False
        self._loading = False
        self._crosswalk_levels: tuple[str, ...] | None = None  # the levels the chart shows

    @property
    def rows(self) -> dict[str, QuestionRow]:
        """The core item rows built so far, by ``core.<item id>``."""
        return self.pages.rows

    def row(self, item_id: str) -> QuestionRow:
        """The widgets of one core item, building its theme's page if needed."""
        return self.pages.row(PREFIX + item_id.removeprefix(PREFIX))

    def open(self, team: str, respondent: str, organisation: str) -> None:
        """Open (or start) this person's core answers and show them instead of the model view."""
        host = self.host
        host.session = None  # the model view rests while the quick view is shown
        host.body.layout.display = "none"
        self.widget.layout.display = "flex"
        self.session = None
        self.intro.value = intro_html(self._bundle())
        if (team, respondent) == (DEMO_TEAM, DEMO_RESPONDENT):  # the worked example's identity: nothing to save to
            host.bridge.point_to(QUICK, "", "")
            self.pages.open(core_bank(self._bundle()), dict)
            self.levels.value = self.crosswalk.value = self.derivation.value = ""
            self._crosswalk_levels = None
            self.show_problems([DEMO_HINT])
            return
        host.bridge.point_to(QUICK, team, respondent)
        self.session = CoreSession.open(
            self._bundle(), team=team, respondent=respondent, organisation=organisation, folder=self.folder
        )
        self._loading = True
        try:
            self.pages.open(core_bank(self._bundle()), self._answers)
        finally:
            self._loading = False
        self.show_problems([str(p) for p in self.session.problems])
        self.draw()
        self.host.status.value = (
            f"<span class='mw-muted'>Your core answers: {escape(str(self.session.path))}; every model is derived "
            "into its own file.</span>"
        )

    def close(self) -> None:
        """Back to one model's view."""
        self.widget.layout.display = "none"
        self.host.body.layout.display = "flex"
        self.session = None

    def _bundle(self) -> CoreBundle:
        if self.bundle is None:  # read when first needed: the model views do without it
            self.bundle = load_core_bundle()
        return self.bundle

    def _answers(self) -> dict[str, Answer]:
        return {PREFIX + k: a for k, a in self.session.answers.answers.items()} if self.session else {}

    def draw(self) -> None:
        """Every model's level, the common-scale chart, and each answer's derivation."""
        if self.session is None or self.bundle is None:
            return
        derived, frameworks = self.session.derived, self.bundle.frameworks
        cards = {fid: score_assessment(fw, derived[fid]) for fid, fw in frameworks.items()}
        self.levels.value = levels_html(self.bundle, cards, derived)
        drawn = tuple(card.overall.level_id if card.overall else "" for card in cards.values())
        if drawn != self._crosswalk_levels:  # the SVG shows only the levels (scores are in its tooltips)
            chart = charts.crosswalk_chart(list(frameworks.values()), cards)
            self.crosswalk.value, self._crosswalk_levels = charts.to_svg(chart), drawn
        self.derivation.value = "".join(
            derivation_html(self.bundle, fw, derived[fid]) for fid, fw in frameworks.items()
        )

    # ------------------------------------------------------------------ handlers (as the model view's)

    def _sync(self, keep: str) -> None:
        if self.session is not None and self.session.sync():
            self._loading = True
            try:
                self.pages.show_answers(self._answers(), keep=keep)
            finally:
                self._loading = False

    @guarded(action="show this theme's core items")
    def _on_page(self, change: dict[str, Any]) -> None:
        self.pages.build(change["new"])

    # ------------------------------------------------------------------ what the answer handlers need (AnswerHandlers)

    def item(self, question_id: str) -> str:
        return question_id.removeprefix(PREFIX)

    def status_line(self) -> w.HTML:
        return self.host.status

    def saved(self, item: str) -> Answer | None:
        return self.session.answers.answers.get(item) if self.session else None

    def answered(self, question_id: str) -> None:
        self._show_saved()
        self.draw()

    def noted(self) -> None:
        self._show_saved()
        self.draw()

    def _show_saved(self) -> None:
        if self._save_failed:
            self._save_failed = False
            self.show_problems([])
        if self.session is not None and self.session.saved_at:
            self.host.status.value = saved_status(
                self.session.saved_at, self.session.path, "Every model derived again."
            )

    def show_problems(self, messages: list[str]) -> None:
        self.host.problems.value = views.problems_html(messages)
