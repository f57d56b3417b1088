"""Helpers for the chart tests: read layers and rows out of ``chart.to_dict()``; score cards to draw."""

from __future__ import annotations

import zlib

from mlops_workbook import new_assessment, score_assessment, set_answer


def layers(spec: dict) -> list[dict]:
    """Every unit spec of a (possibly nested) layer chart."""
    found = []
    for layer in spec.get("layer", [spec]):
        found.extend(layers(layer) if "layer" in layer else [layer])
    return found


def named(spec: dict, name: str) -> dict:
    return next(layer for layer in layers(spec) if layer.get("name") == name)


def names(spec: dict) -> set[str]:
    return {layer["name"] for layer in layers(spec) if "name" in layer}


def values(spec: dict, layer: dict) -> list[dict]:
    """A layer's rows (Altair hoists data shared by every layer to the top)."""
    return spec["datasets"][layer.get("data", spec.get("data"))["name"]]


def all_values(spec: dict) -> list[dict]:
    return [row for layer in layers(spec) for row in values(spec, layer)]


def answered(framework, answers: dict, targets: dict | None = None):
    assessment = new_assessment(framework, targets=targets)
    for question_id, value in answers.items():
        set_answer(assessment, question_id, value)
    return score_assessment(framework, assessment)


def pattern(framework, seed: str = "", targets: bool = True):
    """Every question answered with a deterministic pattern (0-4), for any bank."""
    answers = {q.id: zlib.crc32(f"{seed}{q.id}".encode()) % 5 for q in framework.questions}
    target = {d.id: framework.top.id for d in framework.dimensions} if targets else None
    return answered(framework, answers, target)
