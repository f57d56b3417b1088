"""One team's saved assessments of several models, on the common 0-3 scale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mlops_workbook import charts
from mlops_workbook.app.session import Session, demo_seed
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.model.paths import ASSESSMENTS_DIR
from mlops_workbook.model.schema import Framework
from mlops_workbook.scoring.rules import ScoreCard, score_assessment


@dataclass(frozen=True)
class Comparison:
    team: str
    frameworks: tuple[Framework, ...]
    cards: dict[str, ScoreCard]

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
                }
            )
        return pd.DataFrame(rows)

    def chart(self) -> Any:
        from mlops_workbook.render.views import figure

        return figure(charts.crosswalk_chart(list(self.frameworks), self.cards), self.table())


def compare_team(
    team: str,
    respondent: str,
    *,
    folder: str | Path = "",
    frameworks: Sequence[str] = ("aws", "gcp", "azure"),
) -> Comparison:
    """Score whatever this team and respondent saved for each model (examples for the demo team)."""
    models = tuple(load_framework(fid) for fid in frameworks)
    cards = {}
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
    return Comparison(team, models, cards)
