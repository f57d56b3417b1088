"""The error guard: every failure becomes a message that says what to do, never a bare exception class."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_workbook.app.controls import ANSWER_OPTIONS, ERROR_LOG, answer_buttons, guarded
from mlops_workbook.app.session import Session
from mlops_workbook.app.widgets import App
from mlops_workbook.model.errors import Problem, WorkbookError

QUESTION = "aws.deploy.automated_deployment"


class Page:
    """The least a guarded page has: where problems show, and its folder."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.shown: list[str] = []

    def show_problems(self, messages: list[str]) -> None:
        self.shown = messages

    @guarded(action="import the answers")
    def fail_with(self, exc: Exception) -> None:
        raise exc

    @guarded
    def _on_refresh(self) -> None:
        raise KeyError("internal")


def test_a_file_problem_names_the_file_and_the_fix(tmp_path):
    page = Page(tmp_path)
    page.fail_with(WorkbookError([Problem("team.json", "answers", "is not a mapping", "save it again")]))
    assert len(page.shown) == 1 and "team.json" in page.shown[0] and "save it again" in page.shown[0]


def test_a_disk_error_names_the_action_the_file_and_what_is_safe(tmp_path):
    page = Page(tmp_path)
    page.fail_with(PermissionError(13, "Permission denied", "/srv/a.json"))
    assert page.shown[0].startswith("Could not import the answers (/srv/a.json): Permission denied.")
    assert "Answers saved before are safe" in page.shown[0]


def test_a_bad_value_says_what_failed_and_to_check_the_input(tmp_path):
    page = Page(tmp_path)
    page.fail_with(ValueError("round must be a whole number"))
    assert page.shown == [
        "Could not import the answers: round must be a whole number. Check what was typed or chosen, then try again."
    ]


def test_an_unexpected_error_names_the_action_and_the_log_not_the_class(tmp_path):
    page = Page(tmp_path)
    page.fail_with(RuntimeError("vl-convert: engine gone"))
    (message,) = page.shown
    log = tmp_path / ERROR_LOG
    assert "Could not import the answers" in message and str(log) in message
    assert "RuntimeError" not in message and "engine gone" not in message  # fails with the old catch-all
    assert "RuntimeError: vl-convert: engine gone" in log.read_text(encoding="utf-8")


def test_without_an_action_the_handler_name_says_what_failed(tmp_path):
    page = Page(None)  # no folder: the log goes to the temporary directory
    page._on_refresh()
    assert page.shown[0].startswith("Could not refresh:") and "KeyError" not in page.shown[0]


def test_the_app_reports_an_unexpected_failure_while_saving(tmp_path, monkeypatch: pytest.MonkeyPatch):
    app = App("aws", team="T", respondent="R", folder=tmp_path)

    def broken(*args, **kwargs):
        raise AttributeError("'NoneType' object has no attribute 'value'")

    monkeypatch.setattr(Session, "answer", broken)
    app.row(QUESTION).buttons.value = 3
    assert "Could not save your answer" in app.problems.value and ERROR_LOG in app.problems.value
    assert "AttributeError" not in app.problems.value and "NoneType" not in app.problems.value


def test_answer_buttons_offer_the_scale_na_and_dont_know(tiny):
    buttons = answer_buttons(tiny)
    assert [v for _, v in buttons.options] == [v for _, v in ANSWER_OPTIONS] == [0, 1, 2, 3, 4, "na", "unknown"]
    assert buttons.value is None and len(buttons.tooltips) == len(ANSWER_OPTIONS)
