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

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        try:
            self.result.value = self.import_bytes(bytes(item["content"]), item["name"])
        except Exception as exc:
            self.result.value = views.problems_html([f"Import failed: {type(exc).__name__}: {exc}"])
        self.upload.value = ()

    def import_bytes(self, content: bytes, name: str) -> str:
        """Import one uploaded CSV; return the HTML report of what happened."""
        fw = self._framework()
        try:
            assessments, problems = parse_csv(content, fw, Path(name).name or "upload.csv")
        except WorkbookError as exc:
            return views.problems_html(["Nothing was imported.", *(str(p) for p in exc.problems)])
        written, not_written = save_imported(assessments, fw, self.folder)
        if written:
            self._on_import()
        messages = [str(p) for p in [*problems, *not_written]]
        done = (
            f"<div class='mw-card mw-ok'>Imported {len(written)} respondent(s) into "
            f"{escape(display_name(self.folder / fw.id))}.</div>"
        )
        return done + views.problems_html(messages)
