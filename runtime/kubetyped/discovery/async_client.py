"""`AsyncDiscoveryClient`: a thin I/O driver over the sans-IO discovery plan and parsers.

It keeps a memory cache (the snapshot, the OpenAPI v3 root, hash-pinned OpenAPI v3 documents)
and, unless `cache_dir=None`, kubectl's disk cache of discovery with a 6 h TTL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from kubetyped.concurrency import AsyncLock, async_gather_each
from kubetyped.discovery.cache import DEFAULT_TTL
from kubetyped.discovery.common import (
    DEFAULT_CACHE,
    DiscoveryState,
    json_object,
    resources_of,
    server_of,
)
from kubetyped.discovery.mapper import RESTMapper
from kubetyped.discovery.model import APIGroup, APIResource, Discovery, ServerVersion, group_version
from kubetyped.discovery.parse import parse_openapi_v3_root, parse_version
from kubetyped.discovery.plan import Outcome, discovery_plan, get, json_document
from kubetyped.errors import ApiError
from kubetyped.rest import AsyncRESTClient

__all__ = ["AsyncDiscoveryClient"]


class AsyncDiscoveryClient:
    """What the server serves: version, groups, resources, OpenAPI; cached in memory and on disk.

    Legacy per-group-version documents are fetched concurrently.
    """

    def __init__(
        self,
        rest: AsyncRESTClient,
        *,
        cache_dir: Path | None = DEFAULT_CACHE,
        ttl: float = DEFAULT_TTL,
    ) -> None:
        self.rest = rest
        self._state = DiscoveryState(server_of(rest), cache_dir, ttl)
        self._lock = AsyncLock()

    async def _document(self, path: str) -> dict[str, Any]:
        return json_object(json_document(await self.rest.send(get(path)), path), path)

    async def _outcome(self, request: httpx.Request) -> Outcome:
        try:
            return await self.rest.send(request)
        except ApiError as error:
            return error

    async def server_version(self) -> ServerVersion:
        """The server's `/version` (client-go `ServerVersion`)."""
        return parse_version(await self._document("/version"))

    async def discover(self, *, refresh: bool = False) -> Discovery:
        """The discovery snapshot, from the memory or disk cache unless `refresh`."""
        async with self._lock:  # one fetch at a time; later callers get the cached result
            snapshot = self._state.cached(refresh)
            if snapshot is None:
                plan = discovery_plan()
                try:
                    batch = next(plan)
                    while True:
                        outcomes = await async_gather_each(self._outcome, batch)
                        batch = plan.send(list(outcomes))
                except StopIteration as stop:
                    snapshot = self._state.remember(stop.value)
            return snapshot

    async def server_groups(self) -> tuple[APIGroup, ...]:
        """Every API group with its versions (from the cached discovery snapshot)."""
        return (await self.discover()).groups

    async def server_resources(self, group: str, version: str) -> tuple[APIResource, ...]:
        """The resources of `group`/`version`; raises `DiscoveryError` when none was discovered."""
        return resources_of(await self.discover(), group_version(group, version))

    async def rest_mapper(self, *, refresh: bool = False) -> RESTMapper:
        """A `RESTMapper` over the discovery snapshot (`refresh` fetches it again first)."""
        return RESTMapper(await self.discover(refresh=refresh))

    def invalidate(self) -> None:
        """Forget everything cached; the next call fetches again (and rewrites the disk cache)."""
        self._state.invalidate()

    async def openapi_v2(self) -> dict[str, Any]:
        """The server's OpenAPI v2 document (`/openapi/v2`), cached in memory."""
        if self._state.openapi_v2 is None:
            self._state.openapi_v2 = await self._document("/openapi/v2")
        return self._state.openapi_v2

    async def openapi_v3_root(self) -> dict[str, str]:
        """Group version path (`api/v1`, `apis/apps/v1`) → hash-pinned server-relative URL."""
        if self._state.openapi_root is None:
            self._state.openapi_root = parse_openapi_v3_root(await self._document("/openapi/v3"))
        return self._state.openapi_root

    async def openapi_v3(self, gv: str) -> dict[str, Any]:
        """The OpenAPI v3 document of a group version (`v1`, `apps/v1`, `apis/apps/v1`)."""
        await self.openapi_v3_root()
        url = self._state.openapi_url(gv)
        document = self._state.openapi_documents.get(url)
        if document is None:
            document = self._state.openapi_documents[url] = await self._document(url)
        return document
