"""Respondent files to one long frame: statuses, pseudonyms, broken and duplicate files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mlops_workbook import save_assessment
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.schema import Assessment
from mlops_workbook.workshop.consensus import consensus_assessment
from mlops_workbook.workshop.responses import answers_frame, load_responses, pseudonyms
from tests.workshop.common import RED, person


def test_answers_frame_is_long_with_status(tiny, red_blue):
    assert len(red_blue) == 7 * 5
    assert list(red_blue.columns) == [
        "team",
        "respondent",
        "organisation",
        "question",
        "dimension",
        "rank",
        "value",
        "status",
        "note",
    ]
    p4 = red_blue[(red_blue["respondent"] == "p4") & (red_blue["question"] == "tiny.a.three")].iloc[0]
    assert p4["status"] == "unknown" and math.isnan(p4["value"])
    q3 = red_blue[(red_blue["respondent"] == "q3") & (red_blue["question"] == "tiny.b.two")].iloc[0]
    assert q3["status"] == "unanswered"


def test_answers_frame_refuses_another_framework(tiny):
    other = Assessment(framework="aws", team="t", respondent="r")
    with pytest.raises(WorkbookError, match="answers 'aws', not 'tiny'"):
        answers_frame(tiny, [other])


def test_pseudonyms_in_order_of_appearance():
    assert pseudonyms(["kim", "ana", "kim", "<b>x</b>"]) == {"kim": "R01", "ana": "R02", "<b>x</b>": "R03"}
    assert list(pseudonyms(str(i) for i in range(120)).values())[-1] == "R120"


def test_load_responses_skips_and_reports(tiny, tmp_path):
    folder = tmp_path / "assessments" / "tiny"
    save_assessment(person(tiny, "red", "p1", RED["p1"]), folder / "red--p1.json")
    save_assessment(person(tiny, "red", "p2", RED["p2"]), folder / "red--p2.json")
    save_assessment(person(tiny, "red", "p2", RED["p1"]), folder / "red--p2.round-1.json")  # archive: ignored
    save_assessment(consensus_assessment(tiny, "red", {"tiny.a.one": 3}), folder / "red--consensus.json")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    save_assessment(Assessment(framework="aws", team="x", respondent="y"), folder / "x--y.json")  # other model
    bad_value = person(tiny, "red", "p9", RED["p3"]).model_dump(mode="json")
    bad_value["answers"]["tiny.a.one"]["value"] = 9
    (folder / "red--p9.json").write_text(json.dumps(bad_value), encoding="utf-8")

    found, problems = load_responses(tmp_path / "assessments", tiny)
    assert [(a.team, a.respondent) for a in found] == [("red", "p1"), ("red", "p2")]
    files = sorted(Path(p.file).name for p in problems)
    assert files == ["broken.json", "red--p9.json"]
    # the framework folder itself works too
    assert len(load_responses(folder, tiny)[0]) == 2
    missing, problems = load_responses(tmp_path / "nowhere", tiny)
    assert missing == [] and "folder not found" in problems[0].what


def test_load_responses_keeps_newer_duplicate(tiny, tmp_path):
    old = person(tiny, "red", "p1", RED["p1"])
    save_assessment(old, tmp_path / "red--p1.json")
    new = person(tiny, "red", "p1", RED["p3"])
    save_assessment(new, tmp_path / "red--p1-copy.json")
    new.updated = old.updated.replace(year=old.updated.year + 1)
    save_assessment(new, tmp_path / "red--p1-copy.json", touch=False)
    found, problems = load_responses(tmp_path, tiny)
    assert len(found) == 1 and found[0].answers["tiny.a.three"].value == 4
    assert problems[0].severity == "warning" and problems[0].file.endswith("red--p1.json")
