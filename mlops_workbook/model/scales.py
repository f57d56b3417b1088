"""Answer scales as data (``data/scales.yaml``): options, points, N/A and "don't know".

A scale lists its options (whole-number value, short label, meaning) and what each is
worth in points (the value itself unless the option says otherwise), and whether the
words ``na`` (not applicable) and ``unknown`` (don't know) may be answered. Every face
that takes or checks an answer — the app's buttons, CSV import, assessment checks —
asks the bank's scale, and every message names that scale's own values.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

_ID = r"^[A-Za-z0-9][A-Za-z0-9_\-]*$"
WORD_LABELS = {"na": "Not applicable", "unknown": "Don't know"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class ScaleOption(_Strict):
    value: Annotated[int, Field(ge=0, le=10)]
    label: Annotated[str, Field(max_length=200)]
    description: Annotated[str, Field(max_length=4000)] = Field(default="", description="What the option means.")
    points: Annotated[float, Field(ge=0, le=100)] | None = Field(
        default=None, description="What the option is worth to a points rule (default: its value)."
    )

    @property
    def worth(self) -> float:
        return float(self.value) if self.points is None else self.points


class AnswerScale(_Strict):
    id: Annotated[str, Field(pattern=_ID, max_length=64)]
    name: Annotated[str, Field(max_length=200)]
    options: Annotated[list[ScaleOption], Field(min_length=2)]
    na: bool = Field(default=True, description="Whether 'na' (not applicable, with a reason) may be answered.")
    unknown: bool = Field(default=True, description="Whether 'unknown' (don't know) may be answered.")

    @model_validator(mode="after")
    def _rising(self) -> AnswerScale:
        values = self.values
        if values != sorted(set(values)):
            raise ValueError(f"option values {values} must rise, each once (lowest first)")
        worth = [o.worth for o in self.options]
        if worth != sorted(worth):
            raise ValueError(f"option points {worth} must not fall as values rise")
        return self

    @property
    def values(self) -> list[int]:
        return [o.value for o in self.options]

    @property
    def top(self) -> int:
        return max(self.values)

    @property
    def words(self) -> tuple[str, ...]:
        """The answer words this scale offers besides its values, in display order."""
        return tuple(w for w in ("na", "unknown") if getattr(self, w))

    def option(self, value: int) -> ScaleOption | None:
        return next((o for o in self.options if o.value == value), None)

    def label(self, value: int | str | None) -> str:
        option = self.option(value) if isinstance(value, int) and not isinstance(value, bool) else None
        if option is not None:
            return option.label
        return WORD_LABELS.get(str(value), "Unanswered")

    def points(self, value: int | str | None) -> float:
        """Points an answer is worth: its option's points; 0 for words and blanks."""
        option = self.option(value) if isinstance(value, int) and not isinstance(value, bool) else None
        return option.worth if option is not None else 0.0

    @property
    def max_points(self) -> float:
        return max(o.worth for o in self.options)

    def describe(self) -> str:
        """The allowed answers in words: ``0 (No), 1 (Yes), 'na' or 'unknown'``."""
        parts = [f"{o.value} ({o.label})" for o in self.options] + [repr(w) for w in self.words]
        return ", ".join(parts[:-1]) + f" or {parts[-1]}"

    def problem(self, value: object) -> str | None:
        """What is wrong with ``value`` as an answer on this scale, or None when it is fine."""
        if value is None:
            return None
        if isinstance(value, str) and value in self.words:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value in self.values:
            return None
        shown = value if isinstance(value, int | float) and not isinstance(value, bool) else repr(value)
        return f"must be {self.describe()} (scale {self.name!r}), not {shown}"
