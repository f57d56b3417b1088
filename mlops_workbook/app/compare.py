"""One team's saved assessments of several models, on the common 0-3 scale.

A team that answered the core questionnaire once ("Quick: all models") has a derived
assessment of every model in the same files, so it is compared as one that answered each
model; the table says which models' answers came from the core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mlops_workbook import charts
from mlops_workbook.app.session import Session, demo_seed
from mlops_workbook.model.frameworks import framework_ids, load_framework
from mlops_workbook.model.paths import ASSESSMENTS_DIR
from mlops_workbook.model.schema import Framework
from mlops_workbook.scoring.rules import ScoreCard, score_assessment


@dataclass(frozen=True)
class Comparison:
    team: str
    frameworks: tuple[Framework, ...]
    cards: dict[str, ScoreCard]
    #: Per framework id: how many answers were derived from core items, and how many given in its own wording.
    derived: dict[str, tuple[int, int]] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """Per model: overall level, the span of the common scale it covers, average of dimension scores."""
        rows = []
        for fw in self.frameworks:
            card = self.cards.get(fw.id)
            overall = card.overall if card else None
            rows.append(
                {
                    "model": fw.name,
                    "overall level": overall.level_name if overall else "not assessed",
                    "common-scale span": fw.level(overall.level_id).band_text if overall else None,
                    "mean score": round(overall.score, 2) if overall else None,
                    "of top rank": fw.top.rank,
                    "answered": answered_words(*self.derived[fw.id]) if fw.id in self.derived else "",
                }
            )
        return pd.DataFrame(rows)

    def chart(self) -> Any:
        from mlops_workbook.render.views import figure

        return figure(charts.crosswalk_chart(list(self.frameworks), self.cards), self.table())


def answered_words(from_core: int, own: int) -> str:
    """How a model's answers were given: ``"core questionnaire (25), own wording (2)"``.

    >>> answered_words(25, 0), answered_words(0, 30)
    ('core questionnaire (25)', "the model's questions (30)")
    """
    if not from_core:
        return f"the model's questions ({own})"
    return f"core questionnaire ({from_core})" + (f", own wording ({own})" if own else "")


def compare_team(
    team: str,
    respondent: str,
    *,
    folder: str | Path = "",
    frameworks: Sequence[str] = (),
) -> Comparison:
    """Score whatever this team and respondent saved for each model (examples for the demo team)."""
    models = tuple(load_framework(fid) for fid in frameworks or framework_ids())  # every bank there is
    cards, derived = {}, {}
    for fw in models:
        assessment = Session.peek(
            fw,
            team=team,
            respondent=respondent,
            folder=folder or ASSESSMENTS_DIR,
            seed=demo_seed(fw.id, team, respondent),
        )
        if assessment is not None and assessment.framework == fw.id:
            cards[fw.id] = score_assessment(fw, assessment)
            answers = assessment.answers.values()
            derived[fw.id] = (
                sum(bool(a.derived_from) for a in answers),
                sum(a.value is not None and not a.derived_from for a in answers),
            )
    return Comparison(team, models, cards, derived)
