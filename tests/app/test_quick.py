"""'Quick: all models' driven headlessly: core answers saved, three models derived, overrides, ownership;
and the roadmap among the downloads once a target is set (app and facilitator)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_workbook.app.downloads import download_files
from mlops_workbook.app.quick import QUICK, QUICK_LABEL
from mlops_workbook.app.widgets import App
from mlops_workbook.model.assessment import assessment_path, load_assessment
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.workshop.room import WorkshopRoom

#: A core item each model asks as one of its own questions (relation ``equivalent``).
ITEM = "automated_model_deployment"
DERIVED = {
    "aws": "aws.deploy.automated_deployment",
    "azure": "azure.model_release.automated_release",
    "gcp": "gcp.delivery.automated_model_deployment",
}


def saved(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def quick_app(folder: Path) -> App:
    app = App("aws", team="Payments", respondent="R07", folder=folder)
    assert (QUICK_LABEL, QUICK) in app.picker.options
    app.picker.value = QUICK
    return app


def test_core_answers_are_saved_and_every_model_is_derived_with_its_core_items(tmp_path):
    app = quick_app(tmp_path)
    assert app.session is None and app.body.layout.display == "none" and app.quick.widget.layout.display == "flex"
    assert app.bridge.query == {"framework": QUICK, "team": "Payments", "respondent": "R07"}
    titles = [app.quick.pages.accordion.get_title(i) for i in range(len(app.quick.pages.accordion.children))]
    app.quick.pages.accordion.selected_index = next(i for i, t in enumerate(titles) if t.startswith("CI/CD"))
    assert f"core.{ITEM}" in app.quick.rows, "opening a theme's page builds its rows"
    app.quick.rows[f"core.{ITEM}"].buttons.value = 3
    na = app.quick.row("shared_goals")
    na.buttons.value = "na"  # N/A waits for its reason, as in the model view
    assert "shared_goals" not in saved(tmp_path / "core" / "payments--r07.json")["answers"]
    na.na_reason.value = "one-person team"

    core = saved(tmp_path / "core" / "payments--r07.json")
    assert core["questionnaire"] == "core" and (core["team"], core["respondent"]) == ("Payments", "R07")
    assert core["answers"][ITEM]["value"] == 3 and core["answers"]["shared_goals"]["value"] == "na"
    for fid, question_id in DERIVED.items():
        derived = saved(assessment_path(tmp_path, fid, "Payments", "R07"))
        assert derived["derived_from"] == "core", fid
        assert derived["answers"][question_id]["value"] == 3
        assert derived["answers"][question_id]["derived_from"] == [ITEM]
        assert derived["answers"][question_id]["note"].startswith(f"From core item {ITEM}")
    assert saved(assessment_path(tmp_path, "aws", "Payments", "R07"))["answers"]["aws.people.shared_goals"] == {
        "value": "na",
        "note": "From core item shared_goals (Shared project goals).",
        "na_reason": "shared_goals: one-person team",
        "derived_from": ["shared_goals"],
    }
    levels = app.quick.levels.value
    assert all(f"mw-quick-{fid}" in levels for fid in DERIVED) and "answers from core items" in levels
    assert "<svg" in app.quick.crosswalk.value
    derivation = app.quick.derivation.value
    assert derivation.count("<details") == 3 and f"from core item {ITEM} (" in derivation


def test_an_answer_in_the_models_own_view_wins_over_the_core(tmp_path):
    app = quick_app(tmp_path)
    app.quick.row(ITEM).buttons.value = 3
    app.picker.value = "gcp"  # the derived file, in the model's own view
    assert app.row(DERIVED["gcp"]).buttons.value == 3
    assert "From core item" in app.row(DERIVED["gcp"]).note.value
    app.row(DERIVED["gcp"]).buttons.value = 1  # the team disagrees, in Google's wording
    app.picker.value = QUICK
    app.quick.row(ITEM).buttons.value = 4  # deriving again keeps it
    gcp = load_assessment(assessment_path(tmp_path, "gcp", "Payments", "R07"))
    assert gcp.answers[DERIVED["gcp"]].value == 1 and not gcp.answers[DERIVED["gcp"]].derived_from
    assert load_assessment(assessment_path(tmp_path, "aws", "Payments", "R07")).answers[DERIVED["aws"]].value == 4
    assert "own wording (it wins over the core)" in app.quick.derivation.value
    assert "1 in its own wording" in app.quick.levels.value


def test_someone_elses_core_file_is_never_written(tmp_path):
    theirs = tmp_path / "core" / "payments--r07.json"
    theirs.parent.mkdir()
    content = json.dumps({"questionnaire": "core", "team": "Payments", "respondent": "Someone else", "answers": {}})
    theirs.write_text(content, encoding="utf-8")
    app = quick_app(tmp_path)
    assert "belongs to someone else" in app.quick.host.problems.value
    assert app.quick.session is None
    assert theirs.read_text(encoding="utf-8") == content
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json"))
    assert files == ["aws/payments--r07.json", "core/payments--r07.json"], "nothing derived from their answers"
    assert not saved(tmp_path / "aws" / "payments--r07.json").get("derived_from")  # the model view's own blank file


def test_the_worked_examples_identity_saves_nothing_in_the_quick_view(tmp_path):
    app = App("aws", folder=tmp_path)
    app.picker.value = QUICK
    app.quick.row(ITEM).buttons.value = 3
    assert "enter your team and a respondent code" in app.problems.value
    assert list(tmp_path.rglob("*.json")) == []


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_the_roadmap_is_among_the_downloads_once_a_target_is_set(tmp_path):
    app = App("aws", team="Payments", respondent="R07", folder=tmp_path)
    app.row(DERIVED["aws"]).buttons.value = 1
    assert not [name for name, _, _ in download_files(app.report()) if "roadmap" in name], "no target: no roadmap"
    app.targets["deploy"].value = "repeatable"
    names = [name for name, _, _ in download_files(app.report())]
    assert [n for n in names if "-roadmap" in n] == [
        "payments--r07--aws-roadmap-jira.csv",
        "payments--r07--aws-roadmap-azure-boards.csv",
        "payments--r07--aws-roadmap.md",
        "payments--r07--aws-roadmap.json",
        "payments--r07--aws-roadmap.xlsx",
    ]
    assert "roadmap-jira.csv" in app.download_links()


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_the_facilitator_export_carries_the_consensus_roadmap(tmp_path):
    room = WorkshopRoom(load_framework("aws"), folder=tmp_path)
    room.demo(teams=1, respondents=3)
    room.open_team(room.largest_team() or "")
    room.save_consensus({})
    labels = room.labels()
    assert not [n for n, _, _ in room.export_files(labels) if "roadmap" in n], "no target: no roadmap"
    assert room.consensus is not None
    room.consensus.targets = {"deploy": "scalable"}
    roadmap = [n for n, _, _ in room.export_files(labels) if "roadmap" in n]
    assert len(roadmap) == 5 and all("-consensus-roadmap" in n for n in roadmap)
