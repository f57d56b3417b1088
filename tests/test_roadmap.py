"""A roadmap to take away: each export read back with a real parser (csv, json, openpyxl)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from mlops_workbook.model.assessment import save_assessment
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.files import FORMULA_START
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.schema import Answer, Assessment
from mlops_workbook.render import roadmap as rm
from mlops_workbook.render.roadmap_downloads import roadmap_files
from mlops_workbook.render.roadmap_xlsx import roadmap_workbook
from mlops_workbook.scoring.rules import score_assessment
from tests.cli.common import run

from .conftest import TINY_BANK

FORMULA = '=HYPERLINK("http://evil.example","click")'
SCRIPT = "<script>alert(1)</script>"
#: The tiny bank's gap, worked out by hand: both dimensions stay at level 0 (tiny.a.two is
#: 1, tiny.b.one is 2; 3 is met). Level 1 first, heavier first: a.two (weight 3) before
#: b.one; then level 2: b.two (weight 2) before a.three.
ORDER = ["tiny.a.two", "tiny.b.one", "tiny.b.two", "tiny.a.three"]


def hostile_bank(path: Path) -> Path:
    """The tiny bank whose short name and one question text a spreadsheet would run."""
    text = TINY_BANK.replace("short_name: Tiny", "short_name: '@SUM(1+1)'").replace(
        "text: A2,", f"text: '{FORMULA.replace(chr(39), chr(39) * 2)}',"
    )
    path.write_text(text, encoding="utf-8")
    return path


def tiny_assessment(**targets: str) -> Assessment:
    return Assessment(
        framework="tiny",
        team="Sales",
        organisation="Acme",
        answers={
            "tiny.a.one": Answer(value=3, note=FORMULA),
            "tiny.a.two": Answer(value=1, note=SCRIPT),
            "tiny.a.three": Answer(value=0),
            "tiny.b.one": Answer(value=2, note="-1 then +2"),
        },
        targets=targets if targets else {"a": "l2", "b": "l2"},
    )


@pytest.fixture
def scored(tiny):
    assessment = tiny_assessment()
    card = score_assessment(tiny, assessment)
    return tiny, assessment, card, rm.build_roadmap(tiny, assessment, card, "sales.json")


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_items_follow_the_gap_with_question_why_next_step_source_and_answer(scored):
    _, _, card, roadmap = scored
    assert [g.question.id for g in card.gap] == ORDER  # the hand-worked order is the scorer's
    assert [i.question_id for i in roadmap.items] == ORDER
    first = roadmap.items[0]
    assert (first.order, first.question, first.why, first.next_step) == (1, "A2", "w", "do a2")
    assert (first.source_title, first.source_criterion, first.source_url) == ("Test source", "c", "")
    assert (first.current_value, first.current_answer, first.note) == (1, "1 Started / ad hoc", SCRIPT)
    assert (first.dimension_id, first.dimension_name, first.level_id) == ("a", "Alpha", "l1")
    assert (first.level_label, first.target_label) == ("One (level 1 of 2)", "Two (level 2 of 2)")
    assert [i.priority for i in roadmap.items] == ["High", "High", "Medium", "Medium"]
    assert roadmap.items[2].current_answer == "Unanswered"
    assert rm.status_words(roadmap) == "4 practices between the current and the target levels"


def test_jira_csv_has_an_epic_per_dimension_and_tasks_in_order_under_it(scored):
    _, _, _, roadmap = scored
    rows = rows_of(rm.jira_csv(roadmap))
    head = "Issue ID,Issue Type,Summary,Description,Priority,Parent,Epic Name,Epic Link,Labels,Labels,Labels"
    assert rows[0] == head.split(",")  # one Labels column per label, as Jira's importer expects
    epics, tasks = rows[1:3], rows[3:]
    assert [(e[0], e[1], e[2]) for e in epics] == [
        ("1", "Epic", "Tiny Alpha: reach Two (level 2 of 2)"),
        ("2", "Epic", "Tiny Beta: reach Two (level 2 of 2)"),
    ]
    assert all(e[6] == e[2] and e[5] == "" for e in epics)  # Epic Name = Summary; no parent
    assert [t[2] for t in tasks] == ["A2", "B1", "B2", "A3"]
    assert [t[0] for t in tasks] == ["3", "4", "5", "6"] and {t[1] for t in tasks} == {"Task"}
    parent = {e[0]: e[2] for e in epics}
    assert [parent[t[5]] for t in tasks] == [t[7] for t in tasks]  # Parent and Epic Link agree
    assert [t[7].split()[1] for t in tasks] == ["Alpha:", "Beta:", "Beta:", "Alpha:"]
    assert [t[4] for t in tasks] == ["High", "High", "Medium", "Medium"]
    assert tasks[0][8:] == ["mlops-workbook", "a", "level-one"]
    assert all(" " not in label for row in rows[1:] for label in row[8:])  # Jira labels hold no spaces
    description = tasks[0][3].split("\n")
    assert description[:4] == [
        "Practice: A2",
        "Why it matters: w",
        "Next step: do a2",
        "Current answer: 1 Started / ad hoc",
    ]
    assert f"Note: {SCRIPT}" in description and "Source: Test source — c" in description


def test_azure_csv_is_a_tree_of_epics_and_tasks_with_escaped_html(scored):
    _, _, _, roadmap = scored
    rows = rows_of(rm.azure_csv(roadmap))
    assert rows[0] == ["ID", "Work Item Type", "Title 1", "Title 2", "Description", "Tags"]
    body = rows[1:]
    assert [(r[1], r[2], r[3]) for r in body] == [
        ("Epic", "Tiny Alpha: reach Two (level 2 of 2)", ""),
        ("Task", "", "A2"),
        ("Task", "", "A3"),
        ("Epic", "Tiny Beta: reach Two (level 2 of 2)", ""),
        ("Task", "", "B1"),
        ("Task", "", "B2"),
    ]
    assert {r[0] for r in body} == {""}  # new work items: no ID
    assert body[1][5].split("; ") == ["mlops-workbook", "a", "One", "priority High"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body[1][4] and "<script>" not in body[1][4]
    assert body[1][4].startswith("<div>Practice: A2</div><div>Why it matters: w</div>")


def test_markdown_checklist_lists_the_items_in_order_as_text(scored):
    _, _, _, roadmap = scored
    text = rm.markdown_checklist(roadmap)
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert [b.split("**")[1] for b in boxes] == ["A2", "B1", "B2", "A3"]
    assert boxes[0] == "- [ ] **A2** (Alpha · One (level 1 of 2) · High priority)"
    assert "  - Next step: do a2" in text and "(`tiny.a.two`)" in text
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert rm.md_text("a *b* [x](y) `c`") == r"a \*b\* \[x\](y) \`c\`"


def test_json_list_round_trips_every_field(scored):
    _, _, _, roadmap = scored
    data = json.loads(rm.json_text(roadmap))
    assert [d["question_id"] for d in data] == ORDER and [d["order"] for d in data] == [1, 2, 3, 4]
    assert data[0]["note"] == SCRIPT and data[2]["current_value"] is None
    assert set(data[0]) >= {"question", "why", "next_step", "source_title", "current_answer", "dimension_id"}


def test_xlsx_has_answers_scores_and_gap_sheets(scored):
    tiny, assessment, card, roadmap = scored
    book = openpyxl.load_workbook(io.BytesIO(roadmap_workbook(tiny, assessment, card, roadmap)))
    assert book.sheetnames == ["answers", "scores", "gap"]
    answers = [[c.value for c in row] for row in book["answers"].iter_rows()]
    assert answers[0][:6] == ["question_id", "dimension", "level", "question", "value", "answer"]
    assert [r[0] for r in answers[1:]] == ["tiny.a.one", "tiny.a.two", "tiny.a.three", "tiny.b.one", "tiny.b.two"]
    assert answers[2][4:7] == [1, "1 Started / ad hoc", SCRIPT]
    scores = [[c.value for c in row] for row in book["scores"].iter_rows()]
    assert [r[0] for r in scores[1:]] == ["a", "b", "overall"]
    assert scores[1][2] == "Zero (level 0 of 2)" and scores[1][8] == "Two (level 2 of 2)"
    gap = [[c.value for c in row] for row in book["gap"].iter_rows()]
    assert gap[0][:2] == ["order", "question_id"] and [r[1] for r in gap[1:]] == ORDER


def test_hostile_text_is_inert_in_every_csv_and_in_the_workbook(tmp_path):
    fw = load_framework(hostile_bank(tmp_path / "hostile.yaml"))
    assessment = tiny_assessment()
    card = score_assessment(fw, assessment)
    roadmap = rm.build_roadmap(fw, assessment, card)
    for text in (rm.jira_csv(roadmap), rm.azure_csv(roadmap)):
        cells = [cell for row in rows_of(text) for cell in row]
        assert not [c for c in cells if c.startswith(FORMULA_START)]
        assert "'" + FORMULA in cells and "'@SUM(1+1) Alpha: reach Two (level 2 of 2)" in cells
    book = openpyxl.load_workbook(io.BytesIO(roadmap_workbook(fw, assessment, card, roadmap)))
    note = book["answers"]["G2"]  # tiny.a.one's note
    assert note.value == "'" + FORMULA and note.data_type == "s"
    for sheet in book:
        formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        assert not formulas, f"{sheet.title}: formulas in {formulas}"


def test_without_targets_a_located_message(tiny):
    assessment = tiny_assessment()
    assessment.targets.clear()
    with pytest.raises(WorkbookError) as info:
        rm.build_roadmap(tiny, assessment, score_assessment(tiny, assessment), "sales.json")
    text = str(info.value.problems[0])
    assert text.startswith("sales.json: targets:") and "no target level is set" in text


@pytest.fixture
def consensus_file(tmp_path):
    fw = load_framework("aws")
    # As the facilitator saves it (workshop.consensus): kind "consensus", a rationale per answer.
    answers = {q.id: Answer(value=2, note=f"agreed {FORMULA}") for q in fw.questions}
    consensus = Assessment(
        framework="aws", kind="consensus", organisation="Acme", team="Sales", respondent="consensus", answers=answers
    )
    consensus.targets = {d.id: fw.levels_by_rank[2].id for d in fw.dimensions}
    return save_assessment(consensus, tmp_path / "aws" / "sales--consensus.json"), fw, consensus


def test_cli_writes_every_format_from_a_consensus_file(capsys, tmp_path, consensus_file):
    path, fw, consensus = consensus_file
    gap = [g.question.id for g in score_assessment(fw, consensus).gap]
    assert gap and consensus.kind == "consensus"
    outputs = {}
    for fmt, name in [("jira", "j.csv"), ("azure", "a.csv"), ("json", "r.json"), ("xlsx", "r.xlsx")]:
        code, out, err = run(capsys, "roadmap", str(path), "--format", fmt, "-o", str(tmp_path / name))
        assert code == 0 and f"{len(gap)} practices" in out, err
        outputs[fmt] = tmp_path / name
    jira = rows_of(outputs["jira"].read_text(encoding="utf-8"))
    assert len(jira) == 1 + len(fw.dimensions) + len(gap) and jira[-1][1] == "Task"
    azure = rows_of(outputs["azure"].read_text(encoding="utf-8"))
    assert sum(r[1] == "Task" for r in azure) == len(gap)
    assert [d["question_id"] for d in json.loads(outputs["json"].read_text(encoding="utf-8"))] == gap
    book = openpyxl.load_workbook(outputs["xlsx"])
    assert [c.value for c in book["gap"]["B"]][1:] == gap
    code, out, err = run(capsys, "roadmap", str(path), "--format", "markdown", "-o", "-")
    assert code == 0 and out.count("- [ ] ") == len(gap) and out.startswith("# Acme / Sales: AWS roadmap")
    assert f"{len(gap)} practices" in err  # the status goes to stderr, the checklist alone to stdout


def test_cli_errors_are_messages_with_exit_codes(capsys, tmp_path, consensus_file):
    path, _, consensus = consensus_file
    code, _, err = run(capsys, "roadmap", str(tmp_path / "missing.json"))
    assert code == 1 and "missing.json: file not found" in err
    consensus.targets = {}
    bare = save_assessment(consensus, tmp_path / "bare.json")
    code, out, err = run(capsys, "roadmap", str(bare), "-f", "jira", "-o", str(tmp_path / "x.csv"))
    assert code == 1 and "bare.json: targets: no target level is set" in err and not out
    assert not (tmp_path / "x.csv").exists()
    code, _, err = run(capsys, "roadmap", str(path), "-f", "xlsx")
    assert code == 2 and "give -o FILE.xlsx" in err
    code, _, err = run(capsys, "roadmap", str(path), "-f", "json", "-o", str(tmp_path))
    assert code == 1 and "is a folder" in err
    code, _, err = run(capsys, "roadmap", str(path), "-f", "pdf")
    assert code == 2 and "invalid choice" in err


def test_download_files_for_the_pages_parse_and_need_a_target(scored):
    tiny, assessment, card, _ = scored
    files = roadmap_files(tiny, assessment, card, "sales--r07--tiny")
    names = [name for name, _, _ in files]
    assert names == [
        "sales--r07--tiny-roadmap-jira.csv",
        "sales--r07--tiny-roadmap-azure-boards.csv",
        "sales--r07--tiny-roadmap.md",
        "sales--r07--tiny-roadmap.json",
        "sales--r07--tiny-roadmap.xlsx",
    ]
    content = {name.rsplit("roadmap", 1)[1]: data for name, _, data in files}
    assert len(rows_of(content["-jira.csv"].decode())) == 1 + 2 + len(ORDER)
    assert [d["question_id"] for d in json.loads(content[".json"])] == ORDER
    assert openpyxl.load_workbook(io.BytesIO(content[".xlsx"])).sheetnames == ["answers", "scores", "gap"]
    assessment.targets.clear()
    assert roadmap_files(tiny, assessment, card, "x") == []  # no target: no roadmap links, no error
