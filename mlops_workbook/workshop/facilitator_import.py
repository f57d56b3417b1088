"""The facilitator page's CSV panel: a blank template to download, and answers to import.

For workshops whose participants answer in a form or spreadsheet instead of the app:
the layout is the one of :mod:`mlops_workbook.workshop.responses_csv`. Imported rows become
ordinary respondent files in the shared folder; a participant's own file is never
overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from mlops_workbook.app.controls import guarded
from mlops_workbook.model.errors import WorkbookError, display_name
from mlops_workbook.model.schema import Framework
from mlops_workbook.render import views
from mlops_workbook.workshop.responses_csv import csv_template, parse_csv, save_imported


class CsvPanel:
    """Template download and CSV upload, for one model at a time."""

    def __init__(self, framework: Callable[[], Framework], folder: Path, on_import: Callable[[], Any]):
        self._framework = framework
        self.folder = folder
        self._on_import = on_import
        self.template = w.HTML()
        self.upload = w.FileUpload(accept=".csv,text/csv", multiple=False, description="Import CSV")
        self.result = w.HTML()
        self.result.add_class("mw-import-result")
        self.widget = w.VBox(
            [
                w.HTML(
                    "<b>Answers from a form or spreadsheet</b> — one row per respondent, one column per question "
                    "id; cells 0–4, <code>na</code>, <code>unknown</code> or empty."
                ),
                self.template,
                self.upload,
                self.result,
            ]
        )
        self.upload.observe(self._on_upload, names="value")
        self.show_template()

    def show_template(self) -> None:
        fw = self._framework()
        self.template.value = views.download_links_html(
            [(f"{fw.id}-responses-template.csv", "text/csv", csv_template(fw, example=True).encode())]
        )

    @guarded(action="import the CSV file")
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        try:
            self.result.value = self.import_bytes(bytes(item["content"]), item["name"])
        finally:
            self.upload.value = ()  # the same file can be chosen again

    def show_problems(self, messages: list[str]) -> None:
        """Where :func:`~mlops_workbook.app.controls.guarded` reports what the import could not do."""
        self.result.value = views.problems_html(messages)

    def import_bytes(self, content: bytes, name: str) -> str:
        """Import one uploaded CSV; return the HTML report of what happened.

        Never raises for the file's content (every problem is listed, with its row and column)
        nor for a folder it cannot write into (:func:`not_writable_message`).
        """
        fw = self._framework()
        try:
            assessments, problems = parse_csv(content, fw, Path(name).name or "upload.csv")
        except WorkbookError as exc:
            return views.problems_html(["Nothing was imported.", *(str(p) for p in exc.problems)])
        try:
            written, not_written = save_imported(assessments, fw, self.folder)
        except OSError as exc:
            self._on_import()  # respondents saved before the failure show up on the page
            return views.problems_html([not_writable_message(exc, self.folder / fw.id)])
        if written:
            self._on_import()
        messages = [str(p) for p in [*problems, *not_written]]
        done = (
            f"<div class='mw-card mw-ok'>Imported {len(written)} respondent(s) into "
            f"{escape(display_name(self.folder / fw.id))}.</div>"
        )
        return done + views.problems_html(messages)


def not_writable_message(exc: OSError, folder: Path) -> str:
    """What to do when imported respondents cannot be written into the shared folder.

    >>> not_writable_message(PermissionError(13, "Permission denied", "a/b.json"), Path("a"))[:62]
    'Import stopped: could not write a/b.json (Permission denied). '
    """
    where = exc.filename or display_name(folder)
    return (
        f"Import stopped: could not write {where} ({exc.strerror or exc}). Check that {display_name(folder)} "
        "exists, that this server may write into it and that the disk is not full, then import the same file "
        "again: respondents already imported are reported as existing, never written twice."
    )


__all__ = ["CsvPanel", "not_writable_message"]
