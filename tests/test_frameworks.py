from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mlops_workbook import check_framework, list_frameworks, load_framework
from mlops_workbook.coverage import check_coverage, reference_criteria
from mlops_workbook.errors import WorkbookError
from mlops_workbook.paths import REFERENCE_FILE
from tests.conftest import TINY_BANK

BANKS = ["aws", "gcp", "azure"]


@pytest.mark.parametrize("bank", BANKS)
def test_bundled_banks_have_no_problems(bank):
    framework, problems = check_framework(Path("data/frameworks") / f"{bank}.yaml")
    assert framework is not None and problems == []


def test_published_level_and_dimension_names():
    aws, gcp, azure = (load_framework(b) for b in BANKS)
    assert [lv.name for lv in aws.levels_by_rank] == ["Initial", "Repeatable", "Reliable", "Scalable"]
    assert [d.name for d in aws.dimensions] == ["People", "Data", "Train", "Deploy"]
    assert [lv.name.split(" - ")[1] for lv in gcp.levels_by_rank] == [
        "Manual process",
        "ML pipeline automation",
        "CI/CD pipeline automation",
    ]
    assert len(gcp.dimensions) >= 4 and gcp.dimension_rationale
    assert [lv.name for lv in azure.levels_by_rank] == [
        "No MLOps",
        "DevOps but no MLOps",
        "Automated training",
        "Automated model deployment",
        "Full MLOps automated operations",
    ]
    assert [d.name for d in azure.dimensions] == [
        "People",
        "Model creation",
        "Model release",
        "Application integration",
    ]


@pytest.mark.parametrize("bank", BANKS)
def test_every_question_is_cited_and_actionable(bank):
    fw = load_framework(bank)
    sources = {s.id: s for s in fw.sources}
    for q in fw.questions:
        assert q.source.ref in sources and q.source.criterion.strip()
        assert len(q.why) > 40 and len(q.next_step) > 40, q.id
        assert q.themes, q.id
        assert q.level != fw.baseline.id


@pytest.mark.parametrize("bank", BANKS)
def test_every_reference_criterion_is_mapped(bank):
    assert reference_criteria(bank), "the reference has criteria for this model"
    assert check_coverage(bank) == []


def test_coverage_check_finds_unmapped_and_missing(tmp_path):
    entries = (Path("data/coverage") / "aws.yaml").read_text(encoding="utf-8")
    first_entry_end = entries.index("  - ref:", entries.index("  - ref:") + 1)
    start = entries.index("  - ref:")
    broken = entries[:start] + entries[first_entry_end:]  # drop the first criterion
    broken = broken.replace("aws.data.automated_pipelines]", "aws.data.no_such_question]", 1)
    (tmp_path / "aws.yaml").write_text(broken, encoding="utf-8")
    problems = [str(p) for p in check_coverage("aws", folder=tmp_path)]
    assert any("aws/initial/people/1" in p and "not mapped" in p for p in problems)
    assert any("aws.data.no_such_question" in p for p in problems)


def test_vendored_reference_matches_the_shared_one():
    shared = Path(__file__).resolve().parents[2] / "shared" / "reference" / "frameworks.json"
    if not shared.exists():
        pytest.skip("the team's shared/ folder is not beside this checkout")
    assert json.loads(shared.read_text()) == json.loads(REFERENCE_FILE.read_text())


@pytest.mark.parametrize("bank", BANKS)
def test_questions_paraphrase_never_copy_the_reference(bank):
    def runs(text: str, n: int = 8) -> set[str]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}

    reference = set().union(*(runs(t) for t in reference_criteria(bank).values()))
    for q in load_framework(bank).questions:
        copied = runs(f"{q.text} {q.why} {q.next_step}") & reference
        assert not copied, f"{q.id} copies the reference: {copied}"


def test_list_frameworks():
    assert [fw.id for fw in list_frameworks()] == ["aws", "azure", "gcp"]


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    framework, problems = check_framework(path)
    assert framework is None
    return [str(p) for p in problems]


def test_all_problems_of_a_bank_are_reported_at_once(tmp_path):
    text = (
        TINY_BANK.replace("dimension: b, level: l2", "dimension: zz, level: l2")
        .replace("id: tiny.a.three, dimension: a, level: l2", "id: tiny.a.three, dimension: a, level: l9")
        .replace("id: tiny.a.two", "id: tiny.a.one")
        .replace("ref: src, criterion: c}, weight: 3", "ref: nope, criterion: c}, weight: 3")
    )
    problems = _problems(tmp_path, text)
    assert any("tiny.b.two: dimension: unknown dimension 'zz'" in p for p in problems)
    assert any("tiny.a.three: level: unknown level 'l9'" in p for p in problems)
    assert any("questions tiny.a.one: id is used 2 times" in p for p in problems)
    assert any("source.ref: unknown source 'nope'" in p for p in problems)
    assert all(p.startswith(str(tmp_path.name)) or "bank.yaml" in p for p in problems)


def test_question_at_the_baseline_is_refused(tmp_path):
    problems = _problems(
        tmp_path,
        TINY_BANK.replace("id: tiny.a.one, dimension: a, level: l1", "id: tiny.a.one, dimension: a, level: l0"),
    )
    assert any("baseline" in p and "tiny.a.one" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: [unclosed", "is not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        (TINY_BANK.replace("answer_scale: maturity_0_4", "answer_scale: stars"), "unknown scale 'stars'"),
        (TINY_BANK.replace("met_threshold: 3", "met_threshold: 9"), "9 is not a value of the scale"),
        (TINY_BANK.replace("short_name: Tiny", "short_name: Tiny\nsurprise: 1"), "surprise: is not a known field"),
        (TINY_BANK.replace("weight: 3", "weight: -1"), "weight"),
    ],
)
def test_bad_banks_get_clear_messages(tmp_path, text, expected):
    problems = _problems(tmp_path, text)
    assert any(expected in p and "bank.yaml" in p for p in problems), problems


def test_unknown_framework_id_lists_the_known_ones():
    with pytest.raises(WorkbookError, match="use one of: aws, azure, gcp"):
        load_framework("ibm")
    with pytest.raises(WorkbookError):
        load_framework("../../etc/passwd")
