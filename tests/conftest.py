"""Shared fixtures: a tiny inline bank (see also the root conftest.py for temp folders).

The suite has layers: tests marked ``browser`` (headless Chromium) or ``notebook`` (a Jupyter
kernel, papermill, nbval) are left out of ``make test-fast``. A test without either mark that
starts a kernel in-process, a Voilà/Lab server or Chromium fails, naming the mark to add, so
the fast subset stays free of them.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import jupyter_client.provisioning.local_provisioner as _kernel_launcher
import pytest
from hypothesis import settings

#: `make test-fast` sets this to "fast": property tests try at most FAST_EXAMPLES examples each
#: (the count a test asks for with @settings included); `make test` keeps every test's own count.
HYPOTHESIS_PROFILE_ENV = "MLOPS_WORKBOOK_HYPOTHESIS"
FAST_EXAMPLES = 10
settings.register_profile("fast", max_examples=FAST_EXAMPLES, deadline=None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get(HYPOTHESIS_PROFILE_ENV) != "fast":
        return
    settings.load_profile("fast")  # tests without their own @settings
    for item in items:  # tests with @settings(max_examples=...): that count wins over a profile, so cap it
        test = getattr(item, "obj", None)
        chosen = getattr(test, "_hypothesis_internal_use_settings", None)
        if chosen is not None and chosen.max_examples > FAST_EXAMPLES:
            test._hypothesis_internal_use_settings = settings(chosen, max_examples=FAST_EXAMPLES)


#: The marks of tests that start a browser or a kernel; the fast subset runs neither.
HEAVY_MARKS = ("browser", "notebook")
#: Set while a test without a heavy mark runs (tests/browser.py refuses servers and Chromium then).
LIGHT_TEST = "MLOPS_WORKBOOK_LIGHT_TEST"


def refuse_unless_marked(what: str) -> None:
    """Fail when the running test starts ``what`` without a ``browser``/``notebook`` mark."""
    test = os.environ.get(LIGHT_TEST)
    if test:
        pytest.fail(f"{test} starts {what} but is marked neither browser nor notebook: add the mark", pytrace=False)


@pytest.fixture(autouse=True)
def _kernels_only_in_marked_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if any(request.node.get_closest_marker(mark) for mark in HEAVY_MARKS):
        return
    monkeypatch.setenv(LIGHT_TEST, request.node.nodeid)
    real_launch = _kernel_launcher.launch_kernel

    def launch_kernel(*args, **kwargs):
        refuse_unless_marked("a Jupyter kernel")
        return real_launch(*args, **kwargs)

    monkeypatch.setattr(_kernel_launcher, "launch_kernel", launch_kernel)


TINY_BANK = textwrap.dedent(
    """
    schema_version: 1
    id: tiny
    name: Tiny test model
    short_name: Tiny
    publisher: Tests
    version: "1"
    licence: test only
    about: A tiny bank for tests.
    sources: [{id: src, title: Test source}]
    answer_scale: maturity_0_4
    met_threshold: 3
    levels:
      - {id: l0, rank: 0, name: Zero, summary: baseline, band: 0}
      - {id: l1, rank: 1, name: One, summary: first, band: 1}
      - {id: l2, rank: 2, name: Two, summary: second, band: 2}
    dimensions:
      - {id: a, name: Alpha}
      - {id: b, name: Beta}
    questions:
      - {id: tiny.a.one, dimension: a, level: l1, text: A1, why: w,
         next_step: do a1, source: {ref: src, criterion: c}}
      - {id: tiny.a.two, dimension: a, level: l1, text: A2, why: w,
         next_step: do a2, source: {ref: src, criterion: c}, weight: 3}
      - {id: tiny.a.three, dimension: a, level: l2, text: A3, why: w,
         next_step: do a3, source: {ref: src, criterion: c}}
      - {id: tiny.b.one, dimension: b, level: l1, text: B1, why: w,
         next_step: do b1, source: {ref: src, criterion: c}}
      - {id: tiny.b.two, dimension: b, level: l2, text: B2, why: w,
         next_step: do b2, source: {ref: src, criterion: c}, weight: 2}
    """
)


@pytest.fixture
def tiny_bank_path(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_BANK, encoding="utf-8")
    return path


@pytest.fixture
def tiny(tiny_bank_path: Path):
    from mlops_workbook import load_framework

    return load_framework(tiny_bank_path)
