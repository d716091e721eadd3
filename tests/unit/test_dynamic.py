"""DynamicClient addressing: which method and path each verb sends (fake server)."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from kubetyped.discovery import AsyncDiscoveryClient, DiscoveryClient
from kubetyped.dynamic import AsyncDynamicClient, DynamicClient, DynamicClientError
from kubetyped.request import PatchType
from kubetyped.rest import AsyncRESTClient, RESTClient
from tests.unit.test_discovery_client import FakeServer

BASE = "https://127.0.0.1:6443"


class Recorder:
    """Answers every non-discovery request with `{}` and records (method, path, content type)."""

    def __init__(self) -> None:
        self.discovery = FakeServer()
        self.seen: list[tuple[str, str, str | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/api", "/apis"):
            return self.discovery(request)
        self.seen.append(
            (request.method, request.url.raw_path.decode(), request.headers.get("content-type"))
        )
        return httpx.Response(200, content=orjson.dumps({"kind": "Status"}))


def make_client() -> tuple[DynamicClient, Recorder]:
    recorder = Recorder()
    http = httpx.Client(transport=httpx.MockTransport(recorder), base_url=BASE)
    rest = RESTClient(http_client=http)
    return DynamicClient(rest, DiscoveryClient(rest, cache_dir=None)), recorder


CM: dict[str, Any] = {"metadata": {"name": "cm1"}, "data": {"a": "1"}}


def test_namespaced_verbs_go_to_namespaced_paths() -> None:
    client, recorder = make_client()
    cms = client.resource("", "v1", "configmaps", namespaced=True).namespace("ns1")
    cms.create(CM)
    cms.get("cm1")
    cms.update(CM)
    cms.patch("cm1", {"data": {"b": "2"}})
    cms.patch("cm1", [{"op": "remove", "path": "/data/a"}], PatchType.JSON)
    cms.apply(CM, field_manager="me", force=True)
    cms.list(label_selector="a=b")
    cms.delete("cm1", grace_period_seconds=0)
    cms.delete_collection()
    base = "/api/v1/namespaces/ns1/configmaps"
    assert recorder.seen == [
        ("POST", base, "application/json"),
        ("GET", f"{base}/cm1", None),
        ("PUT", f"{base}/cm1", "application/json"),
        ("PATCH", f"{base}/cm1", "application/merge-patch+json"),
        ("PATCH", f"{base}/cm1", "application/json-patch+json"),
        ("PATCH", f"{base}/cm1?fieldManager=me&force=true", "application/apply-patch+yaml"),
        ("GET", f"{base}?labelSelector=a%3Db", None),
        ("DELETE", f"{base}/cm1", "application/json"),
        ("DELETE", base, "application/json"),  # a DeleteOptions body, as the typed client
    ]


def test_object_namespace_and_status_subresource() -> None:
    client, recorder = make_client()
    deployments = client.resource("apps", "v1", "deployments", namespaced=True)
    body = {"metadata": {"name": "d", "namespace": "ns2"}}
    deployments.create(body)
    deployments.update_status(body)
    deployments.list()  # unbound: all namespaces
    assert [path for _, path, _ in recorder.seen] == [
        "/apis/apps/v1/namespaces/ns2/deployments",
        "/apis/apps/v1/namespaces/ns2/deployments/d/status",
        "/apis/apps/v1/deployments",
    ]


def test_addressing_mistakes_raise_typed_errors() -> None:
    client, _ = make_client()
    with pytest.raises(DynamicClientError, match="cluster-scoped"):
        client.resource("", "v1", "nodes", namespaced=False).namespace("x")
    with pytest.raises(DynamicClientError, match="namespaced"):
        client.resource("", "v1", "configmaps", namespaced=True).get("cm1")
    with pytest.raises(DynamicClientError, match=r"no metadata\.name"):
        client.resource("", "v1", "configmaps", namespaced=True).namespace("a").update({})


def test_kind_and_partial_names_resolve_through_discovery() -> None:
    client, recorder = make_client()
    client.resource_for_kind("apps/v1", "Deployment").namespace("n").get("d")
    client.resource_for("pc").get("high")  # cluster-scoped PriorityClass
    assert [path for _, path, _ in recorder.seen] == [
        "/apis/apps/v1/namespaces/n/deployments/d",
        "/apis/scheduling.k8s.io/v1/priorityclasses/high",
    ]


async def test_async_client_addresses_like_the_sync_client() -> None:
    recorder = Recorder()
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder), base_url=BASE)
    rest = AsyncRESTClient(http_client=http)
    client = AsyncDynamicClient(rest, AsyncDiscoveryClient(rest, cache_dir=None))
    nodes = await client.resource_for_kind("v1", "Node")
    await nodes.get("n1")
    cms = client.resource("", "v1", "configmaps", namespaced=True).namespace("ns1")
    await cms.apply(CM, field_manager="me")
    assert [path for _, path, _ in recorder.seen] == [
        "/api/v1/nodes/n1",
        "/api/v1/namespaces/ns1/configmaps/cm1?fieldManager=me",
    ]
