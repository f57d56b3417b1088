"""The roadmap's exports as download files ``(name, MIME type, bytes)``: the app's Save & share and the
facilitator page's export offer them (text exports from :mod:`~mlops_workbook.render.roadmap`, the
workbook from :mod:`~mlops_workbook.render.roadmap_xlsx`)."""

from __future__ import annotations

from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.render.roadmap import build_roadmap, roadmap_text
from mlops_workbook.render.roadmap_xlsx import roadmap_workbook
from mlops_workbook.scoring.scorecard import ScoreCard

#: File name endings and MIME types of the exports, for download links.
EXPORT_FILES = {
    "jira": ("roadmap-jira.csv", "text/csv"),
    "azure": ("roadmap-azure-boards.csv", "text/csv"),
    "markdown": ("roadmap.md", "text/markdown"),
    "json": ("roadmap.json", "application/json"),
    "xlsx": ("roadmap.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def roadmap_files(
    framework: Framework, assessment: Assessment, card: ScoreCard, stem: str
) -> list[tuple[str, str, bytes]]:
    """Every export as ``(file name, MIME type, content)``, named ``<stem>-roadmap…``: what the
    app's and the facilitator's download links offer. Empty when no target level is set."""
    if not assessment.targets:
        return []
    roadmap = build_roadmap(framework, assessment, card)
    found = []
    for fmt, (ending, mime) in EXPORT_FILES.items():
        if fmt == "xlsx":
            data = roadmap_workbook(framework, assessment, card, roadmap)
        else:
            data = roadmap_text(roadmap, fmt).encode()
        found.append((f"{stem}-{ending}", mime, data))
    return found
