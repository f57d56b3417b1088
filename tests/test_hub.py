"""The workbook on JupyterHub, fast parts: who the kernel says you are, the hub configuration, the Helm values.

The real hub in a browser is tests/test_hub_browser.py; these run in a second.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from traitlets.config import Config

from mlops_workbook.app import identity
from mlops_workbook.app.session import DEMO_RESPONDENT, DEMO_TEAM, Session
from mlops_workbook.model.errors import WorkbookError

PROJECT = Path(__file__).resolve().parent.parent
HUB_CONFIG = PROJECT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
VALUES = PROJECT / "deploy" / "zero-to-jupyterhub" / "values.yaml"
ALICE = {"JUPYTERHUB_USER": "alice"}
# Measured (tests/test_hub_browser.py, README "Company-wide"): a user's server with the app open, and one more page.
USER_SERVER_MB, KERNEL_MB = 405, 240


def test_on_a_hub_the_page_opens_the_logged_in_users_file_whatever_the_address_says():
    assert identity.page_identity("Payments", "bob", ALICE) == ("Payments", "alice")
    assert identity.page_identity("Payments", "bob", {}) == ("Payments", "bob")  # no hub: the address wins
    assert identity.page_identity(DEMO_TEAM, DEMO_RESPONDENT, ALICE) == (DEMO_TEAM, DEMO_RESPONDENT)  # read-only
    assert (DEMO_TEAM, DEMO_RESPONDENT) == identity.DEMO_PAIR


def test_a_session_refuses_another_respondents_file_on_a_hub(monkeypatch, tmp_path):
    """Fails if the check_own_file call in Session.open is removed."""
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    with pytest.raises(WorkbookError, match="signed in as 'alice'"):
        Session.open("aws", team="Payments", respondent="bob", folder=tmp_path)
    assert not list(tmp_path.rglob("*.json"))
    assert Session.open("aws", team="Payments", respondent=" Alice", folder=tmp_path).path.exists()  # same person


def test_a_session_never_saves_under_another_respondent_on_a_hub(monkeypatch, tmp_path):
    """Fails if the check_own_file call in Session._write is removed."""
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    session = Session.open("aws", team="Payments", respondent="alice", folder=tmp_path)
    session.assessment.respondent = "bob"
    with pytest.raises(WorkbookError, match="only your own"):
        session._write()
    assert json.loads(session.path.read_text())["respondent"] == "alice"


def test_without_a_hub_nothing_is_restricted(monkeypatch, tmp_path):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert Session.open("aws", team="Payments", respondent="bob", folder=tmp_path).path.exists()
    assert identity.facilitator_refusal() is None


class _FakeHub(BaseHTTPRequestHandler):
    groups: ClassVar[list[str]] = []

    def do_GET(self):
        ok = self.path == "/hub/api/user" and self.headers.get("Authorization") == "token t0k3n"
        body = json.dumps({"name": "fay", "groups": self.groups}).encode()
        self.send_response(200 if ok else 403)
        self.end_headers()
        self.wfile.write(body if ok else b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_hub():
    server = HTTPServer(("127.0.0.1", 0), _FakeHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hub/api"
    finally:
        server.shutdown()


def test_facilitator_membership_comes_from_the_hub_api_then_from_the_spawn_time_groups(fake_hub):
    """Fails if hub_user stops asking the hub (the env says 'platform', the hub says 'facilitators')."""
    _FakeHub.groups = ["facilitators"]
    env = {"JUPYTERHUB_USER": "fay", "JUPYTERHUB_API_URL": fake_hub, "JUPYTERHUB_API_TOKEN": "t0k3n"}
    user = identity.hub_user({**env, identity.GROUPS_ENV: "staff"})
    assert user is not None and user.is_facilitator and user.groups == {"facilitators"}
    assert identity.facilitator_refusal(env) is None
    _FakeHub.groups = []
    refusal = identity.facilitator_refusal(env)
    assert refusal is not None and "is for facilitators" in refusal.value and "fay" in refusal.value
    unreachable = {**env, "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api", identity.GROUPS_ENV: "platform,x"}
    assert identity.hub_user(unreachable).is_platform
    assert identity.facilitator_refusal(unreachable) is None  # platform sees what facilitators see


def test_the_facilitator_group_name_is_configuration():
    env = {"JUPYTERHUB_USER": "fay", identity.GROUPS_ENV: "leads", "MLOPS_WORKBOOK_FACILITATOR_GROUP": "leads"}
    assert identity.facilitator_refusal(env) is None
    assert identity.facilitator_refusal({**env, "MLOPS_WORKBOOK_FACILITATOR_GROUP": "facilitators"}) is not None


def _load_hub_config(tmp_path: Path, monkeypatch, **settings) -> Config:
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump({"state_dir": str(tmp_path / "state"), **settings}), encoding="utf-8")
    monkeypatch.setenv("MLOPS_WORKBOOK_HUB_SETTINGS", str(path))
    monkeypatch.delenv("MLOPS_WORKBOOK_ASSESSMENTS", raising=False)
    config = Config()
    code = compile(HUB_CONFIG.read_text(), str(HUB_CONFIG), "exec")
    exec(code, {"get_config": lambda: config, "__file__": str(HUB_CONFIG)})
    return config


def test_hub_config_opens_the_app_shares_one_folder_and_takes_groups_from_settings(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    c = _load_hub_config(tmp_path, monkeypatch, assessments=str(shared), groups={"facilitators": ["fay"]})
    assert c.Spawner.default_url == "/voila/render/app.ipynb"
    assert c.Spawner.environment["MLOPS_WORKBOOK_ASSESSMENTS"] == str(shared) and shared.is_dir()
    assert c.Spawner.notebook_dir == str(PROJECT / "notebooks")
    assert c.JupyterHub.load_groups == {"facilitators": {"users": ["fay"]}, "platform": {"users": []}}
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["workbook-facilitator"]["groups"] == ["facilitators"]
    assert "delete:servers" in roles["idle-culler"]["scopes"]
    assert [s["name"] for s in c.JupyterHub.services] == ["idle-culler"]
    assert "read:users:groups!user" in c.Spawner.server_token_scopes
    assert c.JupyterHub.spawner_class == "localprocess"  # real accounts unless the settings say "simple"


def test_hub_config_refuses_the_test_password_beyond_loopback_and_names_a_bad_settings_file(tmp_path, monkeypatch):
    with pytest.raises(SystemExit, match="loopback only"):
        _load_hub_config(tmp_path, monkeypatch, authenticator="test", ip="0.0.0.0")
    with pytest.raises(SystemExit, match=r"settings\.yaml: groups"):
        _load_hub_config(tmp_path, monkeypatch, groups={"facilitators": "fay"})


def _megabytes(quantity: str) -> float:
    units = {"K": 1e-3, "M": 1, "G": 1e3, "Ki": 1.024e-3, "Mi": 1.048576, "Gi": 1073.741824}
    number = quantity.rstrip("KMGi")
    return float(number) * units[quantity[len(number) :]]


def test_helm_values_match_the_hub_config_and_the_measured_sizes():
    """The chart's schema is not available offline: the keys used here are checked against the chart's
    documented top-level and singleuser keys, and the values against the hub config and measurements."""
    values = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    assert set(values) <= {"hub", "proxy", "singleuser", "cull", "scheduling", "prePuller", "ingress", "debug"}
    user = values["singleuser"]
    assert set(user) <= {
        "image", "defaultUrl", "cmd", "extraEnv", "storage", "memory", "cpu", "startTimeout",
        "networkPolicy", "nodeSelector", "profileList", "uid", "fsGid", "lifecycleHooks",
    }  # fmt: skip
    assert user["defaultUrl"] == "/voila/render/app.ipynb"
    mounts = {m["name"]: m["mountPath"] for m in user["storage"]["extraVolumeMounts"]}
    assert user["extraEnv"]["MLOPS_WORKBOOK_ASSESSMENTS"] == mounts["assessments"]
    claims = [v for v in user["storage"]["extraVolumes"] if v["name"] == "assessments"]
    assert claims and "persistentVolumeClaim" in claims[0]
    assert _megabytes(user["memory"]["guarantee"]) >= USER_SERVER_MB
    assert _megabytes(user["memory"]["limit"]) >= USER_SERVER_MB + KERNEL_MB  # a second page fits
    assert values["cull"]["enabled"] and values["cull"]["timeout"] > 0
    assert values["hub"]["config"]["Spawner"]["notebook_dir"].endswith("/notebooks")  # not singleuser.notebookDir
    roles = values["hub"]["loadRoles"]
    assert roles["workbook-facilitator"]["groups"] == ["facilitators"]
    assert set(values["hub"]["config"]["JupyterHub"]["load_groups"]) == {"facilitators", "platform"}
