"""The package's shape, read from its source with ``ast``: layers, no circles, no private names
used across modules, no module over 400 lines.

Layers, lowest first; a module may import its own layer and the layers below it:

    model < scoring < charts < render < app < reports < workshop < cli < top level
    (top level: ``__init__``, ``__main__``, ``serve``, ``voila_app``)

Every import counts, those inside functions and under ``TYPE_CHECKING`` too: a deferred
import is still a dependency.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "mlops_workbook"
LAYERS = ("model", "scoring", "charts", "render", "app", "reports", "workshop", "cli")
TOP = len(LAYERS)  # __init__, __main__, serve, voila_app
MAX_LINES = 400

#: Modules still being split (issue 12): their size and layer checks are expected to fail,
#: strictly (an xfail that passes fails the run, so a module leaves this list when it is done).
#: Empty it as the splits land; the checks then hold for every module.
#: (At 01:00 every module had reached its place: the list is empty; add a dotted module name
#: here only while it is being split.)
NOT_YET_SPLIT: frozenset[str] = frozenset()


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else TOP


def _is_package(module: str) -> bool:
    return modules()[module].name == "__init__.py"


@cache
def imports(module: str) -> tuple[tuple[str, str, int], ...]:
    """``(imported module, imported name or "", line)`` for every import of the package's own modules."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    package = module if _is_package(module) else module.rpartition(".")[0]
    found: list[tuple[str, str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names if alias.name.startswith(PACKAGE)]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if not base.startswith(PACKAGE):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in modules():  # `from mlops_workbook.model import schema`
                    found.append((submodule, "", node.lineno))
                else:
                    found.append((base, alias.name, node.lineno))
    return tuple(found)


def _owner(target: str) -> str:
    """The module an import reaches (``mlops_workbook.model.schema.Framework`` -> the module)."""
    while target not in modules() and "." in target:
        target = target.rpartition(".")[0]
    return target


def graph() -> dict[str, set[str]]:
    return {m: {_owner(t) for t, _, _ in imports(m)} - {m} for m in modules()}


def test_the_package_is_found_and_layered():
    names = set(modules())
    assert {f"{PACKAGE}.{layer_name}" for layer_name in LAYERS} <= names
    assert layer(f"{PACKAGE}.model.schema") < layer(f"{PACKAGE}.cli.main") < layer(f"{PACKAGE}.serve")
    assert names >= NOT_YET_SPLIT, f"not modules (moved or gone): {sorted(NOT_YET_SPLIT - names)}"


def test_the_import_graph_has_no_circle():
    edges = graph()
    circles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:  # Tarjan: strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert circles == [], f"modules importing each other (directly or through others): {circles}"


@pytest.fixture(params=sorted(modules()), ids=lambda m: m.removeprefix(f"{PACKAGE}."))
def module(request: pytest.FixtureRequest) -> str:
    if request.param in NOT_YET_SPLIT and request.function.__name__ in _SPLIT_CHECKS:
        request.applymarker(pytest.mark.xfail(reason="module not yet split (issue 12)", strict=True))
    return request.param


def test_imports_point_downwards(module):
    upward = [
        f"line {line}: {target} ({LAYERS[layer(_owner(target))] if layer(_owner(target)) < TOP else 'top level'})"
        for target, _, line in imports(module)
        if layer(_owner(target)) > layer(module)
    ]
    here = LAYERS[layer(module)] if layer(module) < TOP else "top level"
    assert upward == [], f"{module} ({here}) imports from a higher layer: {upward}"


def test_module_is_under_the_size_limit(module):
    lines = len(modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines (limit {MAX_LINES}): split it by concern"


_SPLIT_CHECKS = {test_imports_point_downwards.__name__, test_module_is_under_the_size_limit.__name__}


def test_no_private_name_is_used_across_modules(module):
    private = [
        f"line {line}: {name} from {target}"
        for target, name, line in imports(module)
        if name.startswith("_") and not name.startswith("__") and _owner(target) != module
    ]
    assert private == [], f"{module} uses private names of other modules (make them public): {private}"
