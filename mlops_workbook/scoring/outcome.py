"""What a data-declared scoring rule (``section_points``, ``all_of``) adds to a score card.

The card keeps its usual shape (dimensions, overall level and score) so every face can
show it; :class:`RuleOutcome` carries the rule's own result in the rule's own words:
the figure, the band or outcome it reads as, and why (the deciding sections and items).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SectionResult:
    """One section (dimension) as the rule sees it."""

    id: str
    name: str
    points: float  # section_points: sum of answer points; all_of: statements met
    max_points: float  # section_points: most points possible; all_of: applicable statements
    answered: int
    applicable: int
    required: bool = True  # all_of: the section is one of those that must be fully met

    @property
    def share(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "points": round(self.points, 3),
            "max_points": round(self.max_points, 3),
            "answered": self.answered,
            "applicable": self.applicable,
            "required": self.required,
        }


@dataclass(frozen=True)
class RuleOutcome:
    """The rule's own result: ``3.5`` read as band ``(3, 5]`` "Strong …", and why."""

    rule: str  # "section_points" or "all_of"
    rule_text: str  # the rule in one sentence, with this bank's parameters
    value: float  # section_points: the combined figure; all_of: share of required statements met
    value_text: str  # "3.5 (lowest section sum)", "38 of 46 required statements met"
    level_id: str
    name: str  # the band's or outcome's name (the bank's level name)
    meaning: str  # the level's summary
    band_text: str  # the band in interval notation ("(3, 5]"); "" for all_of
    why: str  # what decided it, in one or two sentences
    deciding: tuple[str, ...]  # ids of the deciding sections
    deciding_items: tuple[str, ...]  # ids of the questions that would move it (not at full points / not met)
    sections: tuple[SectionResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "rule_text": self.rule_text,
            "value": round(self.value, 3),
            "value_text": self.value_text,
            "level": self.level_id,
            "name": self.name,
            "meaning": self.meaning,
            "band": self.band_text,
            "why": self.why,
            "deciding_sections": list(self.deciding),
            "deciding_items": list(self.deciding_items),
            "sections": [s.to_dict() for s in self.sections],
        }
