"""Sample workshop respondents, to try the facilitator page before a real workshop.

:func:`seed_demo` writes a few teams of respondents whose answers scatter around the
bundled example of a model: each team leans a little higher or lower than the example,
each person adds some noise, and on a handful of *contested* questions the room splits
widely, so the discussion list has something to show. A few answers are "don't know"
and a few carry a note. The same ``seed`` always writes the same files.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from mlops_workbook.model.assessment import (
    assessment_path,
    load_assessment,
    new_assessment,
    save_assessment,
    set_answer,
)
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import ASSESSMENTS_DIR, EXAMPLES_DIR

DEMO_TEAMS = ("Payments", "Search", "Fraud", "Platform", "Pricing", "Claims")
DEMO_PEOPLE = ("Alex", "Sam", "Priya", "Jonas", "Mei", "Tomás", "Ana", "Kofi", "Lena", "Ravi", "Noor", "Eli")
DEMO_ORGANISATION = "Demo organisation"

#: Notes people write when they disagree with the room: one is picked per contested answer.
_NOTES_HIGH = (
    "We do this for the main model; the others follow the same template.",
    "Automated in the pipeline since last quarter.",
    "Documented in the runbook and reviewed every release.",
)
_NOTES_LOW = (
    "Only one person knows how this works; it is not written down.",
    "Done by hand before each release.",
    "Started but paused when the project was re-prioritised.",
)
_NOTES_UNKNOWN = ("Not sure - the platform team owns this.", "I joined recently and have not seen it.")


def seed_demo(
    folder: str | Path = "",
    framework: str = "aws",
    *,
    teams: int = 2,
    respondents: int = 5,
    seed: int = 7,
) -> list[Path]:
    """Write demo respondents to ``<folder>/<framework>/<team>--<name>.json``.

    Parameters
    ----------
    folder
        The assessments root (empty: the project's ``assessments/``).
    framework
        The model answered; its bundled example is the centre of the answers.
    teams, respondents
        How many teams, and respondents per team (up to 6 and 12).
    seed
        Same seed, same files.

    Returns
    -------
    list of Path
        The files written (existing files of the same names are replaced).
    """
    fw = load_framework(framework)
    root = Path(folder) if folder else ASSESSMENTS_DIR
    # the bundled example of the model (as app.session.example_for finds it; the workshop imports no app module)
    examples = sorted(EXAMPLES_DIR.glob(f"{fw.id}-*.json"))
    centre = load_assessment(examples[0]).answers if examples else {}
    rng = random.Random(seed)
    top = fw.scale.top
    written: list[Path] = []
    for team in DEMO_TEAMS[: max(1, min(teams, len(DEMO_TEAMS)))]:
        lean = {q.id: rng.choice((-1, 0, 0, 0, 1)) for q in fw.questions}
        contested = set(rng.sample([q.id for q in fw.questions], k=min(4, len(fw.questions))))
        start = new_assessment(fw).created - timedelta(minutes=30)
        for i, person in enumerate(DEMO_PEOPLE[: max(1, min(respondents, len(DEMO_PEOPLE)))]):
            a = new_assessment(fw, team=team, respondent=person, organisation=DEMO_ORGANISATION)
            a.created = start + timedelta(minutes=i)  # joining order: the pseudonyms R01, R02, … follow it
            for q in fw.questions:
                given = centre.get(q.id)
                if given is not None and given.value == "na":
                    set_answer(a, q.id, "na", na_reason="Not relevant for our models.")
                    continue
                base = given.value if given is not None and isinstance(given.value, int) else 2
                if rng.random() < 0.05:
                    set_answer(a, q.id, "unknown", note=rng.choice(_NOTES_UNKNOWN) if rng.random() < 0.5 else "")
                    continue
                spread = rng.choice((-2, -1, 1, 2)) if q.id in contested else rng.choice((-1, 0, 0, 0, 1))
                value = min(top, max(0, base + lean[q.id] + spread))
                note = ""
                if q.id in contested and rng.random() < 0.6:
                    note = rng.choice(_NOTES_HIGH if value > base else _NOTES_LOW)
                set_answer(a, q.id, value, note=note)
            path = assessment_path(root, fw.id, team, person)
            save_assessment(a, path)
            written.append(path)
    return written


__all__ = ["DEMO_ORGANISATION", "DEMO_PEOPLE", "DEMO_TEAMS", "seed_demo"]
