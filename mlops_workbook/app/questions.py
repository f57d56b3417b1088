"""The app's questions: one accordion page per dimension, one row of widgets per question.

A page's rows are built when the page is first opened, so a model with a hundred questions opens
with one page of widgets; the app passes the handlers every row reports to.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from mlops_workbook.app.access import PageAccess
from mlops_workbook.app.controls import answer_buttons, button_width
from mlops_workbook.app.status import NA_HINT
from mlops_workbook.model.schema import Answer, Framework, Question
from mlops_workbook.render import views

#: A row's handler: called with the question id, then the widget's change (or the button).
Handler = Callable[..., Any]


class RowLayouts:
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

    def __init__(self, framework: Framework, question: Question, shared: RowLayouts):
        self.question = question
        # The descriptions name each control after its question for screen readers (shown to them only)
        self.buttons = answer_buttons(
            framework, description=f"Answer: {question.text}", style=shared.buttons_style, layout=shared.auto
        )
        self.clear = w.Button(
            description="clear", tooltip="Take the answer back (the note is kept)", layout=shared.clear
        )
        self.clear.add_class("mw-clear")
        # Its own layout: it is shown and hidden per row.
        self.na_reason = w.Text(
            placeholder="Why does this not apply?",
            description=f"Why does this not apply: {question.text}",
            layout=w.Layout(width="95%", display="none"),
        )
        self.note = w.Textarea(
            placeholder="Evidence or context (optional)",
            description=f"Evidence or context (optional): {question.text}",
            rows=2,
            layout=shared.note,
        )
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

    def waits_for_reason(self, value: int | str | None, status: w.HTML) -> bool:
        """Show the N/A reason box while N/A is picked; True while its reason is missing.

        N/A comes with a reason: the box gets the focus and ``status`` says so, and the answer is
        saved once the reason is given (the reason's handler saves it).
        """
        self.na_reason.layout.display = "" if value == "na" else "none"
        if value == "na" and not self.na_reason.value.strip():
            self.na_reason.focus()
            status.value = NA_HINT
            return True
        return False


class QuestionPages:
    """The accordion of questions of the open model, and the rows built so far (by question id).

    :attr:`widget` shows the accordion with the page's keyboard and screen-reader support
    (:attr:`access`, which also announces what the app tells it).
    """

    def __init__(self, on_answer: Handler, on_clear: Handler, on_note: Handler, on_na_reason: Handler) -> None:
        self.accordion = w.Accordion()
        self.accordion.add_class("mw-questions")
        self.access = PageAccess()
        self.widget = w.VBox([self.access, self.accordion])
        self.rows: dict[str, QuestionRow] = {}
        self._layouts = RowLayouts()
        self._handlers = (on_answer, on_clear, on_note, on_na_reason)
        self._framework: Framework | None = None
        self._answers: Callable[[], Mapping[str, Answer]] = dict

    def open(self, framework: Framework, answers: Callable[[], Mapping[str, Answer]]) -> None:
        """One empty page per dimension of ``framework``; the first one built and shown."""
        self._framework, self._answers = framework, answers
        self._layouts.buttons_style.button_width = button_width(framework)  # rows are rebuilt below
        self.rows = {}
        self.accordion.children = [w.VBox() for _ in framework.dimensions]
        for i, d in enumerate(framework.dimensions):
            self.accordion.set_title(i, f"{d.name} ({len(framework.questions_for(d.id))})")
        self.accordion.selected_index = 0
        self.build(0)

    def build(self, index: int | None) -> None:
        """Build the rows of page ``index`` (once), showing the saved answers."""
        fw = self._framework
        if index is None or fw is None or self.accordion.children[index].children:
            return
        answers = self._answers()
        on_answer, on_clear, on_note, on_na_reason = self._handlers
        rows = [QuestionRow(fw, q, self._layouts) for q in fw.questions_for(fw.dimensions[index].id)]
        for row in rows:
            qid = row.question.id
            self.rows[qid] = row
            a = answers.get(qid)
            row.show(a.value if a else None, a.note if a else "", a.na_reason if a else "")
            # observed after the answers are shown: showing them saves nothing
            row.buttons.observe(functools.partial(on_answer, qid), names="value")
            row.clear.on_click(functools.partial(on_clear, qid))
            row.note.observe(functools.partial(on_note, qid), names="value")
            row.na_reason.observe(functools.partial(on_na_reason, qid), names="value")
        self.accordion.children[index].children = [r.box for r in rows]

    def show_answers(self, answers: Mapping[str, Answer], keep: str = "") -> None:
        """Show ``answers`` in the rows built so far, but for question ``keep`` (the one being changed)."""
        for qid, row in self.rows.items():
            a = answers.get(qid)
            if qid != keep and (
                row.buttons.value != (a.value if a else None) or row.note.value != (a.note if a else "")
            ):
                row.show(a.value if a else None, a.note if a else "", a.na_reason if a else "")

    def row(self, question_id: str) -> QuestionRow:
        """The widgets of one question, building its dimension's page if needed."""
        if question_id not in self.rows and self._framework is not None:
            dimension = self._framework.question(question_id).dimension
            self.build([d.id for d in self._framework.dimensions].index(dimension))
        return self.rows[question_id]
