"""A report's HTML printed to PDF by a headless Chromium-family browser, when one is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def pdf_converter() -> str | None:
    """A headless Chromium-family browser to print HTML to PDF, if one is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def export_pdf(html: Path, timeout: float = 60) -> Path | None:
    """Print ``html`` to the same name with ``.pdf``; None when no browser is installed.

    Raises
    ------
    RuntimeError
        When the browser ran but wrote no PDF.
    """
    browser = pdf_converter()
    if browser is None:
        return None
    pdf = html.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="mlops-workbook-pdf-") as profile:
        tmp = pdf.with_name(f".{pdf.name}.tmp")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
             "--no-pdf-header-footer", f"--print-to-pdf={tmp}", html.resolve().as_uri()],
            capture_output=True, timeout=timeout, check=False,
        )  # fmt: skip
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise RuntimeError(f"{browser} did not write a PDF for {html.name}")
        os.replace(tmp, pdf)
    return pdf


__all__ = ["export_pdf", "pdf_converter"]
