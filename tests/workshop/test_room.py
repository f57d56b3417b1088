"""The workshop room without a page: read the folder, aggregate, save a consensus, export."""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path

import pytest

from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.frameworks import load_framework
from mlops_workbook.workshop.aggregation import answers_frame, load_responses, summarise
from mlops_workbook.workshop.consensus import TEAM_MEDIAN
from mlops_workbook.workshop.demo import seed_demo
from mlops_workbook.workshop.room import WorkshopRoom


@pytest.fixture
def room(tmp_path: Path) -> WorkshopRoom:
    seed_demo(tmp_path, "aws", teams=2, respondents=4)
    (tmp_path / "aws" / "search--broken.json").write_text("{", encoding="utf-8")
    return WorkshopRoom(load_framework("aws"), folder=tmp_path)


def _imports(module: str) -> set[str]:
    """The modules a package module imports, by name (absolute imports, as the package writes them)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    found = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if importlib.util.find_spec(node.module)}
    return found


def test_the_room_model_reaches_no_widget_module():
    # fails if room.py, or a package module it reaches, imports ipywidgets (altair's own optional
    # import of it does not count: the room draws no widget)
    seen, todo, widgets = set(), ["mlops_workbook.workshop.room"], []
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for name in _imports(module):
            if name.split(".")[0] == "ipywidgets":
                widgets.append(module)
            elif name.startswith("mlops_workbook.") and _is_module(name):
                todo.append(name)
    assert "mlops_workbook.workshop.aggregation" in seen and not widgets, widgets


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_reload_reads_once_and_again_only_when_a_file_changes(room):
    assert room.empty and room.reload() is True
    assert room.reload() is False  # fails if reload ignores the snapshot
    fw = room.framework
    found, _ = load_responses(room.folder, fw)
    assert len(room.assessments) == len(found) == 8
    assert room.teams == ["Payments", "Search"] and room.largest_team() in room.teams
    assert any("search--broken.json" in p for p in room.file_problems)
    expected = summarise(fw, answers_frame(fw, found))
    assert room.summary is not None and room.summary.teams.equals(expected.teams)
    seed_demo(room.folder, "aws", teams=3, respondents=4)
    assert room.reload() is True and len(room.teams) == 3


def test_only_the_teams_asked_for(room):
    only = WorkshopRoom(room.framework, folder=room.folder, teams=["Search"])
    only.reload()
    assert only.teams == ["Search"]


def test_a_consensus_is_saved_with_its_provenance_and_loaded_back(room):
    room.reload()
    room.open_team("Payments")
    assert room.consensus is None
    first, second = room.discussion(top=2)["question"]
    path = room.save_consensus({first: (4, "we agreed"), second: (None, "")})
    saved = json.loads(path.read_text(encoding="utf-8"))["answers"]
    assert saved[first] == {"value": 4, "note": "we agreed", "na_reason": ""}  # a decision: no provenance
    copied = [a for q, a in saved.items() if q not in (first, second)]
    assert copied and all(a["provenance"] == TEAM_MEDIAN for a in copied)
    again = WorkshopRoom(room.framework, folder=room.folder)
    again.reload()
    again.open_team("Payments")
    assert again.consensus is not None and again.consensus.answers[first].value == 4
    assert again.team_card().overall is not None


def test_nothing_to_agree_on_is_a_named_error(tmp_path):
    room = WorkshopRoom(load_framework("aws"), folder=tmp_path)
    room.reload()
    with pytest.raises(WorkbookError, match="no answers to agree on yet"):
        room.save_consensus({})
    with pytest.raises(WorkbookError, match="has no responses yet"):
        room.discussion(top=3)


def test_switching_model_reads_its_own_folder(room):
    room.reload()
    room.open_team("Payments")
    room.switch(load_framework("gcp"))
    assert room.team == "" and room.consensus is None
    assert room.reload() is True and room.empty  # nothing answered gcp


@pytest.mark.slow  # many seconds: still run by `make test`, left out of `make test-fast`
def test_export_without_a_page(room):
    room.reload()
    room.open_team("Search")
    names = {name for name, _, _ in room.export_files(room.labels(), None)}
    assert {"workshop-aws-answers.csv", "workshop-aws-search-radar.png", "workshop-aws-teams.svg"} <= names
    assert not any(n.endswith("consensus.json") for n in names)  # none saved yet


def test_the_rooms_charts_are_valid_vega_lite(room):
    # The chart builders skip Altair's per-object checks (charts/build.py): the finished specs are checked here
    room.reload()
    room.open_team("Search")
    specs = [
        room.radar_chart().to_dict(),
        room.answers_chart(room.labels()).to_dict(),
        room.teams_chart(None).to_dict(),
    ]
    legend = next(
        layer["encoding"]["color"]["legend"]
        for layer in specs[0]["layer"]
        if "legend" in layer["encoding"].get("color", {})
    )
    assert "Team (median answers)" in legend["labelExpr"] and specs[0]["title"]["subtitle"][-1].startswith("Rings")
    assert all(spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/") for spec in specs)
