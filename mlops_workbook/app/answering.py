"""What a view does when a question row reports a change: one set of handlers for the app and the quick view.

Both views show :class:`~mlops_workbook.app.questions.QuestionPages` rows and save to a session
the same way: pick up answers saved elsewhere first, ask for a reason before saving N/A, save,
then say so and redraw. A view says only how a row's id names the saved item, where its status
line is, and what follows a saved answer and a saved note.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from mlops_workbook.app.controls import guarded
from mlops_workbook.app.questions import QuestionRow
from mlops_workbook.model.schema import Answer


class AnswerHandlers:
    """The handlers a view passes to its ``QuestionPages`` (``_on_answer``, ``_on_clear``, ``_on_note``,
    ``_on_na_reason``), run under :func:`~mlops_workbook.app.controls.guarded`.

    A view defines ``session``, ``rows``, ``_loading``, ``_sync(keep)``, ``status_line()``, ``saved(item)``,
    ``answered(question_id)`` and ``noted()``; ``item()`` maps a row's id to the saved item's (the same by default).
    """

    session: Any
    _loading: bool

    @property
    def rows(self) -> dict[str, QuestionRow]:
        raise NotImplementedError

    def _sync(self, keep: str) -> None:
        raise NotImplementedError

    def status_line(self) -> w.HTML:
        raise NotImplementedError

    def saved(self, item: str) -> Answer | None:
        raise NotImplementedError

    def answered(self, question_id: str) -> None:
        raise NotImplementedError

    def noted(self) -> None:
        raise NotImplementedError

    def item(self, question_id: str) -> str:
        return question_id

    @guarded(action="save your answer")
    def _on_answer(self, question_id: str, change: dict[str, Any]) -> None:
        if self._loading or self.session is None:
            return
        self._sync(question_id)
        if self.rows[question_id].waits_for_reason(change["new"], self.status_line()):
            return
        self.session.answer(self.item(question_id), change["new"])
        self.answered(question_id)

    @guarded(action="clear the answer")
    def _on_clear(self, question_id: str, _button: w.Button) -> None:
        self.rows[question_id].buttons.value = None

    @guarded(action="save your note")
    def _on_note(self, question_id: str, change: dict[str, Any]) -> None:
        if self._loading or self.session is None:
            return
        self._sync(question_id)
        self.session.note(self.item(question_id), change["new"])
        self.noted()

    @guarded(action="save the reason for N/A")
    def _on_na_reason(self, question_id: str, change: dict[str, Any]) -> None:
        if self._loading or self.session is None:
            return
        self._sync(question_id)
        item = self.item(question_id)
        self.session.na_reason(item, change["new"])
        saved = self.saved(item)
        if self.rows[question_id].buttons.value == "na" and change["new"].strip() and saved and saved.value != "na":
            self.session.answer(item, "na")  # the N/A chosen before its reason
            self.answered(question_id)
        else:
            self.noted()
