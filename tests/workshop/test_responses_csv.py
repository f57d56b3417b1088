"""The workshop CSV: template, import with located problems, hostile and huge files."""

from __future__ import annotations

import textwrap

import pytest

from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.workshop import responses_csv as rcsv
from tests.workshop.common import QIDS


def csv_text(body: str) -> str:
    return textwrap.dedent(body).lstrip()


def test_template_lists_questions_in_bank_order(tiny):
    assert rcsv.csv_template(tiny) == "team,respondent,organisation," + ",".join(QIDS) + "\n"
    with_notes = rcsv.csv_template(tiny, notes=True).splitlines()[0].split(",")
    assert with_notes[3:5] == ["tiny.a.one", "note:tiny.a.one"]


def test_template_round_trips_through_import(tiny):
    assert rcsv.parse_csv(rcsv.csv_template(tiny), tiny) == ([], [])
    found, problems = rcsv.parse_csv(rcsv.csv_template(tiny, notes=True, example=True), tiny)
    assert problems == []
    (example,) = found
    assert (example.team, example.respondent) == ("example", "r01")
    assert {q: a.value for q, a in example.answers.items()} == {
        "tiny.a.one": 3,
        "tiny.a.two": "na",
        "tiny.a.three": "unknown",
        "tiny.b.two": 0,
    }
    assert example.answers["tiny.a.one"].note == "evidence: see the runbook"


def test_import_reports_each_bad_row_with_row_and_column(tiny, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(
        csv_text(
            """
            team,respondent,organisation,tiny.a.one,tiny.a.two,tiny.a.three,tiny.b.one,tiny.b.two
            red,ana,Acme,3,4,7,na,UNKNOWN
            red,bo,,3.5,x,,,
            ,cy,,1,1,1,1,1
            red,ANA,,1,1,1,1,1
            blue,dee,,3.0,,,, 4
            blue,eve,,1,1,1,1,1,extra
            red,consensus,,1,,,,
            """
        ),
        encoding="utf-8",
    )
    found, problems = rcsv.import_csv(path, tiny)
    assert [(a.team, a.respondent) for a in found] == [("blue", "dee")]
    assert found[0].answers["tiny.a.one"].value == 3 and found[0].answers["tiny.b.two"].value == 4
    got = [(p.where, p.what) for p in problems]
    assert got == [
        ("row 2, column 'tiny.a.three'", "7 is not an answer on the scale 'Practice in place (0-4)'"),
        ("row 3, column 'tiny.a.one'", "3.5 is not a whole number"),
        ("row 3, column 'tiny.a.two'", "'x' is not an answer"),
        ("row 4, column 'team'", "is empty"),
        (
            "row 5, column 'respondent'",
            "repeats team 'red', respondent 'ANA' of row 2: both would be saved to red--ana.json",
        ),
        ("row 7", "has 9 cells but the header has 8 columns"),
        ("row 8, column 'respondent'", "'consensus' is reserved for the team's agreed answers"),
    ]
    assert all(p.file == "answers.csv" or p.file.endswith("answers.csv") for p in problems)
    assert all(p.fix for p in problems)


def test_import_header_problems_stop_the_import(tiny):
    found, problems = rcsv.parse_csv("team,respondent,tiny.a.onee,tiny.a.one,tiny.a.one\nred,a,1,2,3\n", tiny)
    assert found == []
    assert [(p.where, p.what, p.severity) for p in problems] == [
        ("row 1, column 'tiny.a.onee'", "is not a known column", "error"),
        ("row 1, column 'tiny.a.one'", "appears twice", "error"),
        ("row 1", "has no column for 4 question(s): tiny.a.two, tiny.a.three, tiny.b.one, tiny.b.two", "warning"),
    ]
    with pytest.raises(WorkbookError, match="has no 'respondent' column"):
        rcsv.parse_csv("team,name\nred,a\n", tiny)


def test_import_excel_semicolons_bom_and_hostile_text(tiny):
    hostile_team = '=HYPERLINK("http://evil")'
    data = (
        "\ufeffTeam;Respondent;Organisation;tiny.a.one;note:tiny.a.one\r\n"
        f'"{hostile_team.replace(chr(34), chr(34) * 2)}";"../../etc/passwd";"<b>Org</b>";Na;"a; b\nc"\r\n'
    ).encode()
    found, problems = rcsv.parse_csv(data, tiny, "export.csv")
    # four question columns absent; the team cell a spreadsheet would run as a formula (imported as text)
    assert [(p.severity, p.where) for p in problems] == [("warning", "row 1"), ("warning", "row 2, column 'team'")]
    (a,) = found
    assert (a.team, a.respondent, a.organisation) == (hostile_team, "../../etc/passwd", "<b>Org</b>")
    assert a.answers["tiny.a.one"].value == "na" and a.answers["tiny.a.one"].note == "a; b\nc"


def test_import_refuses_huge_and_non_utf8_files(tiny, tmp_path, monkeypatch):
    monkeypatch.setattr(rcsv, "MAX_CSV_BYTES", 100)
    big = tmp_path / "big.csv"
    big.write_text("team,respondent\n" + "red,x\n" * 50, encoding="utf-8")
    with pytest.raises(WorkbookError, match="too large"):
        rcsv.import_csv(big, tiny)
    with pytest.raises(WorkbookError, match="is not UTF-8"):
        rcsv.parse_csv("team,respondent\nRéunion,x\n".encode("cp1252"), tiny)
