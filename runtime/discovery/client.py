"""`DiscoveryClient` / `AsyncDiscoveryClient`: thin I/O drivers over the sans-IO plan and parsers.

Both keep a memory cache (the snapshot, the OpenAPI v3 root, hash-pinned OpenAPI v3 documents)
and, unless `cache_dir=None`, kubectl's disk cache of discovery with a 6 h TTL.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Final

import httpx

from kubetyped.discovery.cache import DEFAULT_TTL, DiskCache, discovery_cache_dir
from kubetyped.discovery.errors import DiscoveryDocumentError, DiscoveryError
from kubetyped.discovery.mapper import RESTMapper
from kubetyped.discovery.model import APIGroup, APIResource, Discovery, ServerVersion, group_version
from kubetyped.discovery.parse import openapi_v3_key, parse_openapi_v3_root, parse_version
from kubetyped.discovery.plan import Outcome, discovery_plan, get, json_document, run_sync
from kubetyped.errors import ApiError
from kubetyped.rest import AsyncRESTClient, RESTClient

#: Pass as `cache_dir` to use kubectl's location for the REST client's server (the default).
DEFAULT_CACHE: Final = Path("~kubectl-default")


class _DiscoveryState:
    """Caches and pure helpers shared by the sync and async clients."""

    def __init__(self, server: str, cache_dir: Path | None, ttl: float) -> None:
        if cache_dir is DEFAULT_CACHE:
            cache_dir = discovery_cache_dir(server)
        self.disk = DiskCache(cache_dir, ttl) if cache_dir is not None else None
        self.snapshot: Discovery | None = None
        self.openapi_root: dict[str, str] | None = None
        self.openapi_documents: dict[str, dict[str, Any]] = {}
        self.openapi_v2: dict[str, Any] | None = None

    def cached(self, refresh: bool) -> Discovery | None:
        if refresh:
            return None
        if self.snapshot is None and self.disk is not None:
            self.snapshot = self.disk.load()
        return self.snapshot

    def remember(self, snapshot: Discovery) -> Discovery:
        self.snapshot = snapshot
        if self.disk is not None and not snapshot.failed:
            self.disk.store(snapshot)
        return snapshot

    def invalidate(self) -> None:
        self.snapshot = None
        self.openapi_root = None
        self.openapi_v2 = None
        if self.disk is not None:
            self.disk.clear()

    def openapi_url(self, gv: str) -> str:
        assert self.openapi_root is not None
        key = openapi_v3_key(gv)
        try:
            return self.openapi_root[key]
        except KeyError:
            raise DiscoveryError(
                f"the server publishes no OpenAPI v3 document for {gv!r} (looked for {key!r})"
            ) from None


def _resources_of(snapshot: Discovery, gv: str) -> tuple[APIResource, ...]:
    try:
        return snapshot.resources[gv]
    except KeyError:
        reason = snapshot.failed.get(gv)
        detail = f": {reason}" if reason else ""
        raise DiscoveryError(f"no resources discovered for {gv!r}{detail}") from None


def _server(rest: RESTClient | AsyncRESTClient) -> str:
    return str(rest.http_client.base_url).rstrip("/")


def _object(document: Any, source: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise DiscoveryDocumentError(source, "expected a JSON object")
    return document


class DiscoveryClient:
    """What the server serves: version, groups, resources, OpenAPI; cached in memory and on disk."""

    def __init__(
        self, rest: RESTClient, *, cache_dir: Path | None = DEFAULT_CACHE, ttl: float = DEFAULT_TTL
    ) -> None:
        self.rest = rest
        self._state = _DiscoveryState(_server(rest), cache_dir, ttl)

    def _document(self, path: str) -> dict[str, Any]:
        return _object(json_document(self.rest.send(get(path)), path), path)

    def server_version(self) -> ServerVersion:
        return parse_version(self._document("/version"))

    def discover(self, *, refresh: bool = False) -> Discovery:
        """The discovery snapshot, from the memory or disk cache unless `refresh`."""
        snapshot = self._state.cached(refresh)
        if snapshot is None:
            snapshot = self._state.remember(run_sync(discovery_plan(), self.rest.send))
        return snapshot

    def server_groups(self) -> tuple[APIGroup, ...]:
        return self.discover().groups

    def server_resources(self, group: str, version: str) -> tuple[APIResource, ...]:
        return _resources_of(self.discover(), group_version(group, version))

    def rest_mapper(self, *, refresh: bool = False) -> RESTMapper:
        return RESTMapper(self.discover(refresh=refresh))

    def invalidate(self) -> None:
        """Forget everything cached; the next call fetches again (and rewrites the disk cache)."""
        self._state.invalidate()

    def openapi_v2(self) -> dict[str, Any]:
        if self._state.openapi_v2 is None:
            self._state.openapi_v2 = self._document("/openapi/v2")
        return self._state.openapi_v2

    def openapi_v3_root(self) -> dict[str, str]:
        """Group version path (`api/v1`, `apis/apps/v1`) → hash-pinned server-relative URL."""
        if self._state.openapi_root is None:
            self._state.openapi_root = parse_openapi_v3_root(self._document("/openapi/v3"))
        return self._state.openapi_root

    def openapi_v3(self, gv: str) -> dict[str, Any]:
        """The OpenAPI v3 document of a group version (`v1`, `apps/v1`, `apis/apps/v1`)."""
        self.openapi_v3_root()
        url = self._state.openapi_url(gv)
        document = self._state.openapi_documents.get(url)
        if document is None:
            document = self._state.openapi_documents[url] = self._document(url)
        return document


class AsyncDiscoveryClient:
    """`DiscoveryClient` for asyncio; legacy per-group-version documents are fetched concurrently."""

    def __init__(
        self,
        rest: AsyncRESTClient,
        *,
        cache_dir: Path | None = DEFAULT_CACHE,
        ttl: float = DEFAULT_TTL,
    ) -> None:
        self.rest = rest
        self._state = _DiscoveryState(_server(rest), cache_dir, ttl)
        self._lock = asyncio.Lock()

    async def _document(self, path: str) -> dict[str, Any]:
        return _object(json_document(await self.rest.send(get(path)), path), path)

    async def _outcome(self, request: httpx.Request) -> Outcome:
        try:
            return await self.rest.send(request)
        except ApiError as error:
            return error

    async def server_version(self) -> ServerVersion:
        return parse_version(await self._document("/version"))

    async def discover(self, *, refresh: bool = False) -> Discovery:
        async with self._lock:  # one fetch at a time; later callers get the cached result
            snapshot = self._state.cached(refresh)
            if snapshot is None:
                plan = discovery_plan()
                try:
                    batch = next(plan)
                    while True:
                        outcomes = await asyncio.gather(*(self._outcome(r) for r in batch))
                        batch = plan.send(list(outcomes))
                except StopIteration as stop:
                    snapshot = self._state.remember(stop.value)
            return snapshot

    async def server_groups(self) -> tuple[APIGroup, ...]:
        return (await self.discover()).groups

    async def server_resources(self, group: str, version: str) -> tuple[APIResource, ...]:
        return _resources_of(await self.discover(), group_version(group, version))

    async def rest_mapper(self, *, refresh: bool = False) -> RESTMapper:
        return RESTMapper(await self.discover(refresh=refresh))

    def invalidate(self) -> None:
        self._state.invalidate()

    async def openapi_v2(self) -> dict[str, Any]:
        if self._state.openapi_v2 is None:
            self._state.openapi_v2 = await self._document("/openapi/v2")
        return self._state.openapi_v2

    async def openapi_v3_root(self) -> dict[str, str]:
        if self._state.openapi_root is None:
            self._state.openapi_root = parse_openapi_v3_root(await self._document("/openapi/v3"))
        return self._state.openapi_root

    async def openapi_v3(self, gv: str) -> dict[str, Any]:
        await self.openapi_v3_root()
        url = self._state.openapi_url(gv)
        document = self._state.openapi_documents.get(url)
        if document is None:
            document = self._state.openapi_documents[url] = await self._document(url)
        return document
