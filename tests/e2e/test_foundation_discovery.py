"""Discovery, OpenAPI v3 and the dynamic client (on a CRD installed here) against the real server."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from crd_support import CRD_PATH, wait_established

from kubetyped.discovery import (
    AsyncDiscoveryClient,
    DiscoveryClient,
    GroupVersionResource,
    NoKindMatchError,
)
from kubetyped.dynamic import AsyncDynamicClient, DynamicClient
from kubetyped.errors import NotFoundError
from kubetyped.request import PatchType
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.watch import EventType


def test_server_version_and_discovery(rest: RESTClient, tmp_path: Path) -> None:
    discovery = DiscoveryClient(rest, cache_dir=tmp_path)
    version = discovery.server_version()
    assert (version.major, version.minor, version.git_version) == ("1", "36", "v1.36.3")

    snapshot = discovery.discover()
    assert not snapshot.failed
    assert snapshot.groups[0].name == "" and snapshot.group("apps") is not None
    mapper = discovery.rest_mapper()
    assert mapper.resource_for("deploy") == GroupVersionResource("apps", "v1", "deployments")
    assert mapper.rest_mapping("PriorityClass.scheduling.k8s.io").namespaced is False
    assert (tmp_path / "servergroups.json").is_file()

    # A second client over the same cache directory answers from disk, identically.
    assert DiscoveryClient(rest, cache_dir=tmp_path).discover() == snapshot


def test_openapi_v3_document_of_a_group_version(rest: RESTClient) -> None:
    discovery = DiscoveryClient(rest, cache_dir=None)
    root = discovery.openapi_v3_root()
    assert "hash=" in root["apis/apps/v1"]
    document = discovery.openapi_v3("apps/v1")
    assert document["openapi"].startswith("3.")
    assert "io.k8s.api.apps.v1.Deployment" in document["components"]["schemas"]
    assert discovery.openapi_v3("apps/v1") is document  # hash-pinned: cached


async def test_async_discovery_matches_sync(async_rest: AsyncRESTClient, rest: RESTClient) -> None:
    async_snapshot = await AsyncDiscoveryClient(async_rest, cache_dir=None).discover()
    assert async_snapshot == DiscoveryClient(rest, cache_dir=None).discover()


@pytest.fixture
def widget_crd(rest: RESTClient) -> Iterator[str]:
    """A namespaced CRD `widgets.<random>.kubetyped.test` with a status subresource."""
    group = f"g{secrets.token_hex(4)}.kubetyped.test"
    name = f"widgets.{group}"
    schema = {
        "type": "object",
        "properties": {
            "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
            "status": {"type": "object", "properties": {"phase": {"type": "string"}}},
        },
    }
    rest.create(
        CRD_PATH,
        {
            "metadata": {"name": name},
            "spec": {
                "group": group,
                "scope": "Namespaced",
                "names": {
                    "plural": "widgets",
                    "singular": "widget",
                    "kind": "Widget",
                    "shortNames": ["wdg"],
                },
                "versions": [
                    {
                        "name": "v1",
                        "served": True,
                        "storage": True,
                        "schema": {"openAPIV3Schema": schema},
                        "subresources": {"status": {}},
                    }
                ],
            },
        },
    )
    wait_established(rest, name)
    try:
        yield group
    finally:
        rest.delete(f"{CRD_PATH}/{name}")


def test_dynamic_client_on_a_fresh_crd(rest: RESTClient, widget_crd: str, namespace: str) -> None:
    client = DynamicClient(rest, DiscoveryClient(rest, cache_dir=None))
    client.discovery.discover()  # cached before the CRD is served: lookup must rediscover
    deadline = time.monotonic() + 30
    while True:
        try:
            widgets = client.resource_for_kind(f"{widget_crd}/v1", "Widget").namespace(namespace)
            break
        except NoKindMatchError:  # discovery can lag Established for a moment
            assert time.monotonic() < deadline
            time.sleep(0.2)
    assert widgets.gvr == GroupVersionResource(widget_crd, "v1", "widgets")

    body: dict[str, Any] = {
        "apiVersion": f"{widget_crd}/v1",
        "kind": "Widget",
        "metadata": {"name": "w1"},
        "spec": {"size": 1},
    }
    created = widgets.create(body)
    start = created["metadata"]["resourceVersion"]
    assert widgets.get("w1")["spec"] == {"size": 1}

    created["spec"]["size"] = 2
    assert widgets.update(created)["spec"]["size"] == 2
    patched = widgets.patch(
        "w1", [{"op": "replace", "path": "/spec/size", "value": 3}], PatchType.JSON
    )
    assert patched["spec"]["size"] == 3

    patched["status"] = {"phase": "Ready"}
    with_status = widgets.update_status(patched)
    assert with_status["status"] == {"phase": "Ready"}

    applied = widgets.apply({**body, "spec": {"size": 5}}, field_manager="e2e", force=True)
    assert applied["spec"]["size"] == 5

    assert [w["metadata"]["name"] for w in widgets.list()["items"]] == ["w1"]
    by_short_name = client.resource_for(f"wdg.{widget_crd}").namespace(namespace)
    assert by_short_name.get("w1")["status"]["phase"] == "Ready"

    with widgets.watch(resource_version=start, timeout_seconds=5) as stream:
        types = [event.type for _, event in zip(range(4), stream, strict=False)]
    assert types == [EventType.MODIFIED] * 4

    widgets.delete("w1")
    with pytest.raises(NotFoundError):
        widgets.get("w1")


async def test_async_dynamic_client(async_rest: AsyncRESTClient, namespace: str) -> None:
    client = AsyncDynamicClient(async_rest, AsyncDiscoveryClient(async_rest, cache_dir=None))
    configmaps = (await client.resource_for("cm")).namespace(namespace)
    await configmaps.create({"metadata": {"name": "a"}, "data": {"k": "v"}})
    await configmaps.create({"metadata": {"name": "b"}})
    pages = [page async for page in configmaps.list_pages(page_size=1)]
    assert [p["items"][0]["metadata"]["name"] for p in pages] == ["a", "b"]
    await configmaps.delete_collection()
    assert (await configmaps.list())["items"] == []
