"""What a report batch hands back and writes: one :class:`Outcome` per file, pages written for sharing.

The ground of :mod:`mlops_workbook.reports`: the batch (:mod:`~mlops_workbook.reports.batch`)
produces outcomes, the portfolio (:mod:`~mlops_workbook.reports.portfolio`) reads them; both
write through :func:`write_public`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlops_workbook.model.files import write_atomic
from mlops_workbook.model.schema import Assessment

_CDN_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*')


@dataclass
class Outcome:
    """What became of one assessment file: its report (and PDF), or why there is none."""

    path: Path
    ok: bool
    output: Path | None = None
    error: str = ""
    seconds: float = 0.0
    attempts: int = 0
    pdf: Path | None = None
    assessment: Assessment | None = None


def write_public(path: Path, text: str) -> None:
    """Atomic write, then the usual permissions of a shared document (temp files are private)."""
    write_atomic(path, text)
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


def html_exporter() -> Any:
    """nbconvert's HTML exporter without code or prompts (a batch worker makes one and reuses it)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )


def notebook_to_html(nb: Any, title: str, exporter: Any = None) -> str:
    """The executed notebook as one self-contained HTML page without code.

    Charts are inline SVG; the template's CDN scripts (require.js, MathJax) are dropped
    since nothing in a report uses them and the page must work offline from disk.
    """
    body, _ = (exporter or html_exporter()).from_notebook_node(nb, resources={"metadata": {"name": title}})
    return _CDN_SCRIPT.sub("", body)


__all__ = ["Outcome", "html_exporter", "notebook_to_html", "write_public"]
