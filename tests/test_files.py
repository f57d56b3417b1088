"""Hostile files: one located problem each, and one bad file never stops a folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mlops_workbook.model.assessment import load_assessment
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.files import MAX_DEPTH, file_lock, parse_json, parse_yaml
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.workshop.responses import load_responses

EXAMPLE = Path("data/examples/aws-retail-forecasting.json")

HOSTILE = {
    "nested-arrays": "[" * 100_000,
    "nested-objects": '{"a":' * 100_000,
    "nested-in-a-field": '{"framework": "aws", "answers": {"q": {"note": ' + "[" * 900 + "]" * 900 + "}}}",
    "huge-integer": '{"framework": "aws", "answers": {}, "round": ' + "9" * 5000 + "}",
    "huge-float": '{"framework": "aws", "answers": {}, "round": 1e999}',
    "nan": '{"framework": "aws", "answers": {"aws.data.automated_pipelines": {"value": NaN}}}',
    "infinity": '{"framework": "aws", "answers": {}, "round": -Infinity}',
    "duplicate-keys": '{"framework": "aws", "answers": {}, "team": "A", "team": "B"}',
}
EXPECTED = {
    "nested-arrays": f"nested more than {MAX_DEPTH} levels",
    "nested-objects": f"nested more than {MAX_DEPTH} levels",
    "nested-in-a-field": f"nested more than {MAX_DEPTH} levels",
    "huge-integer": "5000 digits",
    "huge-float": "too large",
    "nan": "NaN",
    "infinity": "-Infinity",
    "duplicate-keys": "appears twice",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_json_is_one_located_problem(tmp_path, kind):
    path = tmp_path / f"{kind}.json"
    path.write_text(HOSTILE[kind], encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        load_assessment(path)
    (problem,) = caught.value.problems
    assert problem.file.endswith(f"{kind}.json") and problem.severity == "error"
    assert EXPECTED[kind] in problem.what


def test_duplicate_keys_are_all_named():
    text = '{"answers": {"q.a": {"value": 1}, "q.a": {"value": 2}}, "team": "A", "team": "B"}'
    with pytest.raises(WorkbookError) as caught:
        parse_json(text, "dup.json")
    assert [(p.file, p.where) for p in caught.value.problems] == [("dup.json", "key 'q.a'"), ("dup.json", "key 'team'")]


def test_deep_yaml_is_one_problem_too():
    with pytest.raises(WorkbookError, match="nested more than"):
        parse_yaml("[" * 100_000, "bank.yaml")
    with pytest.raises(WorkbookError, match="nested more than"):
        parse_yaml("a: " + "[" * 100 + "]" * 100, "bank.yaml")
    assert parse_yaml("a: [[1]]", "bank.yaml") == {"a": [[1]]}


def test_a_yaml_syntax_error_names_its_line_and_column():
    with pytest.raises(WorkbookError, match=r"bank.yaml: line 2, column 2: is not valid YAML"):
        parse_yaml("a: [1, 2\nb: c: d", "bank.yaml")


def room(tmp_path: Path) -> Path:
    """An assessments folder: two good files, and every hostile one beside them."""
    folder = tmp_path / "assessments" / "aws"
    folder.mkdir(parents=True)
    for person in ("r1", "r2"):
        data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        data["respondent"] = person
        (folder / f"good--{person}.json").write_text(json.dumps(data), encoding="utf-8")
    for kind, text in HOSTILE.items():
        (folder / f"{kind}.json").write_text(text, encoding="utf-8")
    return tmp_path / "assessments"


def test_the_facilitators_folder_loading_keeps_the_good_files(tmp_path):
    assessments, problems = load_responses(room(tmp_path), load_framework("aws"))
    assert [a.respondent for a in assessments] == ["r1", "r2"]
    bad = {Path(p.file).name for p in problems if p.severity == "error"}
    assert bad == {f"{kind}.json" for kind in HOSTILE}


def test_one_bad_file_does_not_stop_validate_summary_or_report(tmp_path, capsys):
    from mlops_workbook.cli.main import main

    folder = room(tmp_path)
    assert main(["validate", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out.count("ok  ") == 2 and "10 file(s)" in out
    assert "8 file(s) with errors" in err and "nested-arrays.json" in err and "internal error" not in err

    assert main(["workshop", "summary", str(folder), "--framework", "aws"]) == 1
    out, err = capsys.readouterr()
    assert "2 respondent(s)" in out, "the summary of the good files is printed"
    assert "8 file(s) skipped" in err and "duplicate-keys.json" in err

    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    shutil.copy(folder / "aws" / "nested-arrays.json", only_bad)
    out_dir = tmp_path / "reports"
    assert main(["report", str(only_bad), "-o", str(out_dir), "-q"]) == 1
    _, err = capsys.readouterr()
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    assert "Not reported (1)" in index and "nested-arrays.json" in index and "nested more than" in index
    assert "RecursionError" not in err + index


def test_the_lock_serialises_and_leaves_no_file(tmp_path):
    target = tmp_path / "a" / "x.json"
    with file_lock(target):
        lock_file = target.with_name(".x.json.lock")
        assert lock_file.exists()
        # not re-entrant: a second holder waits, then gives up with a clear message
        with pytest.raises(WorkbookError, match="being saved by another process"), file_lock(target, timeout=0.2):
            pass
    assert not lock_file.exists()
    with file_lock(target, timeout=0.2):  # released: free again at once
        pass
