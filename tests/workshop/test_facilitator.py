"""The facilitator page driven headlessly: set .value, .click(), read the HTML back."""

from __future__ import annotations

import json
import os
import re
import time
from html import escape
from pathlib import Path

import pytest

from mlops_workbook import load_assessment, load_framework, new_assessment, save_assessment, score_assessment
from mlops_workbook.cli.main import main
from mlops_workbook.model.assessment import assessment_path, set_answer
from mlops_workbook.workshop.aggregation import answers_frame, load_responses, summarise
from mlops_workbook.workshop.demo import seed_demo
from mlops_workbook.workshop.facilitator import FacilitatorApp

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def room(tmp_path: Path) -> Path:
    """Two demo teams of five, plus one broken file."""
    seed_demo(tmp_path, "aws", teams=2, respondents=5)
    (tmp_path / "aws" / "payments--broken.json").write_text("{not json", encoding="utf-8")
    return tmp_path


@pytest.fixture
def app(room: Path) -> FacilitatorApp:
    return FacilitatorApp("aws", folder=room)


def ranked_questions(html: str) -> list[str]:
    return re.findall(r"data-question='([^']+)'", html)


def test_counts_respondents_and_lists_the_broken_file(app):
    assert "<b>10</b> respondents in 2 teams" in app.count.value
    assert "payments--broken.json" in app.problems.value
    assert list(app.team.options) == ["Payments", "Search"]
    assert app.empty_box.layout.display == "none"


def test_discussion_list_follows_the_workshop_order(app, room):
    fw = load_framework("aws")
    found, _ = load_responses(room, fw)
    expected = summarise(fw, answers_frame(fw, found)).discussion(top=8, team="Payments")
    assert app.team.value == "Payments"
    assert ranked_questions(app.discussion.value) == list(expected["question"])
    first = fw.question(expected["question"][0])
    assert escape(first.text) in app.discussion.value
    app.top.value = 3
    assert ranked_questions(app.discussion.value) == list(expected["question"][:3])
    app.team.value = "Search"
    assert (
        ranked_questions(app.discussion.value)[0]
        == summarise(fw, answers_frame(fw, found)).discussion(top=1, team="Search")["question"][0]
    )


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_names_are_hidden_until_asked_for(app):
    shown = app.discussion.value + app.radar.value
    assert "R01" in app.discussion.value
    for name in ("Alex", "Priya", "Jonas", "Mei"):
        assert name not in shown
    app.tabs.selected_index = 2  # answers: question × respondent
    assert "R05" in app.answers_map.value and "Alex" not in app.answers_map.value
    app.names.value = True
    app.tabs.selected_index = 2
    assert "Alex" in app.answers_map.value
    assert "Names are shown" in app.count.value
    app.names.value = False
    assert "Alex" not in app.answers_map.value + app.discussion.value


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_hostile_text_is_escaped(room):
    fw = load_framework("aws")
    a = new_assessment(fw, team="Payments", respondent=HOSTILE)
    for q in fw.questions:
        set_answer(a, q.id, 0, note=f"note {HOSTILE}")
    save_assessment(a, assessment_path(room, "aws", "Payments", "zz-hostile"))
    app = FacilitatorApp("aws", folder=room, show_names=True, top=30)
    app.tabs.selected_index = 2
    app.downloads_button.click()
    for widget in (app.discussion, app.radar, app.answers_map, app.count, app.problems, app.consensus_intro):
        assert "<script>" not in widget.value
    assert escape(HOSTILE) in app.discussion.value  # the name and the note, both shown as text


def test_refresh_picks_up_a_new_file_and_skips_when_nothing_changed(app, room):
    assert app.refresh() is False
    assert "No new answers" in app.status.value
    seed_demo(room, "aws", teams=3, respondents=5)  # a third team joins
    app.refresh_button.click()
    assert "<b>15</b> respondents in 3 teams" in app.count.value
    assert "Fraud" in app.team.options


def test_auto_refresh_drives_the_play_widget(app, room):
    app.auto.value = True
    assert app.play.playing is True
    fw = load_framework("aws")
    late = new_assessment(fw, team="Search", respondent="late")
    set_answer(late, fw.questions[0].id, 2)
    save_assessment(late, assessment_path(room, "aws", "Search", "late"))
    app.play.value += 1  # what the browser does every 15 s
    assert "<b>11</b> respondents" in app.count.value
    app.auto.value = False
    assert app.play.playing is False


def test_empty_folder_says_so_and_offers_demo_respondents(tmp_path):
    app = FacilitatorApp("gcp", folder=tmp_path)
    assert "No answers yet" in app.empty.value and "respondent=R07" in app.empty.value
    assert app.tabs.layout.display == "none" and app.problems.value == ""
    app.demo_button.click()
    assert "<b>18</b> respondents in 3 teams" in app.count.value
    assert ranked_questions(app.discussion.value)


def test_consensus_is_saved_reloaded_and_scored(app, room):
    first = next(iter(app.rows))
    app.rows[first].buttons.value = 4
    app.rows[first].rationale.value = "Agreed after the demo of the pipeline"
    app.save_button.click()
    path = room / "aws" / "payments--consensus.json"
    assert path.exists(), app.problems.value
    assert "Consensus saved" in app.consensus_status.value
    saved = load_assessment(path)
    assert saved.kind == "consensus" and saved.team == "Payments"
    assert saved.answers[first].value == 4 and saved.answers[first].note.startswith("Agreed")
    fw = load_framework("aws")
    assert score_assessment(fw, saved).overall is not None
    assert "agreed: 4" in app.discussion.value
    # consensus files are not respondents
    app.refresh_button.click()
    assert "<b>10</b> respondents" in app.count.value

    reopened = FacilitatorApp("aws", folder=room)
    assert reopened.rows[first].buttons.value == 4
    assert reopened.rows[first].rationale.value == "Agreed after the demo of the pipeline"


@pytest.mark.notebook
@pytest.mark.slow
def test_a_saved_consensus_makes_a_report(app, room, tmp_path):
    """Starts report kernels: marked, so the fast subset leaves it out."""
    app.save_button.click()
    path = room / "aws" / "payments--consensus.json"
    assert path.exists(), app.problems.value
    out = tmp_path / "reports"
    assert main(["report", str(path), "-o", str(out), "--quiet"]) == 0
    pages = [p for p in out.glob("*.html") if p.name != "index.html"]
    assert pages and "Payments" in pages[0].read_text(encoding="utf-8")


def test_radar_redraws_when_a_consensus_is_saved(app, room):
    before = app.radar.value
    for row in app.rows.values():  # agree on the top answer everywhere discussed: the team's radar must move
        row.buttons.value = 4
    app.save_button.click()
    assert "Consensus saved" in app.consensus_status.value, app.problems.value
    assert app.radar.value != before
    assert app.radar.value == FacilitatorApp("aws", folder=room).radar.value, "the same radar as a new page"


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_export_offers_every_file(app):
    app.save_button.click()
    files = {name: data for name, _, data in app.room.export_files(app.labels, app.picked)}
    assert set(files) >= {
        "workshop-aws-answers.csv",
        "workshop-aws-teams.csv",
        "workshop-aws-questions.csv",
        "workshop-aws-payments-radar.svg",
        "workshop-aws-payments-radar.png",
        "workshop-aws-teams.png",
        "workshop-aws-payments-answers.png",
        "workshop-aws-payments-consensus.json",
    }
    assert b"Alex" not in files["workshop-aws-answers.csv"] and b"R01" in files["workshop-aws-answers.csv"]
    assert json.loads(files["workshop-aws-payments-consensus.json"])["kind"] == "consensus"
    assert files["workshop-aws-payments-radar.png"].startswith(b"\x89PNG")


def test_seed_demo_is_repeatable_and_varied(tmp_path):
    first = seed_demo(tmp_path / "a", "azure", teams=2, respondents=4, seed=3)
    second = seed_demo(tmp_path / "b", "azure", teams=2, respondents=4, seed=3)
    assert len(first) == 8
    answers = [json.loads(p.read_text())["answers"] for p in first]
    assert answers == [json.loads(p.read_text())["answers"] for p in second]
    values = {q: {a[q]["value"] for a in answers[:4] if q in a} for q in answers[0]}
    assert any(len(v) >= 3 for v in values.values()), "some questions split the room"
    assert any(a.get("note") for person in answers for a in person.values())


def test_save_errors_are_shown_not_raised(app, room):
    first = next(iter(app.rows))
    before = app.problems.value  # the fixture's broken file is listed already: not what this test is about
    assert "mw-error" in before and first not in before
    app.rows[first].rationale.value = "x" * 5000  # longer than a note may be
    app.save_button.click()
    # the message the click caused: the consensus, the question and what is wrong (fails if a handler's
    # error is swallowed, e.g. show_problems writing only the file problems)
    assert f"decisions.{first}" in app.problems.value, app.problems.value
    assert "at most 4000 characters" in app.problems.value
    assert "payments--broken.json" in app.problems.value, "the file problems stay listed"
    assert not (room / "aws" / "payments--consensus.json").exists()


def test_an_unchanged_file_with_a_new_mtime_is_reread(app, room):
    path = room / "aws" / "payments--alex.json"
    later = time.time() + 5
    os.utime(path, (later, later))
    assert app.refresh() is True


def test_csv_template_and_import_from_the_page(tmp_path):
    from mlops_workbook.workshop.facilitator import FacilitatorApp
    from mlops_workbook.workshop.responses_csv import csv_template

    app = FacilitatorApp("gcp", folder=tmp_path)
    assert "gcp-responses-template.csv" in app.csv.template.value
    fw = app.framework
    header = csv_template(fw).splitlines()[0]
    columns = header.split(",")
    good = ["Fraud", "R1", "Kestrel"] + ["3"] * (len(columns) - 3)
    bad = ["Fraud", "R2", "Kestrel"] + ["7"] + ["2"] * (len(columns) - 4)
    hostile = ["<script>x</script>", "R3", ""] + ["1"] * (len(columns) - 3)
    content = "\n".join(",".join(r) for r in (columns, good, bad, hostile)).encode()
    html = app.csv.import_bytes(content, "form.csv")
    assert "Imported 2 respondent(s)" in html
    assert "form.csv" in html and "row 3" in html and "<script>x" not in html
    assert (tmp_path / "gcp" / "fraud--r1.json").exists()
    assert "Fraud" in app.team.options, "the page refreshed after the import"
    again = app.csv.import_bytes(content, "form.csv")
    assert "already exists" in again, "a respondent's file is never overwritten"
    assert "Nothing was imported" in app.csv.import_bytes(b"\xff\xfe", "broken.csv")


def test_an_import_into_a_folder_it_cannot_write_says_what_to_do(tmp_path):
    from mlops_workbook.workshop.responses_csv import csv_template

    app = FacilitatorApp("gcp", folder=tmp_path)
    (tmp_path / "gcp").write_text("a file where the model's folder should be", encoding="utf-8")
    columns = csv_template(app.framework).splitlines()[0].split(",")
    good = ["Fraud", "R1", "Kestrel"] + ["3"] * (len(columns) - 3)
    content = "\n".join(",".join(r) for r in (columns, good)).encode()
    # fails (raises) without the OSError branch of import_bytes
    html = app.csv.import_bytes(content, "form.csv")
    assert "Import stopped: could not write" in html and "import the same file again" in html
    assert "Something went wrong" not in html and "Error:" not in html


def test_teams_to_compare_can_be_narrowed_and_new_teams_join_the_comparison(app, room):
    teams = list(app.team.options)
    assert len(teams) == 2 and set(app.compare_teams.value) == set(teams)
    app.tabs.selected_index = 3
    for team in teams:
        assert team in app.teams_map.value
    seed_demo(room, "aws", teams=3, respondents=5)  # while every team is compared, a new one joins too
    app.refresh_button.click()
    assert set(app.compare_teams.value) == {*teams, "Fraud"}
    app.compare_teams.value = (teams[0],)
    assert teams[0] in app.teams_map.value
    assert teams[1] not in app.teams_map.value and "Fraud" not in app.teams_map.value


# --------------------------------------------------------------------------- team levels in the one vocabulary


def _thin_team(room: Path, team: str, people: int = 2) -> None:
    """A team whose members answered only the first six questions: its level is provisional."""
    fw = load_framework("aws")
    for i in range(people):
        a = new_assessment(fw, team=team, respondent=f"R{i + 1:02d}")
        for q in fw.questions[:6]:
            set_answer(a, q.id, 3)
        save_assessment(a, assessment_path(room, "aws", team, f"R{i + 1:02d}"))


def test_team_levels_are_worded_as_in_the_app_with_provisional_marks(room):
    from mlops_workbook.scoring.rules import level_label
    from mlops_workbook.workshop.aggregation import OVERALL
    from mlops_workbook.workshop.consensus import median_assessment
    from mlops_workbook.workshop.facilitator import TEAMS_TAB

    thin = "Ops & <i>ML</i>/B"
    _thin_team(room, thin)
    fw = load_framework("aws")
    app = FacilitatorApp("aws", folder=room)
    app.team.value = thin
    assert app.room.answers is not None and app.room.summary is not None
    card = score_assessment(fw, median_assessment(fw, app.room.answers, thin))
    o = card.overall
    assert o is not None and o.provisional, "the thin team must be provisional for this test to mean anything"
    # the workshop summary says what the score card says (fails if _completeness drifts from Completeness)
    row = app.room.summary.teams.set_index(["team", "dimension"]).loc[(thin, OVERALL)]
    assert (row["level_label"], bool(row["level_provisional"])) == (level_label(fw, o.rank), True)
    assert (row["level_answered"], row["level_applicable"], row["level_na"]) == (
        o.completeness.answered,
        o.completeness.applicable,
        o.completeness.na,
    )
    # count line: the app's overall block under the team's name (fails if _draw_count leaves out team_level_html)
    count = app.count.value
    assert "Overall level (weakest dimension)" in count and "average of dimension scores" in count
    assert f"level {o.rank} of {card.top_rank}" in count and "median answers of the team" in count
    assert 'class="mw-provisional"' in count
    assert f"{o.completeness.answered} of {o.completeness.applicable} answered" in count
    # radar subtitle (fails if team_radar stops setting the subtitle from team_level_words)
    assert f"overall level (weakest dimension) {level_label(fw, o.rank)} · provisional" in app.radar.value
    # teams × dimensions: a row per team, level_label per dimension, the badge on provisional cells only
    app.tabs.selected_index = TEAMS_TAB
    html = app.teams_map.value
    assert "<th>Overall level (weakest dimension)</th><th>Average of dimension scores</th>" in html
    flagged = int(app.room.summary.teams["level_provisional"].sum())
    assert flagged >= 2 and html.count('class="mw-provisional"') == flagged  # fails if cells ignore the flag
    for r in app.room.summary.teams.dropna(subset=["level_label"]).itertuples():
        assert escape(r.level_label) in html
    assert "* provisional" in html  # the heatmap's star note
    for widget in (app.count, app.radar, app.teams_map):
        assert "<i>ML</i>" not in widget.value
    assert escape(thin) in app.count.value and escape(thin) in html
    # a team resting on enough answers carries no mark (fails if the badge is always shown)
    app.team.value = "Payments"
    assert "Overall level (weakest dimension)" in app.count.value and "mw-provisional" not in app.count.value


def test_a_consensus_saved_under_the_old_file_name_is_found_and_kept_there(room):
    from mlops_workbook.workshop.consensus import CONSENSUS, consensus_path

    team = "Team A/B"
    _thin_team(room, team)
    fw = load_framework("aws")
    old = room / "aws" / "team-a-b--consensus.json"  # the ASCII-only name of earlier versions
    assert old != consensus_path(room, "aws", team), "names that lose information now get a hash"
    agreed = new_assessment(fw, team=team, respondent=CONSENSUS)
    agreed.kind = "consensus"
    first = fw.questions[0].id
    set_answer(agreed, first, 4, note="agreed last month")
    save_assessment(agreed, old)

    app = FacilitatorApp("aws", folder=room)
    app.team.value = team
    # fails if _load_consensus goes back to consensus_path
    assert app.room.consensus is not None and app.room.consensus.answers[first].note == "agreed last month"
    assert "(consensus)" in app.count.value
    row = next(iter(app.rows.values()))
    row.buttons.value = 2
    row.rationale.value = "agreed again today"
    app.save_button.click()
    assert "Consensus saved" in app.consensus_status.value, app.problems.value
    # saved where it was loaded from (fails if save_consensus writes to consensus_path)
    assert not consensus_path(room, "aws", team).exists()
    saved = load_assessment(old)
    assert saved.team == team and "agreed again today" in {a.note for a in saved.answers.values()}
    assert escape(str(old)) in app.consensus_status.value


def test_the_old_consensus_name_is_only_taken_when_the_file_is_the_teams(tmp_path):
    from mlops_workbook.workshop.consensus import CONSENSUS, consensus_path, find_consensus

    fw = load_framework("aws")
    # "Team A B" is named team-a-b today, which is also the old name of "Team A/B"
    other = new_assessment(fw, team="Team A B", respondent=CONSENSUS)
    other.kind = "consensus"
    taken = save_assessment(other, consensus_path(tmp_path, "aws", "Team A B"))
    assert taken.name == "team-a-b--consensus.json"
    assert find_consensus(tmp_path, "aws", "Team A B") == taken
    # fails if find_consensus takes the old-named file without checking whose it is
    assert find_consensus(tmp_path, "aws", "Team A/B") == consensus_path(tmp_path, "aws", "Team A/B") != taken


def test_the_page_carries_the_stylesheet_once(app: FacilitatorApp):
    from mlops_workbook.render.style import STYLE

    def html_of(widget) -> str:
        own = getattr(widget, "value", "") if isinstance(getattr(widget, "value", ""), str) else ""
        return own + "".join(html_of(child) for child in getattr(widget, "children", ()))

    assert html_of(app.widget).count(STYLE) == 1
