"""What the app's status line says: the worked example, a hint, or where and when the last save went."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path

from mlops_workbook.model.schema import Framework
from mlops_workbook.scoring.instruments import describe_rule

#: While the worked example is open.
EXAMPLE_STATUS = (
    "<span class='mw-example'>Worked example: try the buttons, nothing is saved. To assess your own team, "
    "enter your team and a respondent code above and press <b>Open / resume</b>.</span>"
)
#: A team or respondent typed but not opened yet.
OPEN_HINT = (
    "<span class='mw-hint'>Press <b>Open / resume</b> to open the answers of this team and "
    "respondent; until then changes go to the assessment shown below.</span>"
)
#: N/A chosen without its reason.
NA_HINT = "<span class='mw-hint'>Say why this does not apply: N/A is saved once a reason is given.</span>"


def example_status(message: str = "") -> str:
    """The worked example's status, with ``message`` (escaped) after it."""
    return EXAMPLE_STATUS + (f" {escape(message)}" if message else "")


def saved_status(saved_at: datetime, path: Path, message: str = "") -> str:
    """When and where the last save went, with ``message`` (escaped) after it."""
    return (
        f"<span class='mw-ok'>✔ Saved at {saved_at:%H:%M:%S}</span> "
        f"<span class='mw-muted'>to {escape(str(path))}</span> {escape(message)}"
    )


def model_intro(framework: Framework) -> str:
    """The line above a model's questions: its name and how to answer."""
    scale = framework.scale  # the bank's own scale, words and rule (data/scales.yaml, the bank's scoring)
    first, last = scale.options[0], scale.options[-1]
    words = {"na": "N/A if it does not apply", "unknown": "? if you don't know"}
    how = f"{first.value} {first.label.lower()} … {last.value} {last.label.lower()}"
    how += "".join(f"; {words[w]}" for w in scale.words)
    rule = describe_rule(framework)
    about = f"<details><summary>About this instrument</summary>{escape(framework.about)} {escape(rule)}</details>"
    return (
        f"<div class='mw-card'><b>{escape(framework.name)}</b> — answer each statement for your team: "
        f"{escape(how)}. Open <i>Why it matters</i> for an explanation."
        f"{about if framework.scoring.rule != 'gated_levels' else ''}</div>"
    )


def unknown_bank(asked: str, opened: str, known: Sequence[str]) -> str:
    """When the page link names a bank there is not: say so, and which one opened instead ("" otherwise)."""
    if asked in known:
        return ""
    banks = ", ".join(k for k in known if k != "quick")
    return (
        f"<div class='mw-error' role='alert'>The link asks for the model <b>{escape(asked)}</b>, which is not a "
        f"bank here (banks: {escape(banks)}); <b>{escape(opened)}</b> opened instead. "
        "Check the link, or add the bank's YAML file to data/frameworks/ or $MLOPS_WORKBOOK_BANKS.</div>"
    )
