"""Print the README's folder tour of the package, from each module's docstring.

``python scripts/folder_tour.py`` prints it; ``--write`` puts it into README.md between the
``<!-- folder-tour -->`` markers. ``tests/test_project.py`` checks the README matches the tree.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mlops_workbook"
README = ROOT / "README.md"
BEGIN, END = "<!-- folder-tour -->", "<!-- /folder-tour -->"
WIDTH = 118


def summary(path: Path) -> str:
    """The first sentence of a module's docstring, on one line, cut to fit the tour."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    paragraph = " ".join(doc.strip().split("\n\n")[0].split())
    sentence = re.split(r"(?<=\.)\s", paragraph, maxsplit=1)[0].rstrip(".:;")
    return sentence


def _line(name: str, text: str, indent: int) -> str:
    head = " " * indent + name
    room = WIDTH - 32
    text = text if len(text) <= room else text[: room - 1].rsplit(" ", 1)[0] + "…"
    return f"{head:<32}{text}".rstrip()


def tour() -> str:
    """The package tree: each sub-package with its docstring, each module with its first sentence."""
    lines = [_line("mlops_workbook/", summary(PACKAGE / "__init__.py"), 0)]
    for path in sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py"):
        lines.append(_line(path.name, summary(path), 2))
    for package in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        lines.append(_line(package.name + "/", summary(package / "__init__.py"), 2))
        for path in sorted(p for p in package.glob("*.py") if p.name != "__init__.py"):
            lines.append(_line(path.name, summary(path), 4))
    return "\n".join(lines)


def readme_tour(text: str) -> str:
    """The tour as the README has it (between the markers, inside its code fence)."""
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    return block.strip().removeprefix("```").removesuffix("```").strip("\n")


def main(argv: list[str]) -> int:
    if "--write" in argv:
        text = README.read_text(encoding="utf-8")
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        README.write_text(f"{before}{BEGIN}\n```\n{tour()}\n```\n{END}{after}", encoding="utf-8")
    else:
        print(tour())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
