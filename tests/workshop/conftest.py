"""Workshop fixtures."""

from __future__ import annotations

import pandas as pd
import pytest

from mlops_workbook.workshop.responses import answers_frame
from tests.workshop.common import BLUE, RED, person


@pytest.fixture
def red_blue(tiny) -> pd.DataFrame:
    people = [person(tiny, "red", r, v) for r, v in RED.items()]
    people += [person(tiny, "blue", r, v) for r, v in BLUE.items()]
    return answers_frame(tiny, people)
