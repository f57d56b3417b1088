"""Controls shared by the app and the facilitator page: the answer buttons and the error guard
every handler runs under.

:func:`guarded` turns a failure into a message that says what to do, shown where the page shows
problems: a file problem names the file and the fix, a disk error names the file and says that
answers saved before are safe, and anything unexpected names the action that failed and the log
file holding the details, never a bare exception class.
"""

from __future__ import annotations

import functools
import logging
import tempfile
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ipywidgets as w

from mlops_workbook.model.errors import WorkbookError
from mlops_workbook.model.schema import Framework

#: The answer buttons' labels and values: the scale 0-4, not applicable, don't know.
ANSWER_OPTIONS: list[tuple[str, int | str]] = [
    ("0", 0),
    ("1", 1),
    ("2", 2),
    ("3", 3),
    ("4", 4),
    ("N/A", "na"),
    ("?", "unknown"),
]

#: Where unexpected errors are written, in the folder the page works in.
ERROR_LOG = "mlops-workbook-errors.log"

log = logging.getLogger("mlops_workbook")


def answer_options(framework: Framework) -> list[tuple[str, int | str]]:
    """The bank's scale as buttons: its values (short labels shown when every label is short), then the
    words it offers (N/A, ?). The 0-4 maturity scale gives :data:`ANSWER_OPTIONS`."""
    scale = framework.scale
    short = all(len(o.label) <= 12 for o in scale.options)
    found: list[tuple[str, int | str]] = [(o.label if short else str(o.value), o.value) for o in scale.options]
    return found + [(text, word) for text, word in ANSWER_OPTIONS[-2:] if word in scale.words]


def button_width(framework: Framework) -> str:
    """Wide enough for the longest label of the bank's buttons ("Automated"); 44 px for 0-4, N/A and ?."""
    longest = max(len(text) for text, _ in answer_options(framework))
    return "44px" if longest <= 3 else f"{8 * longest + 24}px"


def answer_buttons(framework: Framework, **options: Any) -> w.ToggleButtons:
    """The answer buttons of the bank's scale, nothing chosen, each with the scale's words as its tooltip."""
    choices = answer_options(framework)
    labels = [framework.scale.label(v) for _, v in choices]
    return w.ToggleButtons(options=choices, value=None, tooltips=labels, **options)


# --------------------------------------------------------------------------- the error guard


def guarded(method: Callable[..., Any] | None = None, *, action: str = "") -> Any:
    """Show any failure of a handler in the page's problem line instead of a traceback.

    Use as ``@guarded`` or ``@guarded(action="start a new round")``: the action is what a message
    says could not be done (by default the handler's name: ``_on_refresh`` -> "refresh"). The page
    (``self``) shows messages with ``show_problems(messages)``; its ``folder``, when it has one,
    keeps the log of unexpected errors.
    """
    if method is None:
        return functools.partial(guarded, action=action)
    doing = action or method.__name__.removeprefix("_").removeprefix("on_").replace("_", " ")

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except WorkbookError as exc:  # a file's content: each problem names the file, the field and the fix
            self.show_problems([str(p) for p in exc.problems])
        except OSError as exc:
            self.show_problems([file_error_message(exc, doing)])
            self._save_failed = True
        except ValueError as exc:
            self.show_problems([f"Could not {doing}: {exc}. Check what was typed or chosen, then try again."])
        except Exception:
            self.show_problems([unexpected_error_message(doing, log_error(getattr(self, "folder", None), doing))])
        return None

    return wrapper


def file_error_message(exc: OSError, action: str) -> str:
    """What a failed read or write means for the person, without internals such as ``(None)``.

    >>> file_error_message(OSError(28, "No space left on device", "a.json"), "save your answer")[:66]
    'Could not save your answer (a.json): No space left on device. Answ'
    """
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    return (
        f"Could not {action}{where}: {exc.strerror or exc}. Answers saved before are safe; "
        "tell the facilitator (the disk may be full or read-only), then try again."
    )


def unexpected_error_message(action: str, log_file: Path | None) -> str:
    """A failure nobody planned for: the action, that saved answers are safe, where the details are."""
    where = f"The details are in {log_file}" if log_file else "The details are in the server's log"
    return (
        f"Could not {action}: the workbook hit an error it does not know how to explain. Answers saved before "
        f"are safe. {where}; show it to the facilitator, then reload the page and try again."
    )


def log_error(folder: str | Path | None, action: str) -> Path | None:
    """Append the current exception's traceback to the error log; return the log's path (None: not written)."""
    log.exception("could not %s", action)  # also to the server's log
    entry = f"--- {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC: could not {action}\n{traceback.format_exc()}\n"
    for base in (Path(folder), Path(tempfile.gettempdir())) if folder else (Path(tempfile.gettempdir()),):
        path = base / ERROR_LOG
        try:
            with path.open("a", encoding="utf-8") as out:
                out.write(entry)
            return path
        except OSError:
            continue
    return None
