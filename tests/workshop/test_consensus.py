"""Consensus: median answers, agreed answers, and where each answer came from."""

from __future__ import annotations

import json

import jsonschema
import pytest

from mlops_workbook import load_assessment, save_assessment, score_assessment
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.paths import SCHEMA_DIR
from mlops_workbook.workshop.consensus import (
    TEAM_MEDIAN,
    agreed_assessment,
    consensus_assessment,
    consensus_path,
    decided,
    load_consensus,
    median_assessment,
    rationale,
)
from mlops_workbook.workshop.responses import load_responses


def test_consensus_round_trip_through_scoring(tiny, red_blue, tmp_path):
    hostile = "=cmd|' /C calc'!A0 <script>alert(1)</script> ../../etc"
    draft = median_assessment(tiny, red_blue, "red")
    assert draft.kind == "consensus" and draft.answers["tiny.a.three"].value == 2
    assert draft.answers["tiny.a.three"].note == "team median of 4 answers: 0:1 2:1 4:1 unknown 1"
    agreed = consensus_assessment(tiny, "red", {"tiny.a.three": (3, hostile), "tiny.b.two": 2}, base=draft)
    path = save_assessment(agreed, consensus_path(tmp_path, tiny.id, "red"))
    assert path == tmp_path / "tiny" / "red--consensus.json"

    loaded = load_assessment(path)
    assert (loaded.kind, loaded.team, loaded.respondent, loaded.organisation) == (
        "consensus",
        "red",
        "consensus",
        "Acme",
    )
    assert loaded.answers["tiny.a.three"].note == hostile
    assert loaded.answers["tiny.a.one"].value == 3  # kept from the median draft
    card = score_assessment(tiny, loaded)
    assert card.dimension("a").level_id == "l2"  # the agreed 3 unblocks Two
    assert card.dimension("b").level_id == "l1"  # the agreed 2 blocks Two
    assert load_responses(tmp_path, tiny)[0] == []  # never counted as a respondent


def test_consensus_reports_every_bad_decision(tiny):
    with pytest.raises(WorkbookError) as caught:
        consensus_assessment(tiny, "red", {"tiny.nope": 3, "tiny.a.one": (7, "x"), "tiny.a.two": "maybe"})
    wheres = [p.where for p in caught.value.problems]
    assert wheres == ["decisions.tiny.nope", "decisions.tiny.a.one", "decisions.tiny.a.two"]


def test_median_assessment_of_unknown_team(tiny, red_blue):
    with pytest.raises(WorkbookError, match="use one of: blue, red"):
        median_assessment(tiny, red_blue, "green")


# --------------------------------------------------------------------------- provenance


def test_median_answers_carry_their_provenance_and_decisions_none(tiny, red_blue, tmp_path):
    draft = median_assessment(tiny, red_blue, "red")
    assert {a.provenance for a in draft.answers.values()} == {TEAM_MEDIAN}
    agreed = consensus_assessment(tiny, "red", {"tiny.a.three": (3, "we agreed")}, base=draft)
    assert agreed.answers["tiny.a.three"].provenance == ""  # fails if a decision keeps the base's provenance
    assert decided(agreed) == {"tiny.a.three": 3} and rationale(agreed, "tiny.a.three") == "we agreed"
    assert rationale(agreed, "tiny.a.one") == ""  # a copied median answer has no rationale, whatever its note
    path = save_assessment(agreed, consensus_path(tmp_path, tiny.id, "red"))
    answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
    assert "provenance" not in answers["tiny.a.three"] and answers["tiny.a.one"]["provenance"] == TEAM_MEDIAN
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), _schema())


def test_earlier_decisions_survive_a_new_save(tiny, red_blue):
    first = agreed_assessment(tiny, red_blue, "red", {"tiny.a.three": (3, "day one")})
    second = agreed_assessment(tiny, red_blue, "red", {"tiny.b.two": (2, "day two")}, previous=first)
    assert decided(second) == {"tiny.a.three": 3, "tiny.b.two": 2}
    assert second.created == first.created


#: A consensus as versions before ``Answer.provenance`` wrote it: the median answers said so only in the note.
OLD_CONSENSUS = {
    "schema_version": 1,
    "framework": "tiny",
    "framework_version": "1",
    "kind": "consensus",
    "team": "red",
    "respondent": "consensus",
    "answers": {
        "tiny.a.one": {"value": 3, "note": "team median of 4 answers: 0:1 3:2 4:1", "na_reason": ""},
        "tiny.a.three": {"value": 3, "note": "agreed after the demo", "na_reason": ""},
    },
}


def test_an_old_consensus_file_loads_with_its_median_answers_told_apart(tiny, tmp_path):
    jsonschema.validate(OLD_CONSENSUS, _schema())  # the format did not change for old files
    path = consensus_path(tmp_path, tiny.id, "red")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(OLD_CONSENSUS), encoding="utf-8")
    old, found = load_consensus(tmp_path, tiny.id, "red")
    assert found == path and old is not None
    # fails if load_consensus stops upgrading old files (the median answer would count as a decision)
    assert decided(old) == {"tiny.a.three": 3}
    assert old.answers["tiny.a.one"].provenance == TEAM_MEDIAN and old.answers["tiny.a.three"].provenance == ""


def test_no_consensus_yet_and_another_models_file(tiny, tmp_path):
    assert load_consensus(tmp_path, tiny.id, "red") == (None, consensus_path(tmp_path, tiny.id, "red"))
    other = dict(OLD_CONSENSUS, framework="aws")
    path = consensus_path(tmp_path, tiny.id, "red")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(other), encoding="utf-8")
    assert load_consensus(tmp_path, tiny.id, "red")[0] is None  # another model's file is not this consensus


def _schema() -> dict:
    return json.loads((SCHEMA_DIR / "assessment.schema.json").read_text(encoding="utf-8"))
