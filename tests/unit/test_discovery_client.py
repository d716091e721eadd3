"""DiscoveryClient / AsyncDiscoveryClient against a fake server replaying recorded documents."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from kubetyped.discovery import (
    AsyncDiscoveryClient,
    DiscoveryClient,
    DiscoveryError,
    discovery_cache_dir,
)
from kubetyped.rest import AsyncRESTClient, RESTClient
from tests.unit.discovery_fixtures import aggregated_snapshot, document, legacy_resource_lists

AGGREGATED_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


class FakeServer:
    """Serves /api, /apis (aggregated when asked and `aggregated`), resource lists and OpenAPI."""

    def __init__(self, *, aggregated: bool = True, broken: frozenset[str] = frozenset()) -> None:
        self.aggregated = aggregated
        self.broken = broken
        self.hits: Counter[str] = Counter()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.hits[request.url.raw_path.decode()] += 1
        wants_aggregated = "as=APIGroupDiscoveryList" in request.headers.get("accept", "")
        if path in ("/api", "/apis"):
            if self.aggregated and wants_aggregated:
                name = "aggregated_api.json" if path == "/api" else "aggregated_apis.json"
                return self._json(document(name), AGGREGATED_TYPE)
            return self._json(document("legacy_api.json" if path == "/api" else "legacy_apis.json"))
        gv = path.removeprefix("/api/").removeprefix("/apis/")
        if gv in self.broken:
            return self._json(
                {"kind": "Status", "code": 503, "reason": "ServiceUnavailable"}, status=503
            )
        if gv in legacy_resource_lists():
            return self._json(legacy_resource_lists()[gv])
        if path == "/version":
            return self._json({"major": "1", "minor": "36", "gitVersion": "v1.36.3"})
        if path == "/openapi/v3":
            url = "/openapi/v3/apis/apps/v1?hash=ABC"
            return self._json({"paths": {"apis/apps/v1": {"serverRelativeURL": url}}})
        if path == "/openapi/v3/apis/apps/v1" and request.url.params.get("hash") == "ABC":
            return self._json({"openapi": "3.0.0", "components": {"schemas": {"x": {}}}})
        return self._json({"kind": "Status", "code": 404, "reason": "NotFound"}, status=404)

    @staticmethod
    def _json(
        body: Any, content_type: str = "application/json", status: int = 200
    ) -> httpx.Response:
        return httpx.Response(
            status, content=orjson.dumps(body), headers={"content-type": content_type}
        )


def sync_client(server: FakeServer, cache_dir: Path | None) -> DiscoveryClient:
    http = httpx.Client(transport=httpx.MockTransport(server), base_url="https://127.0.0.1:6443")
    return DiscoveryClient(RESTClient(http_client=http), cache_dir=cache_dir)


def async_client(server: FakeServer, cache_dir: Path | None) -> AsyncDiscoveryClient:
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(server), base_url="https://127.0.0.1:6443"
    )
    return AsyncDiscoveryClient(AsyncRESTClient(http_client=http), cache_dir=cache_dir)


def test_aggregated_discovery_takes_two_requests_and_is_cached_in_memory() -> None:
    server = FakeServer()
    client = sync_client(server, None)
    assert client.discover() == aggregated_snapshot()
    client.discover()
    client.server_resources("apps", "v1")
    assert server.hits == Counter({"/api": 1, "/apis": 1})


def test_legacy_servers_are_discovered_per_group_version() -> None:
    server = FakeServer(aggregated=False)
    snapshot = sync_client(server, None).discover()
    assert snapshot.groups == aggregated_snapshot().groups
    assert server.hits["/apis/apps/v1"] == 1 and server.hits["/api/v1"] == 1
    deployments = {r.name for r in snapshot.resources["apps/v1"]}
    assert "deployments" in deployments


async def test_async_client_matches_the_sync_client() -> None:
    for aggregated in (True, False):
        server = FakeServer(aggregated=aggregated)
        client = async_client(server, None)
        assert (await client.discover()).resources == sync_client(
            FakeServer(), None
        ).discover().resources
        assert (await client.server_version()).git_version == "v1.36.3"
        mapper = await client.rest_mapper()
        assert mapper.resource_for("deploy").resource == "deployments"


def test_failed_group_versions_are_reported_and_not_cached(tmp_path: Path) -> None:
    server = FakeServer(aggregated=False, broken=frozenset({"batch/v1"}))
    client = sync_client(server, tmp_path)
    snapshot = client.discover()
    assert "batch/v1" in snapshot.failed and "503" in snapshot.failed["batch/v1"]
    with pytest.raises(DiscoveryError, match=r"batch/v1.*503"):
        client.server_resources("batch", "v1")
    assert not (tmp_path / "servergroups.json").exists()


def test_disk_cache_is_used_until_the_ttl_then_refreshed(tmp_path: Path) -> None:
    first = FakeServer()
    sync_client(first, tmp_path).discover()
    assert (tmp_path / "servergroups.json").is_file()
    assert (tmp_path / "apps" / "v1" / "serverresources.json").is_file()
    assert (tmp_path / "v1" / "serverresources.json").is_file()

    second = FakeServer()
    assert sync_client(second, tmp_path).discover() == aggregated_snapshot()
    assert sum(second.hits.values()) == 0

    old = time.time() - 7 * 3600  # older than the 6 h TTL
    os.utime(tmp_path / "servergroups.json", (old, old))
    third = FakeServer()
    sync_client(third, tmp_path).discover()
    assert third.hits["/apis"] == 1


def test_invalidate_refetches(tmp_path: Path) -> None:
    server = FakeServer()
    client = sync_client(server, tmp_path)
    client.discover()
    client.invalidate()
    client.discover()
    assert server.hits["/apis"] == 2


def test_cache_dir_is_kubectls() -> None:
    root = Path("/home/u/.kube/cache")
    assert (
        discovery_cache_dir("https://127.0.0.1:6443", root) == root / "discovery" / "127.0.0.1_6443"
    )
    assert discovery_cache_dir("https://k8s.example.com/prefix", root) == (
        root / "discovery" / "k8s.example.com" / "prefix"
    )


def test_openapi_v3_follows_the_hash_pinned_url_and_caches_it() -> None:
    server = FakeServer()
    client = sync_client(server, None)
    assert client.openapi_v3("apps/v1")["components"]["schemas"] == {"x": {}}
    client.openapi_v3("apis/apps/v1")
    assert server.hits["/openapi/v3/apis/apps/v1?hash=ABC"] == 1
    assert server.hits["/openapi/v3"] == 1
    with pytest.raises(DiscoveryError, match="no OpenAPI v3 document for 'batch/v1'"):
        client.openapi_v3("batch/v1")
