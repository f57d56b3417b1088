"""JupyterHub serving the MLOps maturity workbook: one server per user, opened on the app.

    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Every setting a deployment changes is in a YAML file (``settings.yaml`` beside this file, or the one named
by ``MLOPS_WORKBOOK_HUB_SETTINGS``): the shared assessments folder, the ``facilitators`` and ``platform``
groups, spawner, authenticator, ports. The hub must run in the environment where the project is installed
(``jupyterhub-singleuser``, Voilà's server extension and ``mlops_workbook`` side by side).

What each user gets: their own Jupyter server, opened at ``/user/<name>/voila/render/app.ipynb``; the
notebooks of the project; answers saved to the one shared folder (``MLOPS_WORKBOOK_ASSESSMENTS``); in the
kernel, the respondent is the logged-in user (``mlops_workbook.app.identity``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
SETTINGS_FILE = Path(os.environ.get("MLOPS_WORKBOOK_HUB_SETTINGS", HERE / "settings.yaml"))
FACILITATORS, PLATFORM = "facilitators", "platform"
# Scopes for the hub's own pages and API (not the workbook's files: the kernel guards those).
FACILITATOR_SCOPES = ["list:users", "read:users:name", "read:users:activity", "read:servers", "read:groups"]
IDLE_CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]


def _settings(path: Path) -> dict:
    """The YAML settings; a clear message naming the file when they cannot be used."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SystemExit(f"{path}: cannot read the hub settings: {exc}") from None
    if not isinstance(loaded, dict):
        raise SystemExit(f"{path}: the hub settings must be a mapping of names to values")
    groups = loaded.get("groups") or {}
    if not isinstance(groups, dict) or any(not isinstance(v or [], list) for v in groups.values()):
        raise SystemExit(f"{path}: groups: give each group a list of user names (groups: {{facilitators: [fay]}})")
    return loaded


s = _settings(SETTINGS_FILE)
assessments = Path(os.environ.get("MLOPS_WORKBOOK_ASSESSMENTS") or s.get("assessments") or PROJECT / "assessments")
notebooks = Path(s.get("notebooks") or PROJECT / "notebooks")
state = Path(s.get("state_dir") or PROJECT / ".hub" / "state")
state.mkdir(parents=True, exist_ok=True)
assessments.mkdir(parents=True, exist_ok=True)
groups = {name: list(members or []) for name, members in (s.get("groups") or {}).items()}
for name in (FACILITATORS, PLATFORM):
    groups.setdefault(name, [])

# ---------------------------------------------------------------- network and state
c.JupyterHub.ip = s.get("ip", "127.0.0.1")
c.JupyterHub.port = int(s.get("port", 8000))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(s.get("hub_port", 8081))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(s.get('proxy_api_port', 8001))}"
local_proxy = PROJECT / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"  # `make hub-setup`
c.ConfigurableHTTPProxy.command = [str(local_proxy) if local_proxy.exists() else "configurable-http-proxy"]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")

# ---------------------------------------------------------------- who logs in
if s.get("authenticator") == "test":
    if c.JupyterHub.ip not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"{SETTINGS_FILE}: authenticator: test is for loopback only (ip: {c.JupyterHub.ip})")
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ.get("MLOPS_WORKBOOK_HUB_PASSWORD", "workbook-try-out")
elif s.get("authenticator"):
    c.JupyterHub.authenticator_class = s["authenticator"]  # an entry-point name such as "github" or "ldap"
users = {str(u) for u in s.get("users") or []}
if users:
    c.Authenticator.allowed_users = users | {u for members in groups.values() for u in members}
c.Authenticator.admin_users = set(s.get("admins") or [])

# ---------------------------------------------------------------- groups and roles (membership is configuration)
c.JupyterHub.load_groups = {name: {"users": members} for name, members in groups.items()}
c.JupyterHub.load_roles = [
    {"name": "workbook-facilitator", "scopes": FACILITATOR_SCOPES, "groups": [FACILITATORS]},
    {"name": "workbook-platform", "scopes": [*FACILITATOR_SCOPES, "list:groups"], "groups": [PLATFORM]},
    {"name": "idle-culler", "scopes": IDLE_CULLER_SCOPES, "services": ["idle-culler"]},
]
# The server's token may read the user's own groups: the kernel asks GET /hub/api/user who is a facilitator.
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server", "read:users:groups!user"]

# ---------------------------------------------------------------- each user's server
if s.get("spawner", "local") == "simple":
    c.JupyterHub.spawner_class = "simple"  # every server runs as the hub's user: a try-out, not isolation
else:
    c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.notebook_dir = str(notebooks)  # the Jupyter contents API sees the notebooks only, not the answers
c.Spawner.default_url = "/voila/render/app.ipynb"
# A server starts in ~5 s on an idle core, ~30 s when a room logs in at once on a busy node: wait for it.
c.Spawner.start_timeout = c.Spawner.http_timeout = int(s.get("start_timeout_seconds", 120))
kernel_cull = int(s.get("kernel_cull_seconds", 120))
c.Spawner.args = [
    "--VoilaConfiguration.strip_sources=True",
    f"--VoilaExecutor.timeout={int(s.get('cell_timeout_seconds', 120))}",
    f"--MappingKernelManager.cull_idle_timeout={kernel_cull}",
    f"--MappingKernelManager.cull_interval={max(1, min(10, kernel_cull // 3))}",
    "--MappingKernelManager.cull_connected=False",
    "--ServerApp.terminals_enabled=False",
    *(["--allow-root"] if os.geteuid() == 0 and c.JupyterHub.spawner_class == "simple" else []),
]


def _user_groups(spawner) -> str:
    """The user's groups when the server starts (the kernel asks the hub again; this is the fallback)."""
    return ",".join(sorted(g.name for g in spawner.user.groups))


c.Spawner.environment = {
    "MLOPS_WORKBOOK_ASSESSMENTS": str(assessments),
    "MLOPS_WORKBOOK_HUB_GROUPS": _user_groups,
    **({"MLOPS_WORKBOOK_DATA": str(s["data"])} if s.get("data") else {}),
}
if s.get("mem_limit"):
    c.Spawner.mem_limit = s["mem_limit"]  # enforced by container spawners only

# ---------------------------------------------------------------- idle servers stop
idle_timeout = int(s.get("idle_timeout_seconds", 3600))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={idle_timeout}"],
    }
]

if s.get("extra_config"):
    load_subconfig(str(s["extra_config"]))  # noqa: F821 - the operator's authenticator, spawner, TLS
