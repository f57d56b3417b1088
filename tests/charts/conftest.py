"""The score card most chart tests draw (the ``tiny`` bank comes from tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.charts.specs import answered


@pytest.fixture
def card(tiny):
    # a: l1 met (4, 3), l2 not met (1): rank 1, score 1 + 1/3.  b: l1 not met (2): rank 0, score 2/3.
    return answered(tiny, {"tiny.a.one": 4, "tiny.a.two": 3, "tiny.a.three": 1, "tiny.b.one": 2}, {"a": "l2"})
