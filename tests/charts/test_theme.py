"""The look (charts/theme.py): one theme, registered by the entry points and never by an import."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import typing

import altair as alt
import nbformat
import pandas as pd
import pytest

from mlops_workbook.charts.theme import STATUS_COLORS, STATUS_LABELS, THEME, use_workbook_theme
from mlops_workbook.model.paths import NOTEBOOKS_DIR
from mlops_workbook.scoring.rules import LevelProgress


def _run(code: str) -> str:
    """Run ``code`` in a fresh Python (nothing imported yet) and return what it printed."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_theme_is_registered_once_and_enabled():
    use_workbook_theme()
    use_workbook_theme()
    assert alt.theme.active == THEME
    config = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().to_dict()["config"]
    assert config["axis"]["labelFontSize"] >= 13 and config["range"]["category"][0] == "#E69F00"


def test_every_level_status_has_a_colour_label_and_text_colour():
    statuses = typing.get_args(typing.get_type_hints(LevelProgress.status.fget)["return"])
    assert set(statuses) <= set(STATUS_COLORS) and set(STATUS_COLORS) == set(STATUS_LABELS)


@pytest.mark.slow  # a fresh interpreter draws a chart (starts vl-convert)
def test_importing_and_drawing_charts_leaves_altair_settings_alone():
    # Fails if any chart module calls use_workbook_theme() (or enables a transformer) when imported.
    out = _run(
        """
        import altair as alt
        from mlops_workbook import charts, load_framework
        from mlops_workbook.charts import crosswalk, export, heatmaps, labels, levels, overview, radar, theme
        charts.to_svg(charts.overview_chart(load_framework("aws")))
        print(alt.theme.active, alt.data_transformers.active)
        """
    )
    assert out.split() == ["default", "default"]


@pytest.mark.slow  # a fresh interpreter draws a chart (starts vl-convert)
def test_the_entry_points_enable_the_workbook_theme(tmp_path):
    # Each entry point starts from Altair's default theme; fails if one of them stops calling use_workbook_theme().
    out = _run(
        f"""
        import json
        import altair as alt
        from mlops_workbook.app.widgets import App
        from mlops_workbook.cli.main import main
        from mlops_workbook.workshop.facilitator import FacilitatorApp

        entry_points = {{
            "cli": lambda: main(["frameworks"]),
            "app": lambda: App("aws", folder={str(tmp_path / "app")!r}),
            "facilitator": lambda: FacilitatorApp("aws", folder={str(tmp_path / "room")!r}),
        }}
        active = {{}}
        for name, start in entry_points.items():
            alt.theme.enable("default")
            start()
            active[name] = alt.theme.active
        print(json.dumps(active))
        """
    )
    assert json.loads(out.splitlines()[-1]) == {"cli": THEME, "app": THEME, "facilitator": THEME}


#: What a notebook calls to draw a chart without an App or a facilitator page (which theme themselves).
CHART_CALLS = ("figure(", ".chart()", "report_html.")


@pytest.mark.parametrize("path", sorted(NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_that_draw_charts_enable_the_theme_first(path):
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    drawing = [i for i, source in enumerate(code) if any(call in source for call in CHART_CALLS)]
    enabling = [i for i, source in enumerate(code) if "use_workbook_theme()" in source]
    if drawing:
        assert enabling and enabling[0] <= drawing[0], f"{path.name}: call use_workbook_theme() before drawing"


def test_fast_values_gives_the_records_altair_would():
    import numpy as np
    import pandas as pd
    from altair.utils.data import to_values

    from mlops_workbook.charts.theme import fast_values

    frame = pd.DataFrame(
        {
            "score": [1.5, np.nan, 2.0],
            "count": pd.Series([1, 2, 3], dtype="int64"),
            "name": ["a", None, "c"],
            "met": [True, False, True],
            "gap": [np.nan] * 3,
            "maybe": [1, None, 3],
        }
    )
    assert fast_values(frame) == to_values(frame)
    assert fast_values(frame)["values"][1] == {
        "score": None,
        "count": 2,
        "name": None,
        "met": False,
        "gap": None,
        "maybe": None,
    }
