"""The complete test cluster works: a Deployment rolls out to Available with its ReplicaSet and
Running pods on the kwok node; a foreground delete removes the pods (garbage collector)."""

# mypy: disable-error-code="union-attr, index, operator"

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from kubetyped.errors import NotFoundError
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models.apps_v1 import Deployment, DeploymentSpec
from kubetyped_kubernetes.models.core_v1 import Container, PodSpec, PodTemplateSpec
from kubetyped_kubernetes.models.meta_v1 import LabelSelector, ObjectMeta
from tests.cluster import ClusterInfo
from tests.cluster.nodes import NODE_NAME


@pytest.fixture
def cs(full_cluster: ClusterInfo) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(full_cluster.kubeconfig_path, context="admin") as clientset:
        yield clientset


def deployment(name: str, replicas: int) -> Deployment:
    labels = {"app": name}
    return Deployment(
        metadata=ObjectMeta(name=name),
        spec=DeploymentSpec(
            replicas=replicas,
            selector=LabelSelector(match_labels=labels),
            template=PodTemplateSpec(
                metadata=ObjectMeta(labels=labels),
                spec=PodSpec(containers=[Container(name="web", image="example.test/web:1")]),
            ),
        ),
    )


def until(client: object, predicate: Callable[[], bool], timeout: int = 120) -> None:
    """Re-checks `predicate` on every watch event of `client`'s collection until it holds."""
    if predicate():
        return
    for _ in client.watch(timeout_seconds=timeout):  # type: ignore[attr-defined]
        if predicate():
            return
    raise AssertionError(f"condition not met within {timeout}s")


def test_deployment_rolls_out_and_foreground_delete_collects_pods(
    cs: Clientset, full_namespace: str
) -> None:
    deployments = cs.apps_v1.deployments(full_namespace)
    pods = cs.core_v1.pods(full_namespace)
    created = deployments.create(deployment("web", 2))

    def available() -> bool:
        status = deployments.get("web").status
        conditions = {c.type: c.status for c in (status.conditions or [])} if status else {}
        return conditions.get("Available") == "True" and status.ready_replicas == 2

    until(deployments, available)

    (replica_set,) = cs.apps_v1.replica_sets(full_namespace).list(label_selector="app=web").items
    assert replica_set.metadata.owner_references[0].uid == created.metadata.uid
    running = pods.list(label_selector="app=web").items
    assert len(running) == 2
    for pod in running:
        assert pod.status.phase == "Running"
        assert pod.spec.node_name == NODE_NAME
        assert pod.metadata.owner_references[0].uid == replica_set.metadata.uid

    deployments.delete("web", propagation_policy="Foreground")

    def gone() -> bool:
        try:
            deployments.get("web")
        except NotFoundError:
            return not pods.list(label_selector="app=web").items
        return False

    until(deployments, gone)  # foreground: the Deployment goes last, after its pods
    assert not cs.apps_v1.replica_sets(full_namespace).list(label_selector="app=web").items
