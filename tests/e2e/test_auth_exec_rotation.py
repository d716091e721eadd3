"""An exec plugin rotates its client certificate mid-run; one Clientset keeps working.

The test cluster's client CA signs two certificates (users rot-user-1 and rot-user-2). The plugin
returns the first with an expiry; after it expires the plugin returns the second. Requests before
and after succeed on the same client, and the apiserver sees the new identity at once: the kept-
alive connections that presented the old certificate are closed (client-go's connection tracker,
plugin/pkg/client/auth/exec/exec.go `refreshCredsLocked` → `connTracker.CloseAll`).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubetyped.config import load_kubeconfig
from kubetyped_kubernetes import AsyncClientset, Clientset
from tests.cluster import ClusterInfo
from tests.cluster.pki import CertificateAuthority

V1 = "client.authentication.k8s.io/v1"
PLUGIN = """#!/bin/sh
echo x >> "$DIR/runs"
cat "$DIR/cred-$(cat "$DIR/current").json"
"""
SELF_REVIEW = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _plugin_kubeconfig(cluster: ClusterInfo, tmp: Path, clock: Clock) -> tuple[Path, Path]:
    if cluster.ca_key_path is None:
        pytest.skip("the cluster was started elsewhere: its client CA key is not available")
    ca = CertificateAuthority.load(cluster.ca_path.read_bytes(), cluster.ca_key_path.read_bytes())
    plugin_dir = tmp / "plugin"
    plugin_dir.mkdir()
    script = plugin_dir / "plugin.sh"
    script.write_text(PLUGIN)
    script.chmod(0o755)
    for n in (1, 2):
        pair = ca.client_cert(f"rot-user-{n}", ("system:masters",))
        expires = dt.datetime.fromtimestamp(clock.now + (300 if n == 1 else 3600), dt.UTC)
        status = {
            "clientCertificateData": pair.cert_pem.decode(),
            "clientKeyData": pair.key_pem.decode(),
            "expirationTimestamp": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        doc = {"apiVersion": V1, "kind": "ExecCredential", "status": status}
        (plugin_dir / f"cred-{n}.json").write_text(json.dumps(doc))
    (plugin_dir / "current").write_text("1")
    document: dict[str, Any] = yaml.safe_load(cluster.kubeconfig_path.read_text())
    exec_user = {
        "exec": {
            "apiVersion": V1,
            "command": str(script),
            "env": [{"name": "DIR", "value": str(plugin_dir)}],
            "interactiveMode": "Never",
        }
    }
    document["users"].append({"name": "rotating", "user": exec_user})
    document["contexts"].append(
        {"name": "rotating", "context": {"cluster": "kubetyped-test", "user": "rotating"}}
    )
    path = tmp / "config"
    path.write_text(yaml.safe_dump(document))
    return path, plugin_dir


def _runs(plugin_dir: Path) -> int:
    return len((plugin_dir / "runs").read_text().split())


def test_clientset_survives_exec_certificate_rotation(cluster: ClusterInfo, tmp_path: Path) -> None:
    clock = Clock()
    path, plugin_dir = _plugin_kubeconfig(cluster, tmp_path, clock)
    with Clientset.from_config(load_kubeconfig(path, context="rotating", clock=clock)) as cs:
        reviews = cs.authentication_v1.self_subject_reviews()
        assert reviews.create(SELF_REVIEW).status.user_info.username == "rot-user-1"
        for _ in range(3):  # kept-alive connections now present rot-user-1's certificate
            assert cs.core_v1.namespaces().get("default").metadata.name == "default"
        (plugin_dir / "current").write_text("2")
        clock.now += 600  # the first credential expired: the plugin runs again
        assert reviews.create(SELF_REVIEW).status.user_info.username == "rot-user-2"
        for _ in range(3):
            assert cs.core_v1.namespaces().get("default").metadata.name == "default"
        assert reviews.create(SELF_REVIEW).status.user_info.username == "rot-user-2"
    assert _runs(plugin_dir) == 2


async def test_async_clientset_survives_exec_certificate_rotation(
    cluster: ClusterInfo, tmp_path: Path
) -> None:
    clock = Clock()
    path, plugin_dir = _plugin_kubeconfig(cluster, tmp_path, clock)
    config = load_kubeconfig(path, context="rotating", clock=clock)
    async with AsyncClientset.from_config(config) as cs:
        reviews = cs.authentication_v1.self_subject_reviews()
        assert (await reviews.create(SELF_REVIEW)).status.user_info.username == "rot-user-1"
        await cs.core_v1.namespaces().get("default")
        (plugin_dir / "current").write_text("2")
        clock.now += 600
        assert (await reviews.create(SELF_REVIEW)).status.user_info.username == "rot-user-2"
        assert (await cs.core_v1.namespaces().get("default")).metadata.name == "default"
    assert _runs(plugin_dir) == 2
