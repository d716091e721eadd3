"""The scale client against the real apiserver: a Deployment and a CRD with a scale subresource."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from crd_support import CRD_PATH, wait_established

from kubetyped.discovery import AsyncDiscoveryClient, DiscoveryClient
from kubetyped.errors import ConflictError
from kubetyped.request import PatchType
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.scale import (
    AsyncScaleClient,
    GroupResource,
    NoScaleSubresourceError,
    ScaleClient,
)
from kubetyped_kubernetes.models.autoscaling_v1 import Scale

DEPLOYMENTS = GroupResource("apps", "deployments")


def deployment(name: str, replicas: int) -> dict[str, Any]:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "app", "image": "registry.invalid/app:1"}]},
            },
        },
    }


@pytest.fixture
def scalable_crd(rest: RESTClient) -> Iterator[str]:
    """A namespaced CRD `replicators.<random group>` with scale and status subresources."""
    group = f"s{secrets.token_hex(4)}.kubetyped.test"
    name = f"replicators.{group}"
    schema = {
        "type": "object",
        "properties": {
            "spec": {"type": "object", "properties": {"replicas": {"type": "integer"}}},
            "status": {"type": "object", "properties": {"replicas": {"type": "integer"}}},
        },
    }
    version = {
        "name": "v1",
        "served": True,
        "storage": True,
        "schema": {"openAPIV3Schema": schema},
        "subresources": {
            "status": {},
            "scale": {
                "specReplicasPath": ".spec.replicas",
                "statusReplicasPath": ".status.replicas",
            },
        },
    }
    rest.create(
        CRD_PATH,
        {
            "metadata": {"name": name},
            "spec": {
                "group": group,
                "scope": "Namespaced",
                "names": {"plural": "replicators", "singular": "replicator", "kind": "Replicator"},
                "versions": [version],
            },
        },
    )
    try:
        wait_established(rest, name)
        yield group
    finally:
        rest.delete(f"{CRD_PATH}/{name}")


def test_scale_a_deployment(rest: RESTClient, namespace: str) -> None:
    rest.create(f"/apis/apps/v1/namespaces/{namespace}/deployments", deployment("web", 1))
    scales = ScaleClient(rest, DiscoveryClient(rest, cache_dir=None)).scales(namespace)

    scale = scales.get(DEPLOYMENTS, "web")
    assert isinstance(scale, Scale)
    assert scale.kind == "Scale" and scale.api_version == "autoscaling/v1"
    assert scale.metadata is not None and scale.metadata.name == "web"
    assert scale.spec is not None and scale.spec.replicas == 1

    scale.spec.replicas = 3
    updated = scales.update(DEPLOYMENTS, scale)
    assert updated.spec is not None and updated.spec.replicas == 3
    assert (
        rest.get(f"/apis/apps/v1/namespaces/{namespace}/deployments/web")["spec"]["replicas"] == 3
    )

    # The stale resourceVersion of the first read makes a second update conflict.
    with pytest.raises(ConflictError):
        scales.update(DEPLOYMENTS, scale)

    patched = scales.patch("deployments.apps", "web", {"spec": {"replicas": 5}})
    assert patched.spec is not None and patched.spec.replicas == 5
    json_patched = scales.patch(
        DEPLOYMENTS,
        "web",
        [{"op": "replace", "path": "/spec/replicas", "value": 2}],
        PatchType.JSON,
    )
    assert json_patched.spec is not None and json_patched.spec.replicas == 2
    assert (
        rest.get(f"/apis/apps/v1/namespaces/{namespace}/deployments/web")["spec"]["replicas"] == 2
    )


def test_scale_a_custom_resource(rest: RESTClient, namespace: str, scalable_crd: str) -> None:
    group = scalable_crd
    discovery = DiscoveryClient(rest, cache_dir=None)
    discovery.discover()  # a snapshot from before the CR exists is fine: the CRD is already served
    base = f"/apis/{group}/v1/namespaces/{namespace}/replicators"
    rest.create(
        base,
        {
            "apiVersion": f"{group}/v1",
            "kind": "Replicator",
            "metadata": {"name": "r"},
            "spec": {"replicas": 2},
        },
    )
    rest.patch(f"{base}/r/status", {"status": {"replicas": 2}})
    scales = ScaleClient(rest, discovery).scales(namespace)
    resource = GroupResource(group, "replicators")

    scale = scales.get(resource, "r")
    assert scale.spec is not None and scale.spec.replicas == 2
    assert scale.status is not None and scale.status.replicas == 2

    scale.spec.replicas = 7
    scales.update(resource, scale)
    assert rest.get(f"{base}/r")["spec"]["replicas"] == 7
    scales.patch(resource, "r", {"spec": {"replicas": 4}})
    assert rest.get(f"{base}/r")["spec"]["replicas"] == 4


def test_resource_without_scale_is_a_typed_error(rest: RESTClient, namespace: str) -> None:
    scales = ScaleClient(rest, DiscoveryClient(rest, cache_dir=None)).scales(namespace)
    with pytest.raises(NoScaleSubresourceError, match="configmaps") as info:
        scales.get(GroupResource("", "configmaps"), "anything")
    assert info.value.resource == GroupResource("", "configmaps")


async def test_async_scale_a_deployment(
    rest: RESTClient, async_rest: AsyncRESTClient, namespace: str
) -> None:
    rest.create(f"/apis/apps/v1/namespaces/{namespace}/deployments", deployment("api", 2))
    client = AsyncScaleClient(async_rest, AsyncDiscoveryClient(async_rest, cache_dir=None))
    scales = client.scales(namespace)
    scale = await scales.get(DEPLOYMENTS, "api")
    assert scale.spec is not None and scale.spec.replicas == 2
    scale.spec.replicas = 4
    await scales.update(DEPLOYMENTS, scale)
    await scales.patch(DEPLOYMENTS, "api", {"spec": {"replicas": 6}})
    got = rest.get(f"/apis/apps/v1/namespaces/{namespace}/deployments/api")
    assert got["spec"]["replicas"] == 6


def test_resolution_prefers_the_first_version_serving_scale() -> None:
    """Pure resolution over a hand-made discovery snapshot (no cluster needed)."""
    from kubetyped.discovery import (
        APIGroup,
        APIResource,
        APISubresource,
        Discovery,
        GroupVersionResource,
        RESTMapper,
    )
    from kubetyped.scale import ScaleNamespaceError, resolve_scale_target

    scale = APISubresource("scale", "Scale", "autoscaling", "v1")

    def things(version: str, subresources: tuple[APISubresource, ...]) -> APIResource:
        return APIResource(
            "example.com",
            version,
            "things",
            "Thing",
            True,
            short_names=("th",),
            subresources=subresources,
        )

    nodes = APIResource("", "v1", "nodes", "Node", False, subresources=(scale,))
    discovery = Discovery(
        groups=(APIGroup("", ("v1",)), APIGroup("example.com", ("v2", "v1"))),
        resources={
            "example.com/v2": (things("v2", ()),),
            "example.com/v1": (things("v1", (scale,)),),
            "v1": (nodes,),
        },
    )
    target = resolve_scale_target(RESTMapper(discovery), "th.example.com")
    assert target.resource == GroupVersionResource("example.com", "v1", "things")
    scale_path = target.bind("ns").item("a", subresource="scale").path
    assert scale_path == "/apis/example.com/v1/namespaces/ns/things/a/scale"
    with pytest.raises(ScaleNamespaceError, match="namespaced"):
        target.bind(None).item("a", subresource="scale")
    cluster_scoped = resolve_scale_target(RESTMapper(discovery), GroupResource("", "nodes"))
    cluster_path = cluster_scoped.bind("ignored").item("n1", subresource="scale").path
    assert cluster_path == "/api/v1/nodes/n1/scale"
    only_v2 = Discovery(
        groups=(APIGroup("example.com", ("v2",)),),
        resources={"example.com/v2": (things("v2", ()),)},
    )
    with pytest.raises(NoScaleSubresourceError, match=r"things\.example\.com"):
        resolve_scale_target(RESTMapper(only_v2), GroupResource("example.com", "things"))
