"""Who is using the workbook when it runs on JupyterHub, and what they may open.

On a hub (``JUPYTERHUB_USER`` is set in the kernel's environment) the respondent is the logged-in user:
a ``respondent=`` in the page's address is ignored, and a session refuses to open or save any other
respondent's file, with a message that says why. Whether the user is a facilitator (may open the
facilitator page) or on the platform team (the organisation view) comes from the user's hub groups:
asked of the hub (``GET /hub/api/user`` with the server's own token), else the groups the hub passed
when the server started (``MLOPS_WORKBOOK_HUB_GROUPS``). The group names are configuration
(``MLOPS_WORKBOOK_FACILITATOR_GROUP``, ``MLOPS_WORKBOOK_PLATFORM_GROUP``), not code.

Without a hub (``make app``, JupyterLab, the command line) nothing here restricts anything.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

import ipywidgets as w

from mlops_workbook.model.assessment import identity_key
from mlops_workbook.model.errors import Problem, WorkbookError

HUB_USER_ENV = "JUPYTERHUB_USER"
GROUPS_ENV = "MLOPS_WORKBOOK_HUB_GROUPS"  # set by deploy/jupyterhub/jupyterhub_config.py at spawn
DEMO_PAIR = ("Example team", "example")  # the read-only worked example (app.session.DEMO_TEAM/RESPONDENT)


@dataclass(frozen=True)
class HubUser:
    """The logged-in hub user and their groups."""

    name: str
    groups: frozenset[str]
    facilitator_group: str = "facilitators"
    platform_group: str = "platform"

    @property
    def is_facilitator(self) -> bool:
        return self.facilitator_group in self.groups or self.is_platform

    @property
    def is_platform(self) -> bool:
        return self.platform_group in self.groups


def hub_groups(environ: Mapping[str, str], timeout: float = 3.0) -> frozenset[str] | None:
    """The user's groups as the hub has them now (None if the hub cannot be asked)."""
    url, token = environ.get("JUPYTERHUB_API_URL"), environ.get("JUPYTERHUB_API_TOKEN")
    if not url or not token:
        return None
    request = urllib.request.Request(url.rstrip("/") + "/user", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            model = json.load(answer)
    except (OSError, ValueError):
        return None
    groups = model.get("groups") if isinstance(model, dict) else None
    return frozenset(str(g) for g in groups) if isinstance(groups, list) else None


def hub_user(environ: Mapping[str, str] | None = None) -> HubUser | None:
    """The logged-in user when running on a hub, else None."""
    env = os.environ if environ is None else environ
    name = env.get(HUB_USER_ENV, "").strip()
    if not name:
        return None
    groups = hub_groups(env)
    if groups is None:
        groups = frozenset(g.strip() for g in env.get(GROUPS_ENV, "").split(",") if g.strip())
    return HubUser(
        name,
        groups,
        env.get("MLOPS_WORKBOOK_FACILITATOR_GROUP", "facilitators"),
        env.get("MLOPS_WORKBOOK_PLATFORM_GROUP", "platform"),
    )


def hub_user_name(environ: Mapping[str, str] | None = None) -> str:
    """The logged-in hub user's name ('' without a hub); cheap: no request to the hub."""
    env = os.environ if environ is None else environ
    return env.get(HUB_USER_ENV, "").strip()


def page_identity(team: str, respondent: str, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The team and respondent a page opens: on a hub the respondent is the logged-in user, whatever
    the address says; the read-only worked example (the page without a team) stays as it is."""
    user = hub_user_name(environ)
    if not user or (team.strip(), respondent.strip()) == DEMO_PAIR:
        return team, respondent
    return team, user


def check_own_file(respondent: str, file: str, environ: Mapping[str, str] | None = None) -> None:
    """Raise :class:`WorkbookError` when a hub user opens or saves another respondent's file."""
    user = hub_user_name(environ)
    if user and identity_key(respondent) != identity_key(user):
        raise WorkbookError(
            [
                Problem(
                    file,
                    "respondent",
                    f"is {respondent!r}, but you are signed in as {user!r}: you may open and change only your own "
                    "answers",
                    f"type {user!r} as the respondent; a facilitator sees everyone's answers on the facilitator page",
                )
            ]
        )


def facilitator_refusal(environ: Mapping[str, str] | None = None) -> w.HTML | None:
    """None when the facilitator page may open here, else the page that says why not."""
    if not hub_user_name(environ):
        return None
    user = hub_user(environ)
    if user is None or user.is_facilitator:
        return None
    return w.HTML(
        "<div class='mw-card' role='alert'><b>The facilitator page is for facilitators.</b> You are signed in as "
        f"{escape(user.name)}, who is not in the hub group {escape(user.facilitator_group)!s}. Your own answers are "
        "in the app; ask the hub's administrator if you facilitate a workshop.</div>"
    )
