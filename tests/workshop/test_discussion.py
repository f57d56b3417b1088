"""Discussion order: disagreement first, then the level shift, with a reason per question."""

from __future__ import annotations

from mlops_workbook.workshop.aggregation import discussion_list


def test_discussion_order_disagreement_then_level_shift(tiny, red_blue):
    red = discussion_list(tiny, red_blue, team="red", top=None)
    # IQR 2.0 first; a.one and b.one tie at IQR 1.0 and b.one moves two levels, a.one one
    assert list(red["question"]) == ["tiny.a.three", "tiny.b.one", "tiny.a.one", "tiny.b.two", "tiny.a.two"]
    assert list(red["order"]) == [1, 2, 3, 4, 5]
    assert red["reason"][0] == (
        "answers 0:1 2:1 4:1; unknown 1; IQR 2.00, range 0-4; "
        "if met, Alpha would rise from One (level 1 of 2) to Two (level 2 of 2)"
    )
    assert "if not met, Beta would drop from Two (level 2 of 2) to Zero (level 0 of 2)" in red["reason"][1]
    top2 = discussion_list(tiny, red_blue, top=2)
    assert top2.groupby("team").size().to_dict() == {"blue": 2, "red": 2}
