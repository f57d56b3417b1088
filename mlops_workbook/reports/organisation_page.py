"""The Voilà page ``notebooks/60-portfolio.ipynb``: the organisation's view of an assessments folder.

The page shows what the batch index shows (:mod:`mlops_workbook.reports.organisation_html`),
read from the folder the app saves into; the blockers' CSV is a download link on the page.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from mlops_workbook.model.errors import display_name
from mlops_workbook.model.paths import ASSESSMENTS_DIR
from mlops_workbook.render.style import STYLE
from mlops_workbook.reports.organisation_files import UNITS_FILE, organisation_results
from mlops_workbook.reports.organisation_html import organisation_html


def organisation_page_html(folder: str | Path = "") -> str:
    """The page's HTML for ``folder`` (empty: the app's assessments folder); the notebook gives the title."""
    from mlops_workbook.charts.theme import use_workbook_theme

    use_workbook_theme()
    root = Path(folder) if str(folder).strip() else ASSESSMENTS_DIR
    results, problems = organisation_results(root)
    where = (
        f"<p class='mwr-sub'>Every assessment in <code>{escape(display_name(root))}</code> (earlier rounds "
        f"included); business units from the files' <code>unit</code> field or <code>{UNITS_FILE}</code> there.</p>"
    )
    return f"{STYLE}<div class='mwr'>{where}" + (organisation_html(results, problems) + "</div>")


def organisation_page(folder: str | Path = "") -> Any:
    """The page as a displayable object (IPython ``HTML``): what the notebook's one code cell shows."""
    from IPython.display import HTML

    return HTML(organisation_page_html(folder))


__all__ = ["organisation_page", "organisation_page_html"]
