"""A roadmap to take away: the ordered gap to target as backlog items and their exports.

:func:`build_roadmap` is pure: an assessment (or a workshop consensus) with target levels
and its score card become :class:`RoadmapItem` s in the order the app and the report list
the gap (lower levels first, heavier questions first). The writers turn a roadmap into
text a tracker imports:

* :func:`jira_csv` — Jira's CSV importer: one Epic per dimension, a Task per practice.
  ``Issue ID``/``Parent`` give the hierarchy on Jira Cloud (where Epic Link and Epic Name
  are deprecated since 2024), ``Epic Name``/``Epic Link`` on Jira Data Center; map the
  pair your Jira knows and leave the other unmapped. Labels are one per column, all
  headed ``Labels``, as the importer expects for a field with several values.
* :func:`azure_csv` — Azure Boards' CSV import: the tree shape (``Title 1`` = Epic per
  dimension, ``Title 2`` = Task under it, ``ID`` left empty for new items), tags
  separated by ``;``. Epic and Task exist in every Azure process (Basic, Agile, Scrum, CMMI).
* :func:`markdown_checklist` — a GitHub task list in roadmap order, text escaped so it renders as text.
* :func:`json_text` — a JSON list of items, for scripts.

Every CSV cell goes through :func:`~mlops_workbook.model.files.csv_text`, which makes
formula-like text inert (a leading ``'``). The ``.xlsx`` workbook is in
:mod:`mlops_workbook.render.roadmap_xlsx`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote

from mlops_workbook.model.errors import Problem, WorkbookError
from mlops_workbook.model.files import csv_text
from mlops_workbook.model.schema import Assessment, Framework
from mlops_workbook.scoring.explanations import describe_answer
from mlops_workbook.scoring.scorecard import ScoreCard, level_label

#: Jira's default priority scheme, by how many levels above the achieved one a practice sits.
PRIORITY_BY_STEP = {1: "High", 2: "Medium"}
LOWER_PRIORITY = "Low"

FORMATS = ("jira", "azure", "markdown", "json", "xlsx")

JIRA_LABEL_COLUMNS = 3
JIRA_HEADER = (
    "Issue ID",
    "Issue Type",
    "Summary",
    "Description",
    "Priority",
    "Parent",
    "Epic Name",
    "Epic Link",
    *("Labels",) * JIRA_LABEL_COLUMNS,
)
AZURE_HEADER = ("ID", "Work Item Type", "Title 1", "Title 2", "Description", "Tags")


@dataclass(frozen=True)
class RoadmapItem:
    """One practice between the current and the target level, with what a backlog item needs."""

    order: int
    question_id: str
    question: str
    why: str
    next_step: str
    source_title: str
    source_url: str
    source_criterion: str
    current_value: int | str | None
    current_answer: str
    note: str
    dimension_id: str
    dimension_name: str
    level_id: str
    level_name: str
    level_label: str
    target_label: str
    priority: str

    @property
    def summary(self) -> str:
        """A backlog item's title: the practice to put in place (Jira and Azure take 255 characters)."""
        return _title(self.question)


@dataclass(frozen=True)
class Roadmap:
    """The ordered gap of one assessment or consensus, and who it is for."""

    framework_id: str
    framework_name: str
    framework_short_name: str
    kind: str
    organisation: str
    team: str
    respondent: str
    round: int
    items: tuple[RoadmapItem, ...]
    not_assessed: tuple[str, ...] = ()  # dimensions with a target but no answers: gap unknown

    @property
    def title(self) -> str:
        who = " / ".join(x for x in (self.organisation, self.team) if x) or "Assessment"
        return f"{who}: {self.framework_short_name} roadmap (round {self.round})"

    def epics(self) -> list[tuple[str, str, list[RoadmapItem]]]:
        """``(dimension id, dimension name, items)`` per dimension, in order of first item."""
        groups: dict[str, tuple[str, list[RoadmapItem]]] = {}
        for item in self.items:
            groups.setdefault(item.dimension_id, (item.dimension_name, []))[1].append(item)
        return [(dim, name, items) for dim, (name, items) in groups.items()]

    def epic_title(self, items: list[RoadmapItem]) -> str:
        """An Epic's title: the model, the dimension and its target level."""
        return _title(f"{self.framework_short_name} {items[0].dimension_name}: reach {items[0].target_label}")

    def epic_about(self, items: list[RoadmapItem]) -> str:
        count = f"{len(items)} practice{'s' if len(items) != 1 else ''}"
        return f"Reach {items[0].target_label} in {items[0].dimension_name} ({self.framework_name}): {count}."


#: Jira's Summary and Azure's Title hold at most 255 characters.
TITLE_LIMIT = 255


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1].rstrip() + "…"


def build_roadmap(framework: Framework, assessment: Assessment, card: ScoreCard, name: str = "") -> Roadmap:
    """The gap to target of a scored assessment as roadmap items, in the order to work on them.

    Raises :class:`WorkbookError` (naming ``name`` and the ``targets`` field) when the
    assessment sets no target level: without one there is no gap to take away.
    """
    if not assessment.targets:
        raise WorkbookError(
            [
                Problem(
                    name or "assessment",
                    "targets",
                    "no target level is set, so there is no gap to put on a roadmap",
                    "choose a target level per dimension (the app's Results tab, or the facilitator's consensus), "
                    'or add "targets": {"<dimension id>": "<level id>"} to the file',
                )
            ]
        )
    sources = {s.id: s for s in framework.sources}
    notes = {qid: answer.note for qid, answer in assessment.answers.items()}
    items = []
    for order, gap in enumerate(card.gap, start=1):
        q = gap.question
        dim = card.dimension(q.dimension)
        achieved = dim.rank or 0
        source = sources.get(q.source.ref)
        items.append(
            RoadmapItem(
                order=order,
                question_id=q.id,
                question=q.text,
                why=q.why,
                next_step=q.next_step,
                source_title=source.title if source else q.source.ref,
                source_url=source.url if source else "",
                source_criterion=q.source.criterion,
                current_value=gap.result.value,
                current_answer=describe_answer(framework, gap.result.value),
                note=notes.get(q.id, ""),
                dimension_id=q.dimension,
                dimension_name=gap.dimension_name,
                level_id=q.level,
                level_name=gap.level_name,
                level_label=level_label(framework, gap.result.rank),
                target_label=level_label(framework, dim.target_rank or 0),
                priority=PRIORITY_BY_STEP.get(gap.result.rank - achieved, LOWER_PRIORITY),
            )
        )
    not_assessed = tuple(d.name for d in card.dimensions if d.target_id and not d.assessed)
    return Roadmap(
        framework_id=framework.id,
        framework_name=framework.name,
        framework_short_name=framework.short_name,
        kind=assessment.kind,
        organisation=assessment.organisation,
        team=assessment.team,
        respondent=assessment.respondent,
        round=assessment.round,
        items=tuple(items),
        not_assessed=not_assessed,
    )


def status_words(roadmap: Roadmap) -> str:
    """One line saying what the roadmap holds (for the CLI and the pages)."""
    count = len(roadmap.items)
    words = f"{count} practice{'s' if count != 1 else ''} between the current and the target levels"
    if not count:
        words = "no practice left: every assessed dimension has reached its target"
    if roadmap.not_assessed:
        words += f"; not assessed yet, gap unknown: {', '.join(roadmap.not_assessed)}"
    return words


def describe_item(item: RoadmapItem) -> str:
    """A backlog item's description as plain text lines (Jira shows them as written)."""
    lines = [
        f"Practice: {item.question}",
        f"Why it matters: {item.why}",
        f"Next step: {item.next_step}",
        f"Current answer: {item.current_answer}",
    ]
    if item.note:
        lines.append(f"Note: {item.note}")
    source = f"{item.source_title} — {item.source_criterion}"
    lines += [
        f"Source: {source}" + (f" ({item.source_url})" if item.source_url else ""),
        f"Level: {item.level_label}, {item.dimension_name} (target {item.target_label})",
        f"Question id: {item.question_id}; roadmap order {item.order}",
    ]
    return "\n".join(lines)


def _label(text: str) -> str:
    """A Jira label: no spaces allowed, so words are joined with ``-``."""
    return re.sub(r"[^\w.]+", "-", text.strip().casefold()).strip("-") or "none"


def jira_rows(roadmap: Roadmap) -> list[list[Any]]:
    """Header and rows of the Jira CSV: the Epics first (the importer needs a parent before its
    children), then the Tasks in roadmap order, each naming its Epic."""
    rows: list[list[Any]] = [list(JIRA_HEADER)]
    epic_of: dict[str, tuple[int, str]] = {}
    for epic_id, (dim, _name, items) in enumerate(roadmap.epics(), start=1):
        title = roadmap.epic_title(items)
        epic_of[dim] = (epic_id, title)
        labels = ["mlops-workbook", _label(roadmap.framework_id), _label(dim)]
        rows.append([epic_id, "Epic", title, roadmap.epic_about(items), items[0].priority, "", title, "", *labels])
    for issue_id, item in enumerate(roadmap.items, start=len(epic_of) + 1):
        epic_id, title = epic_of[item.dimension_id]
        labels = ["mlops-workbook", _label(item.dimension_id), f"level-{_label(item.level_name)}"]
        rows.append([issue_id, "Task", item.summary, describe_item(item), item.priority, epic_id, "", title, *labels])
    return rows


def jira_csv(roadmap: Roadmap) -> str:
    """The roadmap as a CSV for Jira's importer; every cell neutralised."""
    return csv_text(jira_rows(roadmap))


def _html_description(item: RoadmapItem) -> str:
    # Azure Boards stores Description as HTML: escape every text, keep the lines apart.
    return "".join(f"<div>{html.escape(line, quote=False)}</div>" for line in describe_item(item).split("\n"))


def azure_rows(roadmap: Roadmap) -> list[list[Any]]:
    """Header and rows of the Azure Boards CSV: an Epic row (``Title 1``), its Tasks (``Title 2``)."""
    rows: list[list[Any]] = [list(AZURE_HEADER)]
    for dim, _name, items in roadmap.epics():
        tags = ["mlops-workbook", roadmap.framework_id, dim]
        rows.append(
            ["", "Epic", roadmap.epic_title(items), "", html.escape(roadmap.epic_about(items)), "; ".join(tags)]
        )
        for item in items:
            tags = ["mlops-workbook", dim, item.level_name.replace(";", ","), f"priority {item.priority}"]
            rows.append(["", "Task", "", item.summary, _html_description(item), "; ".join(tags)])
    return rows


def azure_csv(roadmap: Roadmap) -> str:
    """The roadmap as a CSV for Azure Boards' import; every cell neutralised."""
    return csv_text(azure_rows(roadmap))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_text(text: str) -> str:
    """User or bank text inside Markdown: HTML escaped, Markdown marks backslashed, one line."""
    one_line = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def _md_link(title: str, url: str) -> str:
    if not url.startswith(("https://", "http://")):
        return md_text(title)
    return f"[{md_text(title)}](<{quote(url, safe=URL_SAFE)}>)"


#: Characters a URL keeps as they are (RFC 3986 reserved and unreserved); others are %-encoded.
URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def markdown_checklist(roadmap: Roadmap) -> str:
    """A GitHub task list in roadmap order: each practice with why, next step, answer and source."""
    status = status_words(roadmap)
    out = [f"# {md_text(roadmap.title)}", "", md_text(status[:1].upper() + status[1:]) + ".", ""]
    for item in roadmap.items:
        where = f"{md_text(item.dimension_name)} · {md_text(item.level_label)} · {item.priority} priority"
        answer = md_text(item.current_answer) + (f" — note: {md_text(item.note)}" if item.note else "")
        source = f"{_md_link(item.source_title, item.source_url)} — {md_text(item.source_criterion)}"
        out += [
            f"- [ ] **{md_text(item.question)}** ({where})",
            f"  - Why: {md_text(item.why)}",
            f"  - Next step: {md_text(item.next_step)}",
            f"  - Now: {answer}",
            f"  - Source: {source} (`{item.question_id}`)",
        ]
    return "\n".join(out) + "\n"


def roadmap_records(roadmap: Roadmap) -> list[dict[str, Any]]:
    """The items as plain dictionaries (the JSON export and the spreadsheet's gap sheet)."""
    return [asdict(item) for item in roadmap.items]


def json_text(roadmap: Roadmap) -> str:
    """The roadmap items as a JSON list, in order."""
    return json.dumps(roadmap_records(roadmap), indent=2, ensure_ascii=False) + "\n"


def roadmap_text(roadmap: Roadmap, fmt: str) -> str:
    """One of the text exports by format name (``jira``, ``azure``, ``markdown``, ``json``)."""
    writers = {"jira": jira_csv, "azure": azure_csv, "markdown": markdown_checklist, "json": json_text}
    return writers[fmt](roadmap)
