"""The status and scale subresources of a Deployment through the typed clients."""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kubetyped.request import PatchType
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.autoscaling_v1 import Scale


@pytest.fixture
def cs(kubeconfig_path: Path) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


def deployment(name: str, replicas: int = 1) -> Deployment:
    labels = {"app": name}
    return Deployment.model_validate(
        {
            "metadata": {"name": name},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
                },
            },
        }
    )


def test_status_subresource(cs: Clientset, namespace: str) -> None:
    deployments = cs.apps_v1.deployments(namespace)
    created = deployments.create(deployment("web"))
    assert created.status is None or not created.status.replicas

    current = deployments.get("web")
    current.status = Deployment.model_validate(
        {"status": {"replicas": 1, "readyReplicas": 1, "observedGeneration": 1}}
    ).status
    current.spec.replicas = 7  # ignored by the status endpoint
    updated = deployments.update_status(current)
    assert updated.status.replicas == 1
    assert updated.status.ready_replicas == 1
    assert updated.spec.replicas == 1

    from_status = deployments.get_status("web")
    assert from_status.status.ready_replicas == 1

    patched = deployments.patch_status("web", {"status": {"readyReplicas": 0}}, PatchType.MERGE)
    assert patched.status.ready_replicas is None  # 0 is omitted on the wire
    assert deployments.get("web").status.replicas == 1


def test_scale_subresource(cs: Clientset, namespace: str) -> None:
    deployments = cs.apps_v1.deployments(namespace)
    deployments.create(deployment("scaled", replicas=2))

    scale = deployments.get_scale("scaled")
    assert isinstance(scale, Scale)
    assert scale.spec.replicas == 2
    assert scale.metadata.name == "scaled"

    scale.spec.replicas = 3
    updated = deployments.update_scale("scaled", scale)
    assert isinstance(updated, Scale)
    assert updated.spec.replicas == 3
    assert deployments.get("scaled").spec.replicas == 3

    patched = deployments.patch_scale("scaled", {"spec": {"replicas": 5}}, PatchType.MERGE)
    assert patched.spec.replicas == 5
    assert deployments.get("scaled").spec.replicas == 5

    json_patched = deployments.patch_scale(
        "scaled", [{"op": "replace", "path": "/spec/replicas", "value": 0}], PatchType.JSON
    )
    assert json_patched.spec.replicas is None  # 0 is omitted on the wire
    assert deployments.get("scaled").spec.replicas == 0
