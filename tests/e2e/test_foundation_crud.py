"""CRUD, patches, server-side apply, conflicts and warnings against the real apiserver."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest

from kubetyped.config import load_kubeconfig
from kubetyped.errors import (
    AlreadyExistsError,
    ApplyConflictError,
    ConflictError,
    NotFoundError,
)
from kubetyped.request import ApplyOptions, DeleteOptions, PatchType, WriteOptions
from kubetyped.rest import RESTClient


def configmaps(namespace: str) -> str:
    return f"/api/v1/namespaces/{namespace}/configmaps"


def test_configmap_crud(rest: RESTClient, namespace: str) -> None:
    base = configmaps(namespace)
    created = rest.create(
        base, {"metadata": {"name": "cm", "labels": {"t": "crud"}}, "data": {"a": "1"}}
    )
    assert created["metadata"]["uid"] and created["data"] == {"a": "1"}
    with pytest.raises(AlreadyExistsError):
        rest.create(base, {"metadata": {"name": "cm"}})

    got = rest.get(f"{base}/cm")
    assert got["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    got["data"]["b"] = "2"
    updated = rest.update(f"{base}/cm", got)
    assert updated["data"] == {"a": "1", "b": "2"}
    assert int(updated["metadata"]["resourceVersion"]) > int(got["metadata"]["resourceVersion"])

    listed = rest.list(base)
    assert [item["metadata"]["name"] for item in listed["items"]] == ["cm"]

    rest.delete(f"{base}/cm", DeleteOptions(grace_period_seconds=0))
    with pytest.raises(NotFoundError) as info:
        rest.get(f"{base}/cm")
    assert info.value.code == 404 and info.value.name == "cm"


def test_cluster_scoped_priority_class_crud(rest: RESTClient) -> None:
    name = f"kubetyped-{secrets.token_hex(4)}"
    base = "/apis/scheduling.k8s.io/v1/priorityclasses"
    created = rest.create(base, {"metadata": {"name": name}, "value": 1000, "description": "x"})
    try:
        assert "namespace" not in created["metadata"]
        patched = rest.patch(f"{base}/{name}", {"description": "patched"})
        assert patched["description"] == "patched"
        names = {item["metadata"]["name"] for item in rest.list(base)["items"]}
        assert {name, "system-node-critical"} <= names
    finally:
        rest.delete(f"{base}/{name}")
    with pytest.raises(NotFoundError):
        rest.get(f"{base}/{name}")


def test_stale_resource_version_conflicts(rest: RESTClient, namespace: str) -> None:
    base = configmaps(namespace)
    stale = rest.create(base, {"metadata": {"name": "cm"}, "data": {"a": "1"}})
    rest.patch(f"{base}/cm", {"data": {"a": "2"}})
    stale["data"]["a"] = "3"
    with pytest.raises(ConflictError) as info:
        rest.update(f"{base}/cm", stale)
    assert info.value.code == 409
    assert "the object has been modified" in info.value.message
    assert rest.get(f"{base}/cm")["data"]["a"] == "2"


def test_the_four_patch_types(rest: RESTClient, namespace: str) -> None:
    base = f"/apis/apps/v1/namespaces/{namespace}/deployments"
    container = {"name": "main", "image": "registry.example/app:1"}
    rest.create(
        base,
        {
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [container]},
                },
            },
        },
    )
    web = f"{base}/web"

    json_patched = rest.patch(
        web, [{"op": "replace", "path": "/spec/replicas", "value": 2}], PatchType.JSON
    )
    assert json_patched["spec"]["replicas"] == 2

    merged = rest.patch(web, {"metadata": {"labels": {"tier": "front"}}}, PatchType.MERGE)
    assert merged["metadata"]["labels"] == {"app": "web", "tier": "front"}

    # Strategic merge keys containers by name: a new container is added, not a list replaced.
    sidecar = {"name": "sidecar", "image": "registry.example/sidecar:1"}
    strategic = rest.patch(
        web, {"spec": {"template": {"spec": {"containers": [sidecar]}}}}, PatchType.STRATEGIC
    )
    assert sorted(c["name"] for c in strategic["spec"]["template"]["spec"]["containers"]) == [
        "main",
        "sidecar",
    ]
    # The same body as a JSON merge patch replaces the whole list.
    replaced = rest.patch(
        web, {"spec": {"template": {"spec": {"containers": [sidecar]}}}}, PatchType.MERGE
    )
    assert [c["name"] for c in replaced["spec"]["template"]["spec"]["containers"]] == ["sidecar"]

    applied = rest.apply(
        web,
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"replicas": 4},
        },
        ApplyOptions(field_manager="scaler", force=True),
    )
    assert applied["spec"]["replicas"] == 4
    managers = {entry["manager"] for entry in applied["metadata"]["managedFields"]}
    assert "scaler" in managers


def _cm(data: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "shared"}, "data": data}


def test_server_side_apply_conflict_then_force(rest: RESTClient, namespace: str) -> None:
    path = f"{configmaps(namespace)}/shared"
    rest.apply(path, _cm({"owner": "alpha", "alpha": "1"}), ApplyOptions(field_manager="alpha"))
    with pytest.raises(ConflictError) as info:
        rest.apply(path, _cm({"owner": "beta"}), ApplyOptions(field_manager="beta"))
    assert info.value.code == 409
    assert isinstance(info.value, ApplyConflictError)
    assert info.value.conflicts == [("alpha", ".data.owner")]
    assert '"alpha" owns .data.owner' in info.value.message and "force=True" in info.value.message
    assert any(".data.owner" in cause.get("field", "") for cause in info.value.causes)

    forced = rest.apply(
        path, _cm({"owner": "beta"}), ApplyOptions(field_manager="beta", force=True)
    )
    assert forced["data"] == {"owner": "beta", "alpha": "1"}
    owners = {
        entry["manager"]: entry["fieldsV1"]["f:data"]
        for entry in forced["metadata"]["managedFields"]
        if "f:data" in entry.get("fieldsV1", {})
    }
    assert "f:owner" in owners["beta"] and "f:owner" not in owners["alpha"]


class RecordingWarnings:
    def __init__(self) -> None:
        self.seen: list[tuple[int, str]] = []

    def handle_warning(self, code: int, agent: str, text: str) -> None:
        self.seen.append((code, text))


def test_warning_headers_reach_the_handler(kubeconfig_path: Path, namespace: str) -> None:
    handler = RecordingWarnings()
    config = load_kubeconfig(kubeconfig_path, context="admin")
    deployment = {
        "metadata": {"name": "old-arch"},
        "spec": {
            "selector": {"matchLabels": {"app": "x"}},
            "template": {
                "metadata": {"labels": {"app": "x"}},
                "spec": {
                    "nodeSelector": {"beta.kubernetes.io/arch": "amd64"},
                    "containers": [{"name": "c", "image": "registry.example/x:1"}],
                },
            },
        },
    }
    with RESTClient.from_config(config, warning_handler=handler) as client:
        client.create(f"/apis/apps/v1/namespaces/{namespace}/deployments", deployment)
        assert handler.seen == [
            (
                299,
                "spec.template.spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; "
                'use "kubernetes.io/arch" instead',
            )
        ]
        client.create(
            f"/api/v1/namespaces/{namespace}/configmaps",
            {"metadata": {"name": "w"}, "unknownField": 1},
            WriteOptions(field_validation="Warn"),
        )
        assert handler.seen[-1] == (299, 'unknown field "unknownField"')
