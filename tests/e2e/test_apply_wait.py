"""Deploy-script helpers on the complete cluster: load a folder of manifests, apply it with
server-side apply (CRD and custom resource in one call), wait for the Deployment and the custom
resource, re-apply a change, delete and wait for the deletion; sync and async."""

# mypy: disable-error-code="union-attr, index, operator"

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from kubetyped.apply import apply_manifests
from kubetyped.apply.async_apply import apply_manifests as async_apply_manifests
from kubetyped.config import load_kubeconfig
from kubetyped.dynamic import AsyncDynamicClient, DynamicClient
from kubetyped.errors import ConflictError, NotFoundError
from kubetyped.manifests import load_manifests, to_yaml
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.wait import WaitTimeoutError, condition, deleted, exists, field_equals
from kubetyped_kubernetes import AsyncClientset, Clientset
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.core_v1 import ConfigMap, Namespace, Service
from tests.cluster import ClusterInfo

MANAGER = "kubetyped-e2e"


def write_folder(folder: Path, namespace: str, group: str, replicas: int, greeting: str) -> None:
    """A deploy folder: Namespace, CRD (+ one custom resource), ConfigMap, Deployment, Service."""
    folder.mkdir(exist_ok=True)
    (folder / "00-namespace.yaml").write_text(
        f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespace}\n"
    )
    (folder / "10-crd.yaml").write_text(
        f"""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.{group}
spec:
  group: {group}
  scope: Namespaced
  names: {{plural: widgets, singular: widget, kind: Widget}}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {{type: integer}}
"""
    )
    (folder / "20-app.yaml").write_text(
        f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: {greeting}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: web
        image: example.test/web:1
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {{app: web}}
  ports:
  - port: 80
    targetPort: 8080
"""
    )
    (folder / "30-widget.json").write_text(
        f'{{"apiVersion": "{group}/v1", "kind": "Widget", '
        f'"metadata": {{"name": "w1"}}, "spec": {{"size": {replicas}}}}}'
    )


@pytest.fixture
def clients(full_cluster: ClusterInfo) -> Iterator[tuple[Clientset, DynamicClient]]:
    config = load_kubeconfig(full_cluster.kubeconfig_path, context="admin")
    with RESTClient.from_config(config) as rest, Clientset.from_config(config) as cs:
        yield cs, DynamicClient(rest)


def test_apply_a_folder_wait_reapply_delete(
    clients: tuple[Clientset, DynamicClient], tmp_path: Path
) -> None:
    cs, dynamic = clients
    namespace, group = f"app-{secrets.token_hex(4)}", f"t{secrets.token_hex(4)}.example.com"
    folder = tmp_path / "deploy"
    write_folder(folder, namespace, group, replicas=2, greeting="hello")

    objects = load_manifests(folder)
    kinds = [type(o).__name__ if not isinstance(o, dict) else o["kind"] for o in objects]
    assert kinds[:1] == ["Namespace"] and isinstance(objects[0], Namespace)
    assert [type(o) for o in objects[2:5]] == [ConfigMap, Deployment, Service]
    assert objects[5] == {
        "apiVersion": f"{group}/v1",
        "kind": "Widget",
        "metadata": {"name": "w1"},
        "spec": {"size": 2},
    }  # a kind without a generated model stays a dynamic object

    results = apply_manifests(dynamic, objects, field_manager=MANAGER, namespace=namespace)
    assert [r.error for r in results] == [None] * 6, [str(r) for r in results]
    assert [(r.kind, r.namespace) for r in results] == [
        ("Namespace", None),
        ("CustomResourceDefinition", None),
        ("ConfigMap", namespace),
        ("Deployment", namespace),
        ("Service", namespace),
        ("Widget", namespace),
    ]
    assert objects[2].metadata.namespace is None  # the caller's objects are not modified

    deployments = cs.apps_v1.deployments(namespace)
    available = deployments.wait_for("web", condition("Available"), timeout=120)
    assert isinstance(available, Deployment) and available.status.ready_replicas == 2
    widgets = dynamic.resource(group, "v1", "widgets").namespace(namespace)
    assert widgets.wait_for("w1", exists(), timeout=30)["spec"] == {"size": 2}

    # Re-apply a change: the same manager owns the fields, so no force is needed.
    write_folder(folder, namespace, group, replicas=3, greeting="changed")
    again = apply_manifests(
        dynamic, load_manifests(folder), field_manager=MANAGER, namespace=namespace
    )
    assert all(r.ok for r in again), [str(r) for r in again]
    assert cs.core_v1.config_maps(namespace).get("web-config").data == {"greeting": "changed"}
    scaled = deployments.wait_for("web", field_equals(".status.readyReplicas", 3), timeout=120)
    assert scaled.spec.replicas == 3
    assert widgets.get("w1")["spec"] == {"size": 3}

    # Another manager changing an owned field conflicts unless it forces.
    cm = [o for o in load_manifests(folder) if isinstance(o, ConfigMap)]
    cm[0].data = {"greeting": "theirs"}
    (conflict,) = apply_manifests(dynamic, cm, field_manager="other", namespace=namespace)
    assert isinstance(conflict.error, ConflictError)
    (forced,) = apply_manifests(dynamic, cm, field_manager="other", force=True, namespace=namespace)
    assert forced.ok and forced.object["data"] == {"greeting": "theirs"}

    deployments.delete("web", propagation_policy="Foreground")
    assert deployments.wait_for("web", deleted(), timeout=120) is None
    assert cs.core_v1.pods(namespace).list(label_selector="app=web").items == []
    widgets.delete("w1")
    assert widgets.wait_for("w1", deleted(), timeout=30) is None
    with pytest.raises(NotFoundError):
        widgets.get("w1")
    assert "kind: ConfigMap" in to_yaml(cm)


def test_dry_run_stores_nothing_and_wait_times_out(
    clients: tuple[Clientset, DynamicClient], full_namespace: str
) -> None:
    cs, dynamic = clients
    (config_map,) = load_manifests(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\ndata: {a: '1'}\n"
    )
    (result,) = apply_manifests(
        dynamic, [config_map], field_manager=MANAGER, namespace=full_namespace, dry_run=True
    )
    assert result.ok and result.object["data"] == {"a": "1"}
    maps = cs.core_v1.config_maps(full_namespace)
    with pytest.raises(NotFoundError):
        maps.get("dry")
    with pytest.raises(WaitTimeoutError) as caught:
        maps.wait_for("dry", exists(), timeout=2)
    assert caught.value.last is None and "did not hold within 2s" in str(caught.value)


async def test_async_apply_and_wait(full_cluster: ClusterInfo, full_namespace: str) -> None:
    config = load_kubeconfig(full_cluster.kubeconfig_path, context="admin")
    manifest = f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: api, namespace: {full_namespace}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec: {{containers: [{{name: api, image: example.test/api:1}}]}}
"""
    async with (
        AsyncRESTClient.from_config(config) as rest,
        AsyncClientset.from_config(config) as cs,
    ):
        (result,) = await async_apply_manifests(
            AsyncDynamicClient(rest), load_manifests(manifest), field_manager=MANAGER
        )
        assert result.ok and result.namespace == full_namespace
        deployments = cs.apps_v1.deployments(full_namespace)
        ready = await deployments.wait_for("api", condition("Available"), timeout=120)
        assert ready.status.available_replicas == 1
        await deployments.delete("api")
        assert await deployments.wait_for("api", deleted(), timeout=60) is None
