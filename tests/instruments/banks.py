"""Small banks written inside tests: a yes/no checklist an author could write in five minutes."""

from __future__ import annotations

import textwrap
from pathlib import Path

YES_NO_BANK = """
schema_version: 1
id: {id}
name: "Team checklist"
short_name: Checklist
publisher: "Us"
version: "1"
licence: "Written for the test; CC0"
about: "A tiny yes/no checklist."
sources: [{{id: handbook, title: "Our handbook"}}]
answer_scale: yes_no
met_threshold: 1
scoring: {{rule: all_of, sections: [basics], outcome: ready}}
levels:
  - {{id: not_yet, rank: 0, name: "Not yet ready", summary: "Some basics are missing."}}
  - {{id: ready, rank: 1, name: "Ready", summary: "Every basic practice is in place."}}
dimensions:
  - {{id: basics, name: Basics}}
  - {{id: extras, name: Extras}}
questions:
  - {{id: {id}.basics.versioned, dimension: basics, text: "Code is versioned.", why: "w", next_step: "n",
     source: {{ref: handbook, criterion: "1"}}}}
  - {{id: {id}.basics.reviewed, dimension: basics, text: "Changes are reviewed.", why: "w", next_step: "n",
     source: {{ref: handbook, criterion: "2"}}}}
  - {{id: {id}.extras.dashboards, dimension: extras, text: "Dashboards exist.", why: "w", next_step: "n",
     source: {{ref: handbook, criterion: "3"}}}}
"""


def write_yes_no_bank(folder: Path, bank_id: str = "checklist") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{bank_id}.yaml"
    path.write_text(textwrap.dedent(YES_NO_BANK.format(id=bank_id)), encoding="utf-8")
    return path
