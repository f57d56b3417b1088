from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mlops_workbook import check_framework, list_frameworks, load_framework
from mlops_workbook.model.coverage import check_coverage, reference_criteria
from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.paths import REFERENCE_FILE
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
    ids = [fw.id for fw in list_frameworks()]
    assert ids == sorted(ids) and {"aws", "azure", "gcp", "mltestscore", "marvelous"} <= set(ids)


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


def test_a_framework_is_complete_once_built():
    import yaml
    from pydantic import ValidationError

    from mlops_workbook.model.frameworks import load_scales
    from mlops_workbook.model.schema import Framework

    data = yaml.safe_load(TINY_BANK)
    framework = Framework.model_validate(data, context={"scales": load_scales()})
    assert framework.scale.id == "maturity_0_4" and framework.scale.values == [0, 1, 2, 3, 4]
    with pytest.raises(ValidationError, match="unknown scale 'maturity_0_4'"):
        Framework.model_validate(data)  # no scales given: no Framework, rather than one that fails later


def test_unknown_framework_id_lists_the_known_ones():
    with pytest.raises(WorkbookError, match="use one of: aws, azure, gcp"):
        load_framework("ibm")
    with pytest.raises(WorkbookError):
        load_framework("../../etc/passwd")


# --------------------------------------------------------------------------- versions, sources, crosswalk spans

#: Question ids removed or renamed in bank 2026.11.1; saved answers to them must keep loading.
RETIRED_IDS = {
    "aws": ["aws.train.experimentation_environment", "aws.data.feature_store"],
    "gcp": [],
    "azure": [
        "azure.model_creation.feature_store",
        "azure.model_creation.feature_monitoring",
        "azure.model_release.registry_promotion",
    ],
}

#: The publishers' pages each bank must cite (the project brief's sources).
PUBLISHER_URLS = {
    "aws": [
        "https://startup-resources.awscloud.com/campaign-assets-machine-learning/mlopsemerging-trends-in-data-code-and-infrastructure"
    ],
    "gcp": [
        "https://cloud.google.com/resources/mlops-whitepaper",
        "https://cloud.google.com/architecture/mlops-continuous-delivery-and-automation-pipelines-in-machine-learning",
    ],
    "azure": [
        "https://azure.microsoft.com/resources/mlops-with-azureml/",
        "https://docs.microsoft.com/en-us/azure/architecture/example-scenario/mlops/mlops-maturity-model",
    ],
}


@pytest.mark.parametrize("bank", BANKS)
def test_changelog_describes_the_current_version(bank):
    fw = load_framework(bank)
    assert fw.changelog and fw.changelog[0].version == fw.version
    assert len({entry.version for entry in fw.changelog}) == len(fw.changelog)


@pytest.mark.parametrize("bank", [b for b in BANKS if RETIRED_IDS[b]])
def test_answers_to_retired_questions_still_load_and_are_reported(bank, tmp_path):
    from mlops_workbook import check_assessment, load_assessment, new_assessment, save_assessment, set_answer
    from mlops_workbook.scoring.rules import score_assessment

    fw = load_framework(bank)
    retired = RETIRED_IDS[bank]
    assert not set(retired) & fw.question_ids
    old = new_assessment(fw)
    old.framework_version = "2026.11"
    for qid in retired:
        set_answer(old, qid, 4, note="answered on the old bank")
    reloaded = load_assessment(save_assessment(old, tmp_path / "old.json"))
    assert {qid: a.note for qid, a in reloaded.answers.items()} == dict.fromkeys(retired, "answered on the old bank")
    warnings = [(p.severity, p.where) for p in check_assessment(reloaded, fw, "old.json")]
    assert ("warning", "framework_version") in warnings
    assert {w for s, w in warnings if s == "warning" and w.startswith("answers.")} == {f"answers.{q}" for q in retired}
    assert score_assessment(fw, reloaded).unknown_question_ids == tuple(sorted(retired))


@pytest.mark.parametrize("bank", BANKS)
def test_bank_cites_the_publishers_pages_and_states_a_licence_for_each(bank):
    fw = load_framework(bank)
    urls = {s.url for s in fw.sources}
    assert set(PUBLISHER_URLS[bank]) <= urls
    assert "no stable public url" not in (fw.licence + " ".join(s.note for s in fw.sources)).lower()


def test_aws_grid_questions_carry_the_grids_non_commercial_notice():
    fw = load_framework("aws")
    grid = next(s for s in fw.sources if s.id == "aws-wp")
    assert "CC BY-NC" in grid.note and "CC BY-NC" in fw.licence and "aws-wp" in fw.licence
    assert any(q.source.ref == "aws-wp" for q in fw.questions)


def _crosswalk_bands() -> dict[tuple[str, str], set[int]]:
    """(model, level id) -> the crosswalk bands the reference lists it in."""
    placed: dict[tuple[str, str], set[int]] = {}
    for row in json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))["crosswalk"]:
        for model in BANKS:
            for level in row[model]:
                placed.setdefault((model, level), set()).add(row["band"])
    return placed


@pytest.mark.parametrize("bank", BANKS)
def test_level_spans_cover_the_reference_crosswalk_and_say_why(bank):
    fw = load_framework(bank)
    placed = _crosswalk_bands()
    previous = (0.0, 0.0)
    for level in fw.levels_by_rank:
        low, high = level.band
        assert all(low <= b <= high for b in placed[(bank, level.id)]), (level.id, level.band)
        assert low >= previous[0] and high >= previous[1], f"{level.id} sits below the level under it"
        assert "confidence" in level.band_note, level.id
        previous = level.band


def test_spans_where_the_models_overlap():
    """The reference's confidence notes: Google L1 already automates delivery behind validation gates,
    Google L2 keeps a manual push to production but triggers runs from monitoring, AWS Repeatable
    already automates deployment; Azure L1 adds only application DevOps."""
    gcp, aws, azure = (load_framework(b) for b in ("gcp", "aws", "azure"))
    assert gcp.level("L1").band == (1, 2) and gcp.level("L2").band == (2, 3)
    assert aws.level("repeatable").band == (1, 2)
    assert azure.level("L1").band == azure.level("L0").band == (0, 0)


def test_a_single_band_number_still_loads_as_a_point(tmp_path):
    framework, problems = check_framework(_write(tmp_path, TINY_BANK))
    assert framework is not None and problems == [] and framework.level("l1").band == (1, 1)
    backwards = TINY_BANK.replace("band: 1}", "band: [2, 1]}")
    assert any("levels[1] l1: band" in p and "runs backwards" in p for p in _problems(tmp_path, backwards))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_readme_comparing_models_table_matches_the_banks():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Comparing models", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (AWS|Google|Azure) (.+?) \| ([0-9–]+) \|", section, re.M)
    assert len(rows) >= 4
    banks = {"AWS": "aws", "Google": "gcp", "Azure": "azure"}
    for model, level, span in rows:
        fw = load_framework(banks[model])
        rank = re.fullmatch(r"Level (\d)", level)
        found = fw.level_at(int(rank.group(1))) if rank else next(lv for lv in fw.levels if lv.name == level)
        assert found.band_text == span, (model, level)
    spans = {(fw.id, lv.id) for fw in map(load_framework, BANKS) for lv in fw.levels if lv.band[0] != lv.band[1]}
    assert len(spans) <= len(rows), "every level that spans several bands is explained in the README"
