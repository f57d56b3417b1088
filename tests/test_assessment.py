from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mlops_workbook import (
    assessment_path,
    check_assessment,
    load_assessment,
    load_framework,
    new_assessment,
    save_assessment,
    set_answer,
)
from mlops_workbook.model.assessment import slug, start_new_round
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.schema import export_schemas, json_schemas

EXAMPLES = sorted(Path("data/examples").glob("*.json"))


def test_every_model_has_a_fully_answered_example():
    frameworks = {load_assessment(p).framework for p in EXAMPLES}
    assert frameworks == {p.stem for p in Path("data/frameworks").glob("*.yaml")}  # every bank, however many
    for path in EXAMPLES:
        a = load_assessment(path)
        fw = load_framework(a.framework)
        assert check_assessment(a, fw, path.name) == []
        assert set(a.answers) == fw.question_ids
        values = [x.value for x in a.answers.values()]
        assert all(word in values for word in fw.scale.words)  # every word the bank's scale offers
        assert a.targets or fw.scoring.rule != "gated_levels"  # targets are levels of a gated bank
        assert all(x.na_reason for x in a.answers.values() if x.value == "na")
        assert sum(bool(x.note) for x in a.answers.values()) >= len(values) // 3


def test_round_trip_keeps_everything(tmp_path):
    fw = load_framework("aws")
    a = new_assessment(fw, organisation="Org <b>", team="Team ü", respondent="R1", targets={"data": "reliable"})
    set_answer(a, "aws.data.automated_pipelines", 3, note='<script>alert("x")</script>')
    set_answer(a, "aws.deploy.automated_deployment", "na", na_reason="batch only")
    set_answer(a, "aws.future.question", 2)  # unknown to the bank: kept
    path = save_assessment(a, tmp_path / "a.json")
    b = load_assessment(path)
    assert b.model_dump() == a.model_dump()
    assert b.answers["aws.data.automated_pipelines"].note == '<script>alert("x")</script>'
    problems = check_assessment(b, fw, "a.json")
    assert [(p.severity, p.where) for p in problems] == [("warning", "answers.aws.future.question")]


def test_note_survives_taking_the_answer_back():
    fw = load_framework("aws")
    a = new_assessment(fw)
    set_answer(a, "aws.data.automated_pipelines", 2, note="nightly job")
    set_answer(a, "aws.data.automated_pipelines", None)
    assert a.answers["aws.data.automated_pipelines"].value is None
    assert a.answers["aws.data.automated_pipelines"].note == "nightly job"


def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    fw = load_framework("aws")
    path = tmp_path / "a.json"
    a = new_assessment(fw, team="T")
    set_answer(a, "aws.data.automated_pipelines", 3)
    save_assessment(a, path)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    set_answer(a, "aws.data.automated_pipelines", 4)
    with pytest.raises(OSError):
        save_assessment(a, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"], "no temp file left behind"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "is not valid JSON"),
        (b"", "is not valid JSON"),
        (b"[1, 2]", "not an assessment"),
        (b'{"hello": "world"}', "not an mlops-workbook assessment"),
        (b'{"schema_version": 7, "framework": "aws", "answers": {}}', "newer mlops-workbook"),
        (
            b'{"framework": "aws", "answers": {"aws.data.automated_pipelines": {"value": 7}}}',
            "answers.aws.data.automated_pipelines.value: must be 0 (Not in place), 1",
        ),
        (b'{"framework": "aws", "answers": {"aws.data.automated_pipelines": {"value": "3"}}}', "not '3'"),
        (b'{"framework": "aws", "answers": {"aws.data.automated_pipelines": {"value": 2.5}}}', "not 2.5"),
        (b'{"framework": "aws", "answers": {}, "team": "' + b"x" * 300 + b'"}', "team"),
        (b"\xff\xfe\x00garbage", "is not UTF-8 text"),
    ],
)
def test_malformed_files_get_one_clear_message_and_stay_untouched(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as info:
        load_assessment(path)
    assert any(expected in str(p) and "bad.json" in str(p) for p in info.value.problems), info.value.problems
    assert path.read_bytes() == content


def test_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"framework": "aws", "answers": {}, "x": "' + b"a" * 10_000_000 + b'"}')
    with pytest.raises(WorkbookError, match="too large"):
        load_assessment(path)


def test_unknown_targets_are_errors():
    fw = load_framework("aws")
    a = new_assessment(fw, targets={"data": "galactic", "vibes": "reliable"})
    problems = {p.where: p for p in check_assessment(a, fw, "x.json")}
    assert problems["targets.data"].severity == "error" and "galactic" in problems["targets.data"].what
    assert problems["targets.vibes"].severity == "error"


@pytest.mark.parametrize(
    ("team", "respondent", "expected"),
    [
        ("Demand Forecasting", "R01", "aws/demand-forecasting--r01.json"),
        ("Payments", "R07", "aws/payments--r07.json"),  # plain names keep the file names they always had
        ("../../etc", "/root/.ssh", "aws/etc_74ccf3c5--root-ssh_67100b6b.json"),
        ("", "", "aws/team--anonymous.json"),
        ("Équipe Ä", "Ω", "aws/équipe-ä--ω.json"),
        ("Sales", "김민준", "aws/sales--김민준.json"),
        ("..", "\x00/\\", "aws/team_5ec1f7e7--anonymous_19f1c904.json"),
    ],
)
def test_assessment_paths_cannot_escape_the_folder(tmp_path, team, respondent, expected):
    path = assessment_path(tmp_path, "aws", team, respondent)
    assert path == tmp_path / expected
    assert path.resolve().is_relative_to(tmp_path.resolve())
    assert len(path.name.encode()) < 230  # room for .round-N, temporary and lock names within 255 bytes


def test_slug_doctest():
    assert slug("../../etc/Passwd  Team Ä") == "etc-passwd-team-ä_90b7b85a"


NAMES = [
    "김민준", "이서연", "営業", "開発", "Anonymous", "anonymous", "", "Team", "a" * 59 + "b", "a" * 59 + "c",
    "a" * 80 + "x", "a" * 80 + "y", "R07", "R-07", "R.07", "r/07", "Ω", "ω_", "Équipe", "Equipe", "x\ud800",
    "한" * 40 + "가", "한" * 40 + "나", "team a b", "team-a.b",
]  # fmt: skip


def test_different_names_never_share_a_slug():
    """Names differing in more than case, width or spacing get different slugs (hence files)."""
    from mlops_workbook.model.assessment import identity_key

    people = {identity_key(n): n for n in NAMES}
    slugs = {slug(n) for n in people.values()}
    assert len(slugs) == len(people)
    assert all("--" not in s and "/" not in s and "." not in s for s in slugs)
    assert slug("Ｒ０７") == slug("r07") and slug(" R_07 ") == slug("r 07")  # width, case, spacing fold


def test_new_round_copies_answers_and_links_back():
    fw = load_framework("aws")
    a = new_assessment(fw)
    set_answer(a, "aws.data.automated_pipelines", 2)
    b = start_new_round(a, "x.round-1.json")
    assert b.round == 2 and b.previous == "x.round-1.json" and b.answers == a.answers
    assert b.created >= a.created


def test_exported_json_schema_matches_the_models(tmp_path):
    for name, schema in json_schemas().items():
        committed = json.loads((Path("data/schema") / name).read_text(encoding="utf-8"))
        assert committed == schema, f"data/schema/{name} drifted: run `mlops-workbook schema`"
    assert {p.name for p in export_schemas(tmp_path)} == set(json_schemas())


def test_json_schema_validates_the_examples():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schemas()["assessment.schema.json"]
    for path in EXAMPLES:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


def test_na_without_a_reason_is_a_warning_naming_the_field():
    fw = load_framework("aws")
    a = new_assessment(fw)
    set_answer(a, "aws.data.automated_pipelines", "na", na_reason=" \n ")
    set_answer(a, "aws.train.experiment_tracking", "na", na_reason="We train no models ourselves")
    set_answer(a, "aws.deploy.automated_deployment", 2)
    (problem,) = check_assessment(a, fw, "x.json")
    assert (problem.severity, problem.where) == ("warning", "answers.aws.data.automated_pipelines.na_reason")
    assert "needs a reason" in problem.what and "say why" in problem.fix


def test_load_checked_refuses_a_file_with_errors_and_names_the_field(tmp_path, tiny):
    from mlops_workbook.model.checked import load_checked

    assessment = new_assessment(tiny, team="T", respondent="R")
    set_answer(assessment, "tiny.a.one", 3)
    set_answer(assessment, "tiny.b.one", "na")  # no reason: a warning, the file stays usable
    path = save_assessment(assessment, tmp_path / "a.json")
    checked = load_checked(path, tiny)
    assert checked.assessment.answers["tiny.a.one"].value == 3 and checked.errors == []
    assert [p.where for p in checked.problems] == ["answers.tiny.b.one.na_reason"]

    assessment.targets = {"a": "l9"}
    save_assessment(assessment, path)
    with pytest.raises(WorkbookError, match=r"a\.json: targets\.a: 'l9' is not a level") as raised:
        load_checked(path, tiny)
    assert [p.severity for p in raised.value.problems] == ["error"]  # errors only; warnings stay with the file
    assert [p.where for p in load_checked(path, tiny, raise_errors=False).errors] == ["targets.a"]
