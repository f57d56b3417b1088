"""What a respondent can download from the app: the answers (JSON, CSV), the charts (SVG, PNG) and
the report page, as data-URI links (they work in Voilà, where links to server paths do not)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from mlops_workbook.model import files
from mlops_workbook.model.assessment import slug, to_json
from mlops_workbook.model.schema import Framework
from mlops_workbook.render import report_html, views
from mlops_workbook.render.roadmap_downloads import roadmap_files


class FilesTab:
    """The app's "Save & share" tab: a new round, the downloads, loading a file saved earlier."""

    def __init__(self) -> None:
        auto = w.Layout(width="auto")
        self.round_button = w.Button(description="Start a new round", icon="history", layout=auto)
        self.downloads_button = w.Button(description="Prepare downloads", icon="download", layout=auto)
        self.downloads = w.HTML()
        self.upload = w.FileUpload(accept=".json", multiple=False, description="Load JSON")
        self.box = w.VBox(
            [
                w.HTML("Every change is saved at once. Start a new round to compare progress later."),
                self.round_button,
                self.downloads_button,
                self.downloads,
                w.HTML("Load an assessment saved earlier (replaces this respondent's answers):"),
                self.upload,
            ]
        )


def answers_table(framework: Framework, answers: dict[str, Any]) -> pd.DataFrame:
    """One row per question: id, dimension, level, statement, answer, note, N/A reason."""
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


def download_files(report: report_html.Report) -> list[tuple[str, str, bytes]]:
    """``(file name, MIME type, content)`` of every download, named after team, respondent and model."""
    from mlops_workbook import charts

    fw, a, card = report.framework, report.assessment, report.card
    radar = charts.radar_chart(fw, card, previous=report.previous_card)
    levels = charts.level_chart(fw, card)
    stem = f"{slug(a.team, 'team')}--{slug(a.respondent)}--{fw.id}"
    return [
        (f"{stem}.json", "application/json", to_json(a).encode()),
        # formula-like cells made inert
        (f"{stem}-answers.csv", "text/csv", files.frame_csv(answers_table(fw, a.answers)).encode()),
        (f"{stem}-radar.svg", "image/svg+xml", charts.to_svg(radar).encode()),
        (f"{stem}-radar.png", "image/png", charts.to_png(radar)),
        (f"{stem}-levels.svg", "image/svg+xml", charts.to_svg(levels).encode()),
        (f"{stem}-levels.png", "image/png", charts.to_png(levels)),
        (f"{stem}-report.html", "text/html", report_html.page_html(report).encode()),
        *roadmap_files(fw, a, card, stem),  # the gap to target for Jira, Azure Boards, GitHub, Excel (with targets)
    ]


def download_links_html(report: report_html.Report) -> str:
    """The downloads as a list of data-URI links."""
    return views.download_links_html(download_files(report))
