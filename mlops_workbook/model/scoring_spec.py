"""How a bank is scored, as data: the ``scoring:`` block of a bank.

* ``gated_levels`` (the default): levels are gates per question (``scoring.rules``).
* ``section_points``: each section (dimension) sums its answers' points; the overall
  figure combines the sections (``min``, ``sum`` or ``mean``) and is read on a band table.
* ``all_of``: a named outcome is reached when every statement of the listed sections is met.

The rules themselves are pure functions in :mod:`mlops_workbook.scoring`; this module
only says which rule and with which parameters.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

_ID = r"^[A-Za-z0-9][A-Za-z0-9_\-]*$"
Id = Annotated[str, Field(pattern=_ID, max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class GatedLevels(_Strict):
    rule: Literal["gated_levels"] = "gated_levels"


class PointBand(_Strict):
    """One row of a band table: the bank's level ``level`` (its name and summary say what it means)."""

    level: Id = Field(description="The level (name, meaning) this band reads as.")
    lower: float | None = Field(default=None, description="Lower bound; none: no lower bound.")
    upper: float | None = Field(default=None, description="Upper bound; none: no upper bound.")
    lower_open: bool = Field(default=True, description="true: the lower bound itself is not in the band, '(' .")
    upper_closed: bool = Field(default=True, description="true: the upper bound itself is in the band, ']' .")

    @model_validator(mode="after")
    def _ordered(self) -> PointBand:
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValueError(f"lower {self.lower:g} is above upper {self.upper:g}; write the lower bound first")
        return self

    def holds(self, value: float) -> bool:
        if self.lower is not None and (value < self.lower or (self.lower_open and value == self.lower)):
            return False
        return not (self.upper is not None and (value > self.upper or (not self.upper_closed and value == self.upper)))

    @property
    def text(self) -> str:
        """The band in interval notation: ``(1, 2]``, ``0``, ``> 5``."""
        if self.lower is not None and self.lower == self.upper:
            return f"{self.lower:g}"
        if self.upper is None:
            return f"{'>' if self.lower_open else '≥'} {self.lower:g}"
        if self.lower is None:
            return f"{'≤' if self.upper_closed else '<'} {self.upper:g}"
        return f"{'(' if self.lower_open else '['}{self.lower:g}, {self.upper:g}{']' if self.upper_closed else ')'}"


class SectionPoints(_Strict):
    rule: Literal["section_points"]
    combine: Literal["min", "sum", "mean"] = Field(description="How section sums make the overall figure.")
    bands: Annotated[list[PointBand], Field(min_length=1)] = Field(description="The band table, lowest first.")


class AllOf(_Strict):
    rule: Literal["all_of"]
    sections: Annotated[list[Id], Field(min_length=1)] = Field(
        description="Dimensions every statement of which must be met."
    )
    outcome: Id = Field(description="The level reached when they all are.")


ScoringSpec = Annotated[GatedLevels | SectionPoints | AllOf, Field(discriminator="rule")]
