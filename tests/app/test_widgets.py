"""The app driven headlessly, as the house style asks: set .value, .click(), read back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlops_workbook import load_assessment, score_assessment
from mlops_workbook.app.session import Session
from mlops_workbook.app.widgets import App
from mlops_workbook.model.assessment import assessment_path

QUESTION = "aws.deploy.automated_deployment"
NOW = datetime.now(UTC)


EXAMPLE = Path("data/examples/aws-retail-forecasting.json")


@pytest.fixture
def app(tmp_path: Path) -> App:
    """A respondent's own file that starts as a copy of the AWS example (the example itself is read-only)."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["team"], data["respondent"] = "Payments", "R07"
    path = assessment_path(tmp_path, "aws", "Payments", "R07")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return App("aws", team="Payments", respondent="R07", folder=tmp_path)


def saved(app: App) -> dict:
    assert app.session is not None
    return json.loads(app.session.path.read_text(encoding="utf-8"))


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_the_worked_example_opens_read_only_and_writes_nothing(tmp_path):
    example = App("aws", folder=tmp_path)
    assert example.is_example and example.session is not None
    assert example.row(QUESTION).buttons.value == json.loads(EXAMPLE.read_text())["answers"][QUESTION]["value"]
    assert "<svg" in example.results.radar.value and "<svg" in example.results.levels.value
    assert "Worked example" in example.status.value and "nothing is saved" in example.status.value
    assert example.bridge.query == {"framework": "aws", "team": "", "respondent": ""}
    overall = example.results.overall.value
    example.organisation.value = "Typed before Open"  # the overwrite the room found
    example.picker.value = "gcp"  # another example: its own organisation replaces the field
    example.picker.value = "aws"
    assert example.organisation.value == json.loads(EXAMPLE.read_text())["organisation"]
    example.organisation.value = "Typed before Open"
    example.row(QUESTION).buttons.value = 0  # the example answers it above 0: the score must drop
    example.row(QUESTION).note.value = "trying it out"
    example.targets["deploy"].value = "scalable"
    assert example.results.overall.value != overall, "the example still answers back"
    example.round_button.click()
    assert "read-only" in example.problems.value
    assert list(tmp_path.rglob("*")) == [], "the worked example never writes a file"
    # Typing an identity changes nothing until Open, and says so.
    example.team.value, example.respondent.value = "Sales", "김민준"
    assert "Open / resume" in example.status.value and list(tmp_path.rglob("*.json")) == []
    example.organisation.value = example._example_organisation  # not typed by the person: not carried
    example.open_button.click()
    assert example.session.assessment.organisation == ""
    example.team.value, example.respondent.value = "Example team", "example"
    example.open_button.click()
    assert example.is_example
    example.organisation.value = "Typed before Open"
    example.team.value, example.respondent.value = "Sales", "이서연"
    example.open_button.click()
    assert not example.is_example and example.session.assessment.answers == {}, "my own file starts blank"
    assert example.session.assessment.organisation == "Typed before Open", "only what the person typed is kept"
    assert example.bridge.query == {"framework": "aws", "team": "Sales", "respondent": "이서연"}
    assert example.session.path.exists() and "Saved at" in example.status.value


def test_real_respondents_start_blank(tmp_path):
    app = App("gcp", team="Payments", respondent="R07", folder=tmp_path)
    assert saved(app)["answers"] == {}
    assert "not assessed yet" in app.results.overall.value
    assert (tmp_path / "gcp" / "payments--r07.json").exists()


def test_an_answer_rescores_redraws_and_saves(app):
    r = app.results
    radar, levels, table, overall = r.radar.value, r.levels.value, r.table.value, r.overall.value
    app.row(QUESTION).buttons.value = 0  # the example answers it above 0
    assert saved(app)["answers"][QUESTION]["value"] == 0
    fw = app.framework
    expected = score_assessment(fw, load_assessment(app.session.path))
    assert app.card() == expected, "what is shown is the score of what is saved"
    assert f"{expected.overall.score:.2f}" in app.results.overall.value and app.results.overall.value != overall
    assert app.results.radar.value != radar and app.results.levels.value != levels and app.results.table.value != table


def test_na_asks_for_a_reason_before_it_is_saved(app):
    row = app.row(QUESTION)
    before = saved(app)["answers"][QUESTION]["value"]
    row.buttons.value = "na"
    assert row.na_reason.layout.display == ""
    assert saved(app)["answers"][QUESTION]["value"] == before, "no N/A without a reason"
    assert "N/A is saved once a reason is given" in app.status.value
    row.na_reason.value = "We only score in batch"
    row.note.value = "see <b>ticket</b>"
    data = saved(app)["answers"][QUESTION]
    assert data == {"value": "na", "note": "see <b>ticket</b>", "na_reason": "We only score in batch"}
    row.clear.click()
    assert saved(app)["answers"][QUESTION]["value"] is None
    assert saved(app)["answers"][QUESTION]["note"] == "see <b>ticket</b>", "clearing keeps the note"


def test_targets_drive_the_gap_list(app):
    app.targets["deploy"].value = ""
    for dropdown in app.targets.values():
        dropdown.value = ""
    assert "Set a target level" in app.results.gap.value
    app.row(QUESTION).buttons.value = 0  # Deploy now misses its first level
    app.targets["deploy"].value = "repeatable"
    assert saved(app)["targets"] == {"deploy": "repeatable"}
    card = app.card()
    assert card.dimension("deploy").rank == 0 and card.gap
    assert [g.question.id for g in card.gap] == [b.id for b in card.dimension("deploy").blockers]
    assert card.gap[0].question.next_step[:30] in app.results.gap.value.replace("&#x27;", "'")


def test_kill_and_resume_shows_the_same_answers(tmp_path):
    first = App("azure", team="Claims", respondent="R2", folder=tmp_path)
    first.row("azure.model_creation.experiment_tracking").buttons.value = 3
    first.row("azure.model_creation.experiment_tracking").note.value = "MLflow"
    first.targets["people"].value = "L3"
    del first
    again = App("azure", team="Claims", respondent="R2", folder=tmp_path)
    assert again.row("azure.model_creation.experiment_tracking").buttons.value == 3
    assert again.row("azure.model_creation.experiment_tracking").note.value == "MLflow"
    assert again.targets["people"].value == "L3"


def test_a_stale_page_never_overwrites_newer_answers(tmp_path):
    page_one = App("aws", team="T", respondent="R", folder=tmp_path)
    page_two = App("aws", team="T", respondent="R", folder=tmp_path)
    page_one.row("aws.data.automated_pipelines").buttons.value = 4
    page_two.row("aws.train.model_registry").buttons.value = 2  # page two had not seen page one's answer
    answers = saved(page_two)["answers"]
    assert answers["aws.data.automated_pipelines"]["value"] == 4
    assert answers["aws.train.model_registry"]["value"] == 2
    assert page_two.row("aws.data.automated_pipelines").buttons.value == 4, "page two now shows it too"


def test_switching_framework_and_identity(tmp_path):
    app = App("aws", folder=tmp_path)
    app.picker.value = "azure"
    assert app.session is not None and app.session.framework.id == "azure" and app.is_example
    assert app.bridge.query["framework"] == "azure"
    assert "not assessed" not in app.results.overall.value, "the Azure example is open"
    app.team.value, app.respondent.value = "../../etc", "passwd"
    app.open_button.click()
    assert app.session.path == assessment_path(tmp_path, "azure", "../../etc", "passwd")
    assert app.session.path.parent == tmp_path / "azure", "no path escapes the folder"
    app.team.value = ""
    app.open_button.click()
    assert "Enter a team" in app.problems.value


def test_new_round_archives_and_overlays_the_previous(app):
    first_round = saved(app)["answers"][QUESTION]["value"]
    app.round_button.click()
    assert app.session is not None and app.session.assessment.round == 2
    archive = app.session.path.with_name(app.session.path.stem + ".round-1.json")
    assert archive.exists() and app.session.assessment.previous == archive.name
    app.row(QUESTION).buttons.value = 0
    assert json.loads(archive.read_text())["answers"][QUESTION]["value"] == first_round
    assert "Previous" in app.results.radar.value or "previous" in app.results.radar.value


def test_downloads_are_data_uris(app):
    app.downloads_button.click()
    html = app.downloads.value
    for suffix in (".json", "-answers.csv", "-radar.svg", "-radar.png", "-levels.svg", "-levels.png", "-report.html"):
        assert f"payments--r07--aws{suffix}" in html
    assert html.count("href='data:") == 12, "7 files, and the 5 roadmap exports: the example sets targets"
    assert "payments--r07--aws-roadmap-jira.csv" in html and "payments--r07--aws-roadmap.xlsx" in html


def test_upload_loads_a_valid_file_and_refuses_a_bad_one(app, tmp_path):
    good = json.loads(Path("data/examples/aws-retail-forecasting.json").read_text())
    good["answers"][QUESTION] = {"value": 3}
    app.upload.value = (
        {"name": "mine.json", "content": json.dumps(good).encode(), "type": "", "size": 1, "last_modified": NOW},
    )
    assert app.row(QUESTION).buttons.value == 3 and saved(app)["answers"][QUESTION]["value"] == 3
    before = app.session.path.read_bytes()
    app.upload.value = (
        {
            "name": "evil<script>.json",
            "content": b'{"framework": "aws", "answers": 5}',
            "type": "",
            "size": 1,
            "last_modified": NOW,
        },
    )
    assert "nothing changed" in app.problems.value and "<script>" not in app.problems.value
    assert app.session.path.read_bytes() == before
    app.upload.value = (
        {
            "name": "gcp.json",
            "content": Path("data/examples/gcp-fintech-fraud.json").read_bytes(),
            "type": "",
            "size": 1,
            "last_modified": NOW,
        },
    )
    assert "answers &#x27;gcp&#x27;, not &#x27;aws&#x27;" in app.problems.value


def test_hostile_names_are_escaped(tmp_path):
    app = App("aws", team="<img src=x onerror=alert(1)>", respondent="R1", organisation="<b>Org</b>", folder=tmp_path)
    app.row(QUESTION).buttons.value = 2
    assert "Saved at" in app.status.value and "<img" not in app.status.value
    data = saved(app)  # the file really holds the answer, and the names as typed
    assert data["answers"][QUESTION]["value"] == 2
    assert (data["team"], data["organisation"]) == ("<img src=x onerror=alert(1)>", "<b>Org</b>")
    html = app.download_links()
    assert "<img src=x" not in html


def test_a_failing_save_is_shown_not_swallowed(app, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as broken:
        broken.setattr(Session, "_write", disk_full)
        app.row(QUESTION).buttons.value = 0
        assert "Could not save your answer" in app.problems.value and "No space left" in app.problems.value
        assert "None" not in app.problems.value and "Answers saved before are safe" in app.problems.value
    app.row(QUESTION).buttons.value = 2  # the disk has room again
    assert "Could not save" not in app.problems.value, "a good save clears the error"
    assert saved(app)["answers"][QUESTION]["value"] == 2


def test_an_unreadable_saved_file_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "aws" / "t--r.json"
    path.parent.mkdir(parents=True)
    path.write_text("{broken")
    app = App("aws", team="T", respondent="R", folder=tmp_path)
    assert "is not valid JSON" in app.problems.value and "t--r.json" in app.problems.value
    assert path.read_text() == "{broken"


def test_compare_tab_places_every_model_on_the_common_scale(app):
    assert app.results.compare.value == "", "drawn only when the tab is opened"
    app.tabs.selected_index = 2
    assert "<svg" in app.results.compare.value
    for name in ("AWS", "Azure", "GCP"):
        assert name in app.results.compare.value


HOSTILE = "<script>alert(1)</script>"


def test_app_results_tab_defends_the_picked_dimension(tmp_path: Path):
    app = App("azure", team="Blue", respondent="R1", folder=tmp_path)
    assert [value for _, value in app.results.defend_pick.options] == [d.id for d in app.framework.dimensions]
    first = app.framework.questions_for("people")[0].id
    app.row(first).buttons.value = 4
    app.row(first).note.value = f"we pair daily {HOSTILE}"
    app.results.defend_pick.value = "people"
    assert "we pair daily &lt;script&gt;" in app.results.defend.value and HOSTILE not in app.results.defend.value
    app.results.defend_pick.value = "model_release"
    assert "Model release" in app.results.defend.value and "we pair daily" not in app.results.defend.value
    app.picker.value = "gcp"  # another model: its own dimensions
    assert [value for _, value in app.results.defend_pick.options] == [d.id for d in app.framework.dimensions]
    assert "mw-defend" in app.results.defend.value
