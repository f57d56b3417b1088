"""The two file formats, as pydantic models: question banks and assessments.

The JSON Schemas under ``data/schema/`` are exported from these models
(:func:`export_schemas`); a test fails when the files drift from the code.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from mlops_workbook.model.scales import AnswerScale as AnswerScale  # re-exported: scales live in model.scales
from mlops_workbook.model.scales import ScaleOption as ScaleOption
from mlops_workbook.model.scoring_spec import GatedLevels, ScoringSpec

SCHEMA_VERSION: Final = 1
ANSWER_WORDS = ("na", "unknown")

_ID = r"^[A-Za-z0-9][A-Za-z0-9_\-]*$"
_DOTTED_ID = r"^[a-z0-9][a-z0-9_]*(\.[a-z0-9][a-z0-9_]*)+$"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Id = Annotated[str, Field(pattern=_ID, max_length=64)]
ShortText = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=4000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# --------------------------------------------------------------------------- banks


class Source(_Strict):
    id: Id
    title: LongText
    url: LongText = ""
    publisher: ShortText = ""
    date: ShortText = ""
    note: LongText = ""


_BAND_POINT = {"type": "number", "minimum": 0, "maximum": 3}
#: A span [lowest, highest] on the common 0-3 scale; one number x is read as [x, x].
Band = Annotated[
    tuple[Annotated[float, Field(ge=0, le=3)], Annotated[float, Field(ge=0, le=3)]],
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "array", "prefixItems": [_BAND_POINT, _BAND_POINT], "minItems": 2, "maxItems": 2},
                _BAND_POINT,
            ]
        }
    ),
]


class Level(_Strict):
    id: Id
    rank: Annotated[int, Field(ge=0, le=10)]
    name: ShortText
    summary: LongText
    band: Band | None = Field(
        default=None,
        description="Span [lowest, highest] on the common 0-3 scale shared by all models (crosswalk); "
        "a single number x means [x, x]. Optional: the compare view places only banks that declare it.",
    )
    band_note: LongText = Field(default="", description="Why the level sits at this span of the common scale.")

    @field_validator("band", mode="before")
    @classmethod
    def _point_is_a_span(cls, value: Any) -> Any:
        # Older private banks give one number: a point is a span of width zero.
        if isinstance(value, int | float) and not isinstance(value, bool):
            return (value, value)
        return value

    @field_validator("band")
    @classmethod
    def _ordered_span(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and value[0] > value[1]:
            raise ValueError(f"{list(value)} runs backwards; write [lowest, highest]")
        return value

    @property
    def band_text(self) -> str:
        """``"1"`` for a point, ``"1–2"`` for a span, ``""`` without a band."""
        if self.band is None:
            return ""
        low, high = (f"{b:g}" for b in self.band)
        return low if low == high else f"{low}–{high}"


class ChangelogEntry(_Strict):
    version: ShortText
    date: ShortText = ""
    changes: Annotated[list[LongText], Field(min_length=1)]


class Dimension(_Strict):
    id: Id
    name: ShortText
    description: LongText = ""


class QuestionSource(_Strict):
    ref: Id = Field(description="The id of one of the bank's sources.")
    criterion: LongText = Field(description="Which criterion of the source the question comes from.")


class Question(_Strict):
    id: Annotated[str, Field(pattern=_DOTTED_ID, max_length=120)]
    dimension: Id
    level: Id = Field(
        default="",
        description="The lowest level at which the model expects this practice (gated_levels banks); "
        "section_points and all_of banks may leave it out (it then reads as the top level).",
    )
    text: LongText
    why: LongText
    next_step: LongText
    source: QuestionSource
    themes: list[Id] = Field(default_factory=list)
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0


def _scales_in(info: ValidationInfo) -> dict[str, AnswerScale]:
    context = info.context if isinstance(info.context, dict) else {}
    scales = context.get("scales", {})
    return scales if isinstance(scales, dict) else {}


class Framework(_Strict):
    """A question bank: one maturity model turned into practice statements."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: Id
    name: ShortText
    short_name: ShortText
    publisher: ShortText
    version: ShortText
    model_version: LongText = ""
    date: ShortText = ""
    licence: LongText
    about: LongText = ""
    dimension_rationale: LongText = ""
    sources: Annotated[list[Source], Field(min_length=1)]
    answer_scale: Id
    met_threshold: int = Field(description="An answer at or above this value counts as 'met'.")
    provisional_below: Annotated[float, Field(ge=0, le=1)] = Field(
        default=0.8,
        description="A level is marked provisional while fewer than this share of the applicable questions "
        "have a 0-4 answer (completeness).",
    )
    levels: Annotated[list[Level], Field(min_length=2)]
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    questions: Annotated[list[Question], Field(min_length=1)]
    changelog: list[ChangelogEntry] = Field(
        default_factory=list, description="What changed in each bank version, newest first."
    )
    scoring: ScoringSpec = Field(
        default_factory=GatedLevels,
        description="The scoring rule and its parameters: gated_levels (default), section_points or all_of.",
    )

    _scale: AnswerScale = PrivateAttr()

    # The bank names its answer scale; the scales themselves live in data/scales.yaml and are
    # given at validation (``context={"scales": ...}``, as frameworks.check_framework does), so a
    # Framework is complete once built: there is no Framework without its scale.
    @field_validator("answer_scale")
    @classmethod
    def _known_scale(cls, value: str, info: ValidationInfo) -> str:
        scales = _scales_in(info)
        if value not in scales:
            known = ", ".join(scales) or "none were given (build banks with frameworks.load_framework)"
            raise ValueError(f"unknown scale {value!r}; use one of: {known}")
        return value

    @model_validator(mode="after")
    def _attach_scale(self, info: ValidationInfo) -> Framework:
        self._scale = _scales_in(info)[self.answer_scale]
        if self.scoring.rule != "gated_levels":  # the rule reads sections, not question levels
            top = max(self.levels, key=lambda level: level.rank).id
            for question in self.questions:
                question.level = question.level or top
        return self

    # The helpers below assume a bank that passed frameworks.check_framework.
    @property
    def scale(self) -> AnswerScale:
        return self._scale

    @property
    def levels_by_rank(self) -> list[Level]:
        return sorted(self.levels, key=lambda level: level.rank)

    @property
    def baseline(self) -> Level:
        return self.levels_by_rank[0]

    @property
    def top(self) -> Level:
        return self.levels_by_rank[-1]

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)

    def level_at(self, rank: int) -> Level:
        return next(level for level in self.levels if level.rank == rank)

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    @property
    def question_ids(self) -> set[str]:
        return {q.id for q in self.questions}

    def questions_for(self, dimension_id: str) -> list[Question]:
        """Questions of one dimension, lowest level first, in bank order within a level."""
        rank = {level.id: level.rank for level in self.levels}
        found = [q for q in self.questions if q.dimension == dimension_id]
        return sorted(found, key=lambda q: rank[q.level])


# --------------------------------------------------------------------------- assessments

AnswerValue = int | Literal["na", "unknown"]


def _clean_text(value: Any) -> Any:
    """Control characters have no business in a note and break some viewers: drop them."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


class Answer(_Strict):
    value: AnswerValue | None = Field(
        default=None,
        description="A value of the bank's answer scale (data/scales.yaml; 0-4 on maturity_0_4), "
        "'na' (not applicable), 'unknown', or null: not answered yet "
        "(a note can be kept before the answer is chosen).",
    )
    note: LongText = Field(default="", description="Evidence or context, free text.")
    na_reason: LongText = Field(default="", description="Why the question does not apply (with 'na').")
    derived_from: list[Id] = Field(
        default_factory=list,
        exclude_if=lambda ids: not ids,
        description="Core item ids this answer was derived from (mlops-workbook core derive); empty or absent "
        "for an answer given in the model's own wording, which wins over a derived one.",
    )
    provenance: Literal["", "team_median"] = Field(
        default="",
        exclude_if=lambda origin: not origin,
        description="In a consensus: 'team_median' when the answer was copied from the team's median answers "
        "(no decision recorded; the note tallies the room's answers); empty or absent for a decision.",
    )

    @field_validator("value", mode="before")
    @classmethod
    def _check_value(cls, value: Any, info: ValidationInfo) -> Any:
        scale = info.context.get("scale") if isinstance(info.context, dict) else None
        if value is None:
            return value
        if isinstance(scale, AnswerScale):  # the bank is known: name its own values
            problem = scale.problem(value)
            if problem:
                raise ValueError(problem)
        elif isinstance(value, bool) or not ((isinstance(value, int) and 0 <= value <= 10) or value in ANSWER_WORDS):
            raise ValueError(f"must be a value of the bank's answer scale, 'na' or 'unknown', not {value!r}")
        return value

    @field_validator("note", "na_reason", mode="before")
    @classmethod
    def _strip_control(cls, value: Any) -> Any:
        return _clean_text(value)


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Assessment(_Strict):
    """One respondent's (or one consensus') answers to one bank."""

    schema_version: Literal[1] = SCHEMA_VERSION
    framework: Id
    framework_version: ShortText = ""
    kind: Literal["individual", "consensus"] = "individual"
    organisation: ShortText = ""
    unit: ShortText = Field(
        default="",
        exclude_if=lambda unit: not unit,
        description="Business unit the team belongs to, for the organisation's view (optional; absent when empty).",
    )
    team: ShortText = ""
    respondent: ShortText = ""
    round: Annotated[int, Field(ge=1, le=1000)] = 1
    previous: ShortText = Field(default="", description="File name of the previous round, if any.")
    created: datetime = Field(default_factory=now_utc)
    updated: datetime = Field(default_factory=now_utc)
    answers: dict[str, Answer] = Field(default_factory=dict)
    targets: dict[str, str] = Field(default_factory=dict, description="Target level id per dimension id (optional).")
    derived_from: ShortText = Field(
        default="",
        exclude_if=lambda origin: not origin,
        description="'core' when answers were derived from the core questionnaire (data/core); absent otherwise.",
    )

    @field_validator("organisation", "unit", "team", "respondent", "previous", mode="before")
    @classmethod
    def _single_line(cls, value: Any) -> Any:
        value = _clean_text(value)
        return " ".join(value.split()) if isinstance(value, str) else value


# --------------------------------------------------------------------------- JSON Schema


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each file format, keyed by the file name it is exported to."""
    return {
        "framework.schema.json": Framework.model_json_schema(),
        "assessment.schema.json": Assessment.model_json_schema(),
    }


def export_schemas(folder: Path) -> list[Path]:
    """Write the JSON Schemas into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = folder / name
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
