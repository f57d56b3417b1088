"""Derive an assessment of every bundled model from one set of core answers. Pure: no I/O.

For each bank question its map entry names the deciding core items and the relation
(:mod:`mlops_workbook.model.core`); :func:`derive_value` applies the rule:

* the parts' values: an unanswered part leaves the question unanswered, a "don't know"
  part makes it "don't know"; ``na`` parts drop out, and a question whose parts are all
  ``na`` is ``na`` (with their reasons);
* ``equivalent``: the one value; ``part_of``: the lowest value;
* ``stricter``: the lowest value, then ``cap`` (at most) or ``lower_by`` (minus, not below 0).

A derived answer carries ``derived_from`` (the core item ids) and a note saying so; the
derived assessment carries ``derived_from: "core"``. An answer given in the model's own
wording (in an earlier assessment of the model, or in the core file's ``overrides``) has
no ``derived_from`` and always wins.
"""

from __future__ import annotations

from mlops_workbook.model.core import CoreAnswers, CoreBundle, CoreQuestionnaire, QuestionMapping
from mlops_workbook.model.schema import Answer, AnswerValue, Assessment, Framework

DERIVED_FROM_CORE = "core"
_MAX_NOTE = 4000


def derive_value(mapping: QuestionMapping, answers: dict[str, Answer]) -> AnswerValue | None:
    """The value a question gets from the core answers (``None``: not answered).

    >>> from mlops_workbook.model.core import QuestionMapping
    >>> m = QuestionMapping(id="x.y.z", relation="stricter", core=["a", "b"], lower_by=1)
    >>> derive_value(m, {"a": Answer(value=4), "b": Answer(value=3)})
    2
    """
    if not mapping.mapped:
        return None
    values = [answers[item].value if item in answers else None for item in mapping.core]
    if any(value is None for value in values):
        return None
    if "unknown" in values:
        return "unknown"
    numbers = [value for value in values if isinstance(value, int)]
    if not numbers:
        return "na"
    value = min(numbers)
    if mapping.cap is not None:
        value = min(value, mapping.cap)
    if mapping.lower_by is not None:
        value = max(0, value - mapping.lower_by)
    return value


def _named(core: CoreQuestionnaire, item_ids: list[str]) -> str:
    return " and ".join(f"{item_id} ({core.item(item_id).title})" for item_id in item_ids)


def derivation_note(core: CoreQuestionnaire, mapping: QuestionMapping) -> str:
    """How an answer was derived, in words: ``"From core item shared_goals (Shared project goals)."``."""
    plural = "s" if len(mapping.core) > 1 else ""
    note = f"From core item{plural} {_named(core, mapping.core)}"
    if mapping.relation == "equivalent":
        return note + "."
    if mapping.relation == "part_of":
        return note + (", of which the question asks a part." if len(mapping.core) == 1 else ": the lowest answer.")
    return f"{note}: {mapping.rule}, as the question asks more."


def derive_answer(core: CoreQuestionnaire, mapping: QuestionMapping, answers: dict[str, Answer]) -> Answer | None:
    """The derived answer to one question, with its note and ``derived_from``; ``None`` when undecided."""
    value = derive_value(mapping, answers)
    if value is None:
        return None
    parts = [(item_id, answers[item_id]) for item_id in mapping.core]
    evidence = [f"{item_id}: {a.note}" for item_id, a in parts if a.note]
    note = derivation_note(core, mapping)
    if evidence:
        note += " Evidence — " + "; ".join(evidence)
    na_reason = ""
    if value == "na":
        na_reason = "; ".join(f"{item_id}: {a.na_reason}" for item_id, a in parts if a.na_reason)
    return Answer(value=value, note=note[:_MAX_NOTE], na_reason=na_reason[:_MAX_NOTE], derived_from=list(mapping.core))


def _explicit(answer: Answer) -> bool:
    """An answer someone gave in the model's own wording (not derived, and not only a note)."""
    return answer.value is not None and not answer.derived_from


def derive_assessment(
    bundle: CoreBundle, framework_id: str, core_answers: CoreAnswers, explicit: Assessment | None = None
) -> Assessment:
    """The derived assessment of one model; ``explicit``: an earlier assessment whose own answers win.

    The identity (organisation, team, respondent) and dates come from the core answers, so
    deriving twice gives the same assessment; targets, round and previous come from
    ``explicit`` when given.
    """
    framework: Framework = bundle.frameworks[framework_id]
    core_map = bundle.maps[framework_id]
    answers: dict[str, Answer] = {}
    for question in framework.questions:
        mapping = core_map.mapping(question.id)
        derived = derive_answer(bundle.core, mapping, core_answers.answers) if mapping else None
        if derived is not None:
            answers[question.id] = derived
    kept = dict(explicit.answers) if explicit is not None else {}
    kept.update(core_answers.overrides.get(framework_id, {}))
    for question_id, answer in kept.items():
        # an answer in the model's own words wins; a note kept without a value stays where nothing was derived
        if _explicit(answer) or (question_id not in answers and not answer.derived_from):
            answers[question_id] = answer.model_copy(deep=True)
    order = {q.id: i for i, q in enumerate(framework.questions)}
    ordered = dict(sorted(answers.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return Assessment(
        framework=framework.id,
        framework_version=framework.version,
        kind=explicit.kind if explicit is not None else "individual",
        organisation=core_answers.organisation,
        team=core_answers.team,
        respondent=core_answers.respondent,
        round=explicit.round if explicit is not None else 1,
        previous=explicit.previous if explicit is not None else "",
        created=core_answers.created,
        updated=core_answers.updated,
        answers=ordered,
        targets=dict(explicit.targets) if explicit is not None else {},
        derived_from=DERIVED_FROM_CORE,
    )


def derive_assessments(
    bundle: CoreBundle, core_answers: CoreAnswers, explicit: dict[str, Assessment] | None = None
) -> dict[str, Assessment]:
    """One derived assessment per bundled framework id, in the bundle's order.

    >>> from mlops_workbook.model.core import CoreAnswers, load_core_bundle
    >>> bundle = load_core_bundle()
    >>> everything = CoreAnswers(answers={i: Answer(value=4) for i in bundle.core.item_ids})
    >>> derived = derive_assessments(bundle, everything)
    >>> sorted(derived), derived["aws"].answers["aws.people.shared_goals"].derived_from
    (['aws', 'azure', 'gcp'], ['shared_goals'])
    """
    explicit = explicit or {}
    return {fid: derive_assessment(bundle, fid, core_answers, explicit.get(fid)) for fid in bundle.maps}


def core_items_of(assessment: Assessment, question_id: str) -> list[str]:
    """The core item ids a model answer was derived from; empty for an answer in the model's own wording."""
    answer = assessment.answers.get(question_id)
    return list(answer.derived_from) if answer is not None else []
