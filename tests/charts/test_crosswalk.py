"""The crosswalk (charts/crosswalk.py): every model's levels on one common 0-3 scale."""

from __future__ import annotations

import json

from mlops_workbook.charts.crosswalk import BAND_CONFIDENCE, BANDS, crosswalk_chart, crosswalk_table
from mlops_workbook.model.paths import REFERENCE_FILE
from tests.charts.specs import named, names, values


def test_crosswalk_draws_each_level_as_a_span_on_the_common_scale(tiny):
    other = tiny.model_copy(deep=True, update={"id": "other", "short_name": "Other"})
    spans = ((0, 0), (1, 2), (2, 3))
    other.levels = [
        lv.model_copy(update={"band": b, "band_note": f"note {lv.id}"})
        for lv, b in zip(tiny.levels, spans, strict=True)
    ]
    spec = crosswalk_chart([tiny, other]).to_dict()
    rows = values(spec, named(spec, "crosswalk_levels"))
    assert [(r["model"], r["level"], r["low"], r["high"]) for r in rows] == [
        ("Tiny", "Zero", 0, 0),
        ("Tiny", "One", 1, 1),
        ("Tiny", "Two", 2, 2),
        ("Other", "Zero", 0, 0),
        ("Other", "One", 1, 2),
        ("Other", "Two", 2, 3),
    ]
    # A span is a rule from its lowest to its highest band.
    encoding = named(spec, "crosswalk_levels")["encoding"]
    assert (encoding["x"]["field"], encoding["x2"]["field"]) == ("low", "high")
    assert "crosswalk_team" not in names(spec)
    # Each model heads its own group of level rows, in the order given.
    assert [r["text"] for r in values(spec, named(spec, "crosswalk_rows"))] == ["Tiny", "Other"]
    bands = [r["name"].replace("\n", " ").strip() for r in values(spec, named(spec, "crosswalk_bands"))]
    assert bands[0] == "0 Manual / ad hoc (high confidence)"
    assert bands[3].startswith("3 Full automated operations") and bands[3].endswith("(medium-low confidence)")
    table = crosswalk_table([tiny, other])
    assert table["Span"].tolist() == ["0", "1", "2", "0", "1–2", "2–3"]
    assert table.loc[4, "Bands"] == "Automated training → Automated deployment (CI/CD)"
    assert table.loc[4, "Confidence"] == "medium-high / medium" and table.loc[4, "Why"] == "note l1"


def test_crosswalk_confidence_matches_the_reference():
    crosswalk = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))["crosswalk"]
    assert {row["band"]: row["confidence"] for row in crosswalk} == BAND_CONFIDENCE
    assert {row["band"] for row in crosswalk} == set(BANDS)


def test_crosswalk_outlines_the_teams_overall_level_across_its_span(tiny, card):
    wide = tiny.model_copy(deep=True)
    wide.levels = [lv.model_copy(update={"band": (lv.rank, min(lv.rank + 1, 3))}) for lv in tiny.levels]
    spec = crosswalk_chart([wide], {"tiny": card}).to_dict()
    teams = values(spec, named(spec, "crosswalk_team"))
    assert [(t["model"], t["level"], t["low"], t["high"], t["score"]) for t in teams] == [("Tiny", "Zero", 0, 1, 1.0)]
    assert teams[0]["left"] < 0 < 1 < teams[0]["right"]
