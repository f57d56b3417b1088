"""``mlops-workbook workshop``: template, import and summary from the command line."""

from __future__ import annotations

import json

import pytest

from mlops_workbook.cli.main import main
from tests.workshop.common import RED


def test_cli_template_import_summary(tiny_bank_path, tmp_path, capsys):
    template = tmp_path / "blank.csv"
    assert main(["workshop", "template", str(tiny_bank_path), "-o", str(template)]) == 0
    assert main(["workshop", "template", str(tiny_bank_path), "-o", str(template)]) == 1  # no overwrite
    lines = [template.read_text(encoding="utf-8").strip()]
    lines += [f"red,{r},Acme," + ",".join(str(v) for v in values) for r, values in RED.items()]
    filled = tmp_path / "filled.csv"
    filled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "assessments"
    assert main(["workshop", "import", str(filled), "--framework", str(tiny_bank_path), "-o", str(out)]) == 0
    assert sorted(p.name for p in (out / "tiny").iterdir()) == [f"red--{r}.json" for r in RED]
    # a second import does not overwrite the participants' files without --force
    assert main(["workshop", "import", str(filled), "--framework", str(tiny_bank_path), "-o", str(out)]) == 1
    assert "pass --force" in capsys.readouterr().err

    assert main(["workshop", "summary", str(out), "--framework", str(tiny_bank_path), "--json", "--top", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    (red,) = data["teams"]
    assert red["respondents"] == 4
    assert [q["question"] for q in red["discuss"]] == ["tiny.a.three", "tiny.b.one"]
    assert red["dimensions"][0]["median"] == pytest.approx(1.333)

    assert main(["workshop", "summary", str(out), "--framework", str(tiny_bank_path)]) == 0
    text = capsys.readouterr().out
    assert "red — 4 respondent(s)" in text and "1. tiny.a.three" in text


def test_cli_bad_input_exits_1_without_traceback(tiny_bank_path, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("team,respondent,tiny.a.one\nred,a,9\n", encoding="utf-8")
    out = tmp_path / "assessments"
    assert main(["workshop", "import", str(bad), "--framework", str(tiny_bank_path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "row 2, column 'tiny.a.one': 9 is not an answer on the scale 'Practice in place (0-4)'" in err
    assert "Traceback" not in err
    assert main(["workshop", "summary", str(out), "--framework", str(tiny_bank_path)]) == 1
    assert "holds no individual tiny assessments" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["workshop", "import", str(bad)])
    assert usage.value.code == 2
