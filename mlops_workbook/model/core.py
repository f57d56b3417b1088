"""The core questionnaire (``data/core/core.yaml``) and its maps onto each bank (``data/core/map/<id>.yaml``).

Answer the core once and every bundled model gets a derived assessment
(:func:`mlops_workbook.scoring.derive.derive_assessments`). This module holds the content
model, the answer file of the core (:class:`CoreAnswers`) and their loaders; every loader
reports all problems at once, each naming the file and the field.

Relations of a map entry (each bank question is decided by one or more core items):

* ``equivalent``: the question asks the same practice as one core item: the same value.
* ``part_of``: the question asks (part of) what the listed items cover: the lowest of their values.
* ``stricter``: the question sets a higher bar than the items can vouch for: the lowest of
  their values, then lowered (``lower_by``, not below 0) or capped (``cap``).
* ``unmapped: <reason>``: left for an answer in the model's own wording.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.files import load_data, problems_from_validation
from mlops_workbook.model.frameworks import framework_files, load_framework, load_scales, load_themes
from mlops_workbook.model.parse import parse_checked
from mlops_workbook.model.paths import CORE_FILE, CORE_MAPS_DIR, COVERAGE_DIR, FRAMEWORKS_DIR
from mlops_workbook.model.schema import (
    SCHEMA_VERSION,
    Answer,
    Framework,
    Id,
    LongText,
    ShortText,
    now_utc,
)

Relation = Literal["equivalent", "part_of", "stricter"]
RELATIONS: tuple[str, ...] = ("equivalent", "part_of", "stricter")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


_CORE_ID = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=64)]


class CoreItem(_Strict):
    """One practice of the core questionnaire."""

    id: _CORE_ID
    theme: Id = Field(description="A capability theme of data/themes.yaml.")
    title: ShortText
    statement: LongText = Field(description="The practice, paraphrased in the workbook's own words.")
    why: LongText
    next_step: LongText
    sources: Annotated[list[ShortText], Field(min_length=1)] = Field(
        description="Reference criteria the item draws from: refs of data/coverage/<model>.yaml."
    )


class CoreQuestionnaire(_Strict):
    """The harmonised questionnaire: one practice per item, on the banks' answer scale."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: Id
    name: ShortText
    version: ShortText
    date: ShortText = ""
    licence: LongText
    about: LongText = ""
    answer_scale: Id
    items: Annotated[list[CoreItem], Field(min_length=1)]

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]

    def item(self, item_id: str) -> CoreItem:
        return next(item for item in self.items if item.id == item_id)


class QuestionMapping(_Strict):
    """How one bank question is decided by core items (or why it is not)."""

    id: Annotated[str, Field(max_length=120)] = Field(description="The bank question id.")
    relation: Relation | None = None
    core: list[_CORE_ID] = Field(default_factory=list)
    cap: Annotated[int, Field(ge=0, le=4)] | None = None
    lower_by: Annotated[int, Field(ge=1, le=4)] | None = None
    note: LongText = ""
    unmapped: LongText = Field(default="", description="Why no core item decides this question.")

    @model_validator(mode="after")
    def _consistent(self) -> QuestionMapping:
        adjusted = self.cap is not None or self.lower_by is not None
        if self.unmapped.strip():
            if self.relation or self.core or adjusted:
                raise ValueError("an unmapped question has only its reason: remove relation, core, cap and lower_by")
            return self
        if self.relation is None or not self.core:
            raise ValueError("give relation and core (the deciding core items), or unmapped: <reason>")
        if len(set(self.core)) < len(self.core):
            raise ValueError("core lists an item twice")
        if self.relation == "equivalent" and len(self.core) != 1:
            raise ValueError("equivalent names exactly one core item; use part_of for several")
        if self.relation == "stricter":
            if (self.cap is None) == (self.lower_by is None):
                raise ValueError("stricter needs exactly one of cap: <0-4> or lower_by: <1-4>")
        elif adjusted:
            raise ValueError(f"cap and lower_by belong to stricter, not {self.relation}")
        return self

    @property
    def mapped(self) -> bool:
        return self.relation is not None

    @property
    def rule(self) -> str:
        """The derivation rule in plain words, e.g. ``"lowest of a, b, minus 1 (not below 0)"``."""
        if not self.mapped:
            return f"not derived: {self.unmapped}"
        base = f"same as {self.core[0]}" if len(self.core) == 1 else f"lowest of {', '.join(self.core)}"
        if self.cap is not None:
            return f"{base}, at most {self.cap}"
        if self.lower_by is not None:
            return f"{base}, minus {self.lower_by} (not below 0)"
        return base


class CoreMap(_Strict):
    """The map of one bank onto the core questionnaire."""

    framework: Id
    framework_version: ShortText = ""
    core_version: ShortText = ""
    questions: list[QuestionMapping]

    def mapping(self, question_id: str) -> QuestionMapping | None:
        return next((m for m in self.questions if m.id == question_id), None)


class CoreAnswers(_Strict):
    """One respondent's answers to the core questionnaire (``CORE_ANSWERS.json``)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    questionnaire: Literal["core"] = "core"
    core_version: ShortText = ""
    organisation: ShortText = ""
    team: ShortText = ""
    respondent: ShortText = ""
    created: datetime = Field(default_factory=now_utc)
    updated: datetime = Field(default_factory=now_utc)
    answers: dict[str, Answer] = Field(default_factory=dict, description="Answer per core item id.")
    overrides: dict[str, dict[str, Answer]] = Field(
        default_factory=dict,
        description="Answers in a model's own wording, per framework id and question id; they win over derived ones.",
    )

    @field_validator("organisation", "team", "respondent", mode="before")
    @classmethod
    def _single_line(cls, value: Any) -> Any:
        return " ".join(value.split()) if isinstance(value, str) else value


@dataclass(frozen=True)
class CoreBundle:
    """Everything a derivation needs: the questionnaire, and per framework id its bank and its map."""

    core: CoreQuestionnaire
    frameworks: dict[str, Framework]
    maps: dict[str, CoreMap]


# --------------------------------------------------------------------------- loading and checking


def _duplicates(name: str, kind: str, ids: list[str]) -> list[Problem]:
    return [
        Problem(name, f"{kind} {item}", f"id is used {count} times", "make ids unique")
        for item, count in Counter(ids).items()
        if count > 1
    ]


def _coverage_refs(folder: Path) -> set[str]:
    refs: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        data = load_data(path)
        for criterion in data.get("criteria", []) if isinstance(data, dict) else []:
            if isinstance(criterion, dict) and isinstance(criterion.get("ref"), str):
                refs.add(criterion["ref"])
    return refs


def check_core(
    path: str | Path = CORE_FILE, coverage_dir: str | Path = COVERAGE_DIR
) -> tuple[CoreQuestionnaire | None, list[Problem]]:
    """Parse and check the questionnaire; return it (if usable) and every problem found."""
    name = display_name(path)
    core, problems = parse_checked(path, CoreQuestionnaire, "id, name, items, …")
    if core is None:
        return None, problems
    problems = _duplicates(name, "items", core.item_ids)
    scales = load_scales()
    if core.answer_scale not in scales:
        problems.append(
            Problem(name, "answer_scale", f"unknown scale {core.answer_scale!r}", f"use one of: {', '.join(scales)}")
        )
    themes = load_themes()
    refs = _coverage_refs(Path(coverage_dir))
    for i, item in enumerate(core.items):
        where = f"items[{i}] {item.id}"
        if themes and item.theme not in themes:
            problems.append(Problem(name, f"{where}: theme", f"unknown theme {item.theme!r}", "see data/themes.yaml"))
        for ref in item.sources:
            if refs and ref not in refs:
                problems.append(
                    Problem(
                        name,
                        f"{where}: sources",
                        f"{ref!r} is not a criterion of data/coverage",
                        "use a ref from there",
                    )
                )
    return (None if problems else core), problems


def check_core_map(
    path: str | Path, core: CoreQuestionnaire, framework: Framework
) -> tuple[CoreMap | None, list[Problem]]:
    """Parse one map and check it against the questionnaire and the bank: every question mapped or given a reason."""
    name = display_name(path)
    core_map, problems = parse_checked(path, CoreMap, "framework, questions, …")
    if core_map is None:
        return None, problems
    problems = _duplicates(name, "questions", [m.id for m in core_map.questions])
    if core_map.framework != framework.id:
        problems.append(
            Problem(name, "framework", f"is {core_map.framework!r}, the bank is {framework.id!r}", "fix the id")
        )
    if core_map.framework_version and core_map.framework_version != framework.version:
        problems.append(
            Problem(
                name,
                "framework_version",
                f"the map was written for {core_map.framework_version}, the bank is {framework.version}",
                "review the map against the bank's changelog, then update framework_version",
                "warning",
            )
        )
    known = set(core.item_ids)
    for i, entry in enumerate(core_map.questions):
        where = f"questions[{i}] {entry.id}"
        if entry.id not in framework.question_ids:
            problems.append(Problem(name, where, f"is not a question of {framework.id}", "remove it or fix the id"))
        for item_id in entry.core:
            if item_id not in known:
                problems.append(
                    Problem(name, f"{where}: core", f"unknown core item {item_id!r}", "see data/core/core.yaml")
                )
    mapped = {m.id for m in core_map.questions}
    for question in framework.questions:
        if question.id not in mapped:
            problems.append(
                Problem(
                    name, "questions", f"{question.id} is missing", "map it to core items, or add unmapped: <reason>"
                )
            )
    errors = [p for p in problems if p.severity == "error"]
    return (None if errors else core_map), problems


def check_core_bundle(
    core_path: str | Path = CORE_FILE,
    maps_dir: str | Path = CORE_MAPS_DIR,
    frameworks_dir: str | Path = FRAMEWORKS_DIR,
) -> tuple[CoreBundle | None, list[Problem]]:
    """The questionnaire, every bank and its map, checked together (all problems at once).

    Every bank needs a map; a map without a bank is a problem too.
    """
    core, problems = check_core(core_path)
    frameworks: dict[str, Framework] = {}
    maps: dict[str, CoreMap] = {}
    map_files = {p.stem: p for p in sorted(Path(maps_dir).glob("*.yaml"))}
    for bank in framework_files(frameworks_dir):
        try:
            framework = load_framework(bank)
        except WorkbookError as exc:
            problems.extend(exc.problems)
            continue
        # an instrument scored by its own rule (ML Test Score, Marvelous) is answered on its own scale: no map needed
        if framework.scoring.rule == "gated_levels" or bank.stem in map_files:
            frameworks[bank.stem] = framework
    for stem in sorted(set(map_files) - set(frameworks)):
        problems.append(Problem(display_name(map_files[stem]), "", "maps a framework that is not bundled", "remove it"))
    for framework_id, framework in frameworks.items():
        if framework_id not in map_files:
            where = display_name(Path(maps_dir) / f"{framework_id}.yaml")
            problems.append(Problem(where, "", "file not found", f"write the map of {framework_id} onto the core"))
        elif core is not None:
            core_map, found = check_core_map(map_files[framework_id], core, framework)
            problems.extend(found)
            if core_map is not None:
                maps[framework_id] = core_map
    if core is None or any(p.severity == "error" for p in problems):
        return None, problems
    return CoreBundle(core, frameworks, maps), problems


def load_core_bundle(
    core_path: str | Path = CORE_FILE,
    maps_dir: str | Path = CORE_MAPS_DIR,
    frameworks_dir: str | Path = FRAMEWORKS_DIR,
) -> CoreBundle:
    """The checked bundle, or a :class:`WorkbookError` listing every error."""
    bundle, problems = check_core_bundle(core_path, maps_dir, frameworks_dir)
    if bundle is None:
        raise WorkbookError([p for p in problems if p.severity == "error"])
    return bundle


def parse_core_answers(data: object, name: str, bundle: CoreBundle | None = None) -> tuple[CoreAnswers, list[Problem]]:
    """Validate parsed JSON as core answers; with a bundle, also check item and question ids.

    Unknown core item ids are a warning (kept, not used); an override naming an unknown
    framework or question is an error.
    """
    if not isinstance(data, dict) or data.get("questionnaire") != "core":
        raise WorkbookError(
            [
                Problem(
                    name,
                    "questionnaire",
                    'is not a core answer file (expected "questionnaire": "core")',
                    "start from data/examples/core-*.json",
                )
            ]
        )
    try:
        scale = load_scales().get(bundle.core.answer_scale if bundle else "maturity_0_4")
        answers = CoreAnswers.model_validate(data, context={"scale": scale})  # messages name the scale's values
    except ValidationError as exc:
        raise WorkbookError(problems_from_validation(name, data, exc)) from None
    problems: list[Problem] = []
    if bundle is not None:
        known = set(bundle.core.item_ids)
        for item_id in answers.answers:
            if item_id not in known:
                problems.append(Problem(name, f"answers.{item_id}", "is not a core item", "check the id", "warning"))
        for framework_id, overrides in answers.overrides.items():
            framework = bundle.frameworks.get(framework_id)
            if framework is None:
                problems.append(
                    Problem(
                        name,
                        f"overrides.{framework_id}",
                        "is not a bundled framework",
                        f"use one of: {', '.join(bundle.frameworks)}",
                    )
                )
                continue
            for question_id in overrides:
                if question_id not in framework.question_ids:
                    problems.append(
                        Problem(
                            name,
                            f"overrides.{framework_id}.{question_id}",
                            f"is not a question of {framework_id}",
                            "check the id",
                        )
                    )
        if any(p.severity == "error" for p in problems):
            raise WorkbookError([p for p in problems if p.severity == "error"])
    return answers, problems


def load_core_answers(path: str | Path, bundle: CoreBundle | None = None) -> tuple[CoreAnswers, list[Problem]]:
    """Read a core answer file: the answers and any warnings."""
    return parse_core_answers(load_data(path), display_name(path), bundle)
