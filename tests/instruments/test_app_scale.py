"""The app follows the bank: its scale's buttons and words, every bank discovered, a clear word on an unknown one."""

from __future__ import annotations

from mlops_workbook.app.controls import ANSWER_OPTIONS, answer_buttons, answer_options
from mlops_workbook.app.status import model_intro
from mlops_workbook.app.widgets import App
from mlops_workbook.model.frameworks import BANKS_ENV, load_framework
from tests.instruments.banks import write_yes_no_bank


def test_buttons_follow_the_banks_scale():
    # fails if answer_buttons goes back to the fixed ANSWER_OPTIONS (0-4 on a three-option scale)
    mlts = load_framework("mltestscore")
    assert answer_options(mlts) == [("Not done", 0), ("Manual", 1), ("Automated", 2), ("?", "unknown")]
    assert [v for _, v in answer_buttons(mlts).options] == [0, 1, 2, "unknown"]
    assert answer_options(load_framework("aws")) == ANSWER_OPTIONS


def test_instructions_follow_the_scale_and_show_the_rule():
    text = model_intro(load_framework("marvelous"))
    # fails with the old hard-coded "0 not in place … 4 fully in place" line
    assert "0 no … 1 yes" in text and "4 fully" not in text
    assert "MLOps-mature when every statement of Documentation" in text and "MIT" in text
    assert "0 not in place … 4 fully in place and routine" in model_intro(load_framework("aws"))


def test_a_private_bank_is_in_the_picker_and_answers_on_its_scale(tmp_path, monkeypatch):
    write_yes_no_bank(tmp_path / "banks", "teamcheck")
    monkeypatch.setenv(BANKS_ENV, str(tmp_path / "banks"))
    app = App("teamcheck", team="Red", respondent="R1", folder=tmp_path / "answers")
    # fails if App keeps a hard-coded list of banks
    assert "teamcheck" in [value for _, value in app.picker.options]
    assert app.framework.id == "teamcheck"


def test_an_unknown_framework_in_the_link_is_said_on_the_page(tmp_path, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "framework=nosuch&team=Red&respondent=R1")
    app = App.for_page("aws", folder=tmp_path)
    # fails if for_page falls back silently (no message in app.problems)
    assert "nosuch" in app.problems.value and "not a bank here" in app.problems.value
    assert app.framework.id == "aws"


def test_word_buttons_are_wide_enough_and_section_banks_show_no_level_chip(tmp_path):
    """ML Test Score's buttons read "Not done / Manual / Automated" in full (fails with button_width back to a
    fixed 44px), and its questions carry no level chip — it scores sections, not levels (fails if question_html
    shows the chip for every rule)."""
    from mlops_workbook.app.controls import button_width
    from mlops_workbook.render.views import question_html

    tests, aws = load_framework("mltestscore"), load_framework("aws")
    assert button_width(aws) == "44px"
    longest = max(len(text) for text, _ in answer_options(tests))
    assert int(button_width(tests).removesuffix("px")) >= 8 * longest
    app = App(folder=tmp_path, framework="mltestscore")
    assert app.pages._layouts.buttons_style.button_width == button_width(tests)
    assert 'class="mw-level"' not in question_html(tests, tests.questions[0])
    assert 'class="mw-level"' in question_html(aws, aws.questions[0])
