"""Authentication and authorization against the real apiserver, through kubetyped.config + rest."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubetyped.config import load_kubeconfig
from kubetyped.errors import ForbiddenError, UnauthorizedError
from kubetyped.rest import RESTClient
from tests.cluster import ClusterInfo

SELF_REVIEW = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
REVIEW_PATH = "/apis/authentication.k8s.io/v1/selfsubjectreviews"


def whoami(client: RESTClient) -> dict[str, Any]:
    user: dict[str, Any] = client.create(REVIEW_PATH, SELF_REVIEW)["status"]["userInfo"]
    return user


@pytest.mark.parametrize(
    ("context", "username"), [("admin", "kubetyped-admin"), ("admin-token", "admin-token")]
)
def test_client_certificate_and_bearer_token(
    kubeconfig_path: Path, context: str, username: str
) -> None:
    with RESTClient.from_config(load_kubeconfig(kubeconfig_path, context=context)) as client:
        user = whoami(client)
        assert user["username"] == username
        assert "system:masters" in user["groups"]
        assert client.get("/api/v1/namespaces/default")["metadata"]["name"] == "default"


def _kubeconfig_with_user(source: Path, target: Path, user: dict[str, Any]) -> Path:
    document = yaml.safe_load(source.read_text())
    document["users"].append({"name": "custom", "user": user})
    document["contexts"].append(
        {"name": "custom", "context": {"cluster": "kubetyped-test", "user": "custom"}}
    )
    target.write_text(yaml.safe_dump(document))
    return target


def test_bad_token_is_unauthorized(kubeconfig_path: Path, tmp_path: Path) -> None:
    path = _kubeconfig_with_user(kubeconfig_path, tmp_path / "config", {"token": "not-a-token"})
    with (
        RESTClient.from_config(load_kubeconfig(path, context="custom")) as client,
        pytest.raises(UnauthorizedError) as info,
    ):
        client.get("/api/v1/namespaces/default")
    assert info.value.code == 401
    assert "not-a-token" not in str(info.value)


EXEC_PLUGIN = """
import datetime, json, os, sys
with open(os.environ["COUNT_FILE"], "a") as f:
    f.write("x")
expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
json.dump({
    "apiVersion": "client.authentication.k8s.io/v1",
    "kind": "ExecCredential",
    "status": {"token": os.environ["TOKEN"],
               "expirationTimestamp": expiry.strftime("%Y-%m-%dT%H:%M:%SZ")},
}, sys.stdout)
"""


def test_exec_plugin_runs_again_after_its_credential_expires(
    cluster: ClusterInfo, kubeconfig_path: Path, tmp_path: Path
) -> None:
    script, count = tmp_path / "plugin.py", tmp_path / "count"
    script.write_text(EXEC_PLUGIN)
    exec_user = {
        "exec": {
            "apiVersion": "client.authentication.k8s.io/v1",
            "command": sys.executable,
            "args": [str(script)],
            "env": [
                {"name": "COUNT_FILE", "value": str(count)},
                {"name": "TOKEN", "value": cluster.admin_token},
            ],
            "interactiveMode": "Never",
        }
    }
    path = _kubeconfig_with_user(kubeconfig_path, tmp_path / "config", exec_user)
    with RESTClient.from_config(load_kubeconfig(path, context="custom")) as client:
        assert whoami(client)["username"] == "admin-token"
        client.get("/api/v1/namespaces/default")
        assert count.read_text() == "x"  # cached while valid
        # RFC 3339 seconds: the credential expires within 2-3 s; wait until it surely has.
        time.sleep(3.2)
        client.get("/api/v1/namespaces/default")
        assert count.read_text() == "xx"


def test_alice_is_forbidden_outside_her_role_and_allowed_inside(
    kubeconfig_path: Path, rest: RESTClient, namespace: str
) -> None:
    alice_config = load_kubeconfig(kubeconfig_path, context="alice")
    configmaps = f"/api/v1/namespaces/{namespace}/configmaps"
    with RESTClient.from_config(alice_config) as alice:
        assert whoami(alice)["username"] == "alice"
        with pytest.raises(ForbiddenError) as info:
            alice.list(configmaps)
        assert info.value.code == 403
        assert 'User "alice" cannot list resource "configmaps"' in info.value.message

        rbac = f"/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}"
        rest.create(
            f"{rbac}/roles",
            {
                "metadata": {"name": "cm-reader"},
                "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["list"]}],
            },
        )
        rest.create(
            f"{rbac}/rolebindings",
            {
                "metadata": {"name": "alice-cm-reader"},
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "Role",
                    "name": "cm-reader",
                },
                "subjects": [
                    {"kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"}
                ],
            },
        )
        # The RBAC authorizer reads from an informer cache: allow it a moment to see the binding.
        deadline = time.monotonic() + 10
        while True:
            try:
                listed = alice.list(configmaps)
                break
            except ForbiddenError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert listed["kind"] == "ConfigMapList"
        # Still nothing beyond the Role: not another verb, not another namespace.
        with pytest.raises(ForbiddenError):
            alice.create(configmaps, {"metadata": {"name": "nope"}})
        with pytest.raises(ForbiddenError):
            alice.list("/api/v1/namespaces/default/configmaps")
