"""Every CSV the workbook writes is inert in a spreadsheet (OWASP CSV injection); import warns."""

from __future__ import annotations

import base64
import csv
import io
import re

import pandas as pd
import pytest

from mlops_workbook.model.files import FORMULA_START, csv_text, frame_csv, neutralise_cell
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.workshop import facilitator_views
from mlops_workbook.workshop import responses_csv as rcsv
from mlops_workbook.workshop.aggregation import answers_frame, summarise

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_inert(text: str) -> None:
    """No cell of the CSV starts with a character a spreadsheet reads as the start of a formula."""
    risky = [cell for cell in cells(text) if cell.startswith(FORMULA_START)]
    assert not risky, f"cells a spreadsheet may run: {risky}"


@pytest.mark.parametrize("text", [*HOSTILE, "\t=1+1", "\r=1+1", "-"])
def test_text_that_looks_like_a_formula_gets_a_quote(text):
    assert neutralise_cell(text) == "'" + text
    assert neutralise_cell("plain text") == "plain text" and neutralise_cell("a=b") == "a=b"


def test_numbers_stay_numbers_text_is_neutralised():
    frame = pd.DataFrame(
        {
            "note": [HOSTILE[0], "fine", None],
            "level_shift": [-1, 0, 2],  # a signed number we compute: a number, not a formula
            "median": [-0.5, 1.0, float("nan")],
            "team": pd.Categorical(["@team", "b", "b"]),
            "value": [3, "na", "-1"],  # mixed: ints stay ints, the text "-1" is text
        }
    )
    rows = list(csv.reader(io.StringIO(frame_csv(frame))))
    assert rows[0] == ["note", "level_shift", "median", "team", "value"]
    assert rows[1] == ["'" + HOSTILE[0], "-1", "-0.5", "'@team", "3"]
    assert rows[3][4] == "'-1"
    assert cells(csv_text([["=1", -1, "ok"]])) == ["'=1", "-1", "ok"]


def hostile_csv() -> str:
    """A form export as a stranger could fill it in (written raw, as another tool would)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["team", "respondent", "organisation", "aws.data.automated_pipelines", "note:aws.data.automated_pipelines"]
    )
    for i, team in enumerate(HOSTILE):
        writer.writerow([team, f"r{i}", HOSTILE[(i + 1) % 4], 3, HOSTILE[(i + 2) % 4]])
    return out.getvalue()


def test_import_warns_about_each_formula_cell_and_keeps_its_text():
    fw = load_framework("aws")
    found, problems = rcsv.parse_csv(hostile_csv(), fw, "form.csv")
    assert [a.team for a in found] == HOSTILE, "imported as written"
    formula = [p for p in problems if "formula" in p.what]
    assert all(p.severity == "warning" and p.file == "form.csv" for p in formula)
    assert {p.where for p in formula} == {
        f"row {row}, column {column!r}"
        for row in range(2, 6)
        for column in ("team", "organisation", "note:aws.data.automated_pipelines")
    }


def test_facilitator_exports_are_inert():
    fw = load_framework("aws")
    found, _ = rcsv.parse_csv(hostile_csv(), fw, "form.csv")
    answers = answers_frame(fw, found)
    files = facilitator_views.data_files(fw, summarise(fw, answers), answers, {})
    assert [name for name, _, _ in files] == [f"workshop-aws-{x}.csv" for x in ("answers", "teams", "questions")]
    for _, _, data in files:
        assert_inert(data.decode())
    assert "'" + HOSTILE[0] in cells(files[0][2].decode()), "the text is kept, made inert"


def test_template_is_inert():
    assert_inert(rcsv.csv_template(load_framework("gcp"), notes=True, example=True))


def test_the_apps_csv_download_is_inert(tmp_path):
    from mlops_workbook.app.widgets import App

    app = App("aws", team=HOSTILE[0], respondent="r1", folder=tmp_path)
    app.row("aws.data.automated_pipelines").note.value = HOSTILE[1]
    app.row("aws.train.experiment_tracking").buttons.value = "na"
    app.row("aws.train.experiment_tracking").na_reason.value = HOSTILE[3]
    links = app.download_links()
    (encoded,) = re.findall(r"download='[^']*-answers\.csv' href='data:text/csv;base64,([^']+)'", links)
    text = base64.b64decode(encoded).decode()
    assert_inert(text)
    assert "'" + HOSTILE[1] in cells(text) and "'" + HOSTILE[3] in cells(text)
