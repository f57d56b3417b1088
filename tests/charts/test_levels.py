"""The level chart (charts/levels.py): a cell per dimension and level, coloured by status."""

from __future__ import annotations

from mlops_workbook.charts.levels import ACHIEVED_MARK, TARGET_MARK, level_chart, level_table
from mlops_workbook.charts.theme import STATUS_COLORS, STATUS_LABELS
from tests.charts.specs import all_values, answered, layers, values


def test_level_chart_has_a_cell_per_dimension_and_level_with_its_status(tiny, card):
    spec = level_chart(tiny, card).to_dict()
    cells = [row for row in all_values(spec) if "status" in row]
    by_cell = {(row["dimension"], row["level"]): row for row in cells}
    assert len(by_cell) == 2 * 3
    expected = {(d.name, p.level_name): p.status for d in card.dimensions for p in d.levels}
    assert {key: row["status"] for key, row in by_cell.items()} == expected
    assert by_cell["Alpha", "One"]["text"] == "2/2" and by_cell["Alpha", "Two"]["text"] == "0/1"
    assert by_cell["Alpha", "One"]["status"] == "met" and by_cell["Beta", "One"]["status"] == "not_met"


def test_level_chart_marks_achieved_and_target_levels(tiny, card):
    spec = level_chart(tiny, card).to_dict()
    marks = {(row["dimension"], row["level"]): row["marks"] for row in all_values(spec) if "marks" in row}
    assert marks["Alpha", "One"] == ACHIEVED_MARK
    assert marks["Alpha", "Two"] == TARGET_MARK
    assert marks["Beta", "Zero"] == ACHIEVED_MARK
    assert sum(bool(m) for m in marks.values()) == 3
    bordered = [layer for layer in layers(spec) if layer["mark"].get("strokeWidth") == 3 and "fill" in layer["mark"]]
    assert [(r["dimension"], r["level"]) for r in values(spec, bordered[0])] == [("Alpha", "One"), ("Beta", "Zero")]


def test_level_chart_shows_not_assessed_dimensions(tiny):
    only_a = answered(tiny, {"tiny.a.one": 4})
    spec = level_chart(tiny, only_a).to_dict()
    beta = [row for row in all_values(spec) if row.get("dimension") == "Beta (not assessed)" and "status" in row]
    assert {row["status"] for row in beta} == {"baseline", "not_assessed"}
    assert not any(row["achieved"] for row in beta)


def test_level_chart_colours_come_from_the_shared_palette(tiny, card):
    spec = level_chart(tiny, card).to_dict()
    scale = next(layer["encoding"]["color"]["scale"] for layer in layers(spec) if layer["mark"]["type"] == "rect")
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        STATUS_LABELS[s]: STATUS_COLORS[s] for s in ("met", "not_met", "baseline")
    }


def test_level_table_matches_the_chart(tiny, card):
    table = level_table(tiny, card)
    assert len(table) == 6
    row = table[(table["Dimension"] == "Alpha") & (table["Level"] == "One")].iloc[0]
    assert (row["Met"], row["Applicable"], row["Status"], row["Achieved"]) == (2, 2, "Met", True)
    assert table["Target"].sum() == 1
