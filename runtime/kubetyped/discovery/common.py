"""Caches and pure helpers shared by `DiscoveryClient` and `AsyncDiscoveryClient`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from kubetyped.discovery.cache import DiskCache, discovery_cache_dir
from kubetyped.discovery.errors import DiscoveryDocumentError, DiscoveryError
from kubetyped.discovery.model import APIResource, Discovery
from kubetyped.discovery.parse import openapi_v3_key
from kubetyped.rest import AsyncRESTClient, RESTClient

__all__ = ["DEFAULT_CACHE"]

#: Pass as `cache_dir` to use kubectl's location for the REST client's server (the default).
DEFAULT_CACHE: Final = Path("~kubectl-default")


class DiscoveryState:
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
        """The discovery snapshot to reuse: the in-memory one, else the disk cache's when still within
        its TTL; None when `refresh` is asked for or nothing is cached.
        """
        if refresh:
            return None
        if self.snapshot is None and self.disk is not None:
            self.snapshot = self.disk.load()
        return self.snapshot

    def remember(self, snapshot: Discovery) -> Discovery:
        """Keep `snapshot` in memory and, when every group-version was discovered (no `failed`
        entries), on disk; returns it.
        """
        self.snapshot = snapshot
        if self.disk is not None and not snapshot.failed:
            self.disk.store(snapshot)
        return snapshot

    def invalidate(self) -> None:
        """Forget the snapshot, the OpenAPI roots and the disk cache, as client-go's
        `CachedDiscoveryClient.Invalidate` does.
        """
        self.snapshot = None
        self.openapi_root = None
        self.openapi_v2 = None
        if self.disk is not None:
            self.disk.clear()

    def openapi_url(self, gv: str) -> str:
        """The URL (with its `?hash=`) of the OpenAPI v3 document of `gv` from the `/openapi/v3` root;
        `DiscoveryError` when the server publishes none for it. Needs the root loaded first.
        """
        assert self.openapi_root is not None
        key = openapi_v3_key(gv)
        try:
            return self.openapi_root[key]
        except KeyError:
            raise DiscoveryError(
                f"the server publishes no OpenAPI v3 document for {gv!r} (looked for {key!r})"
            ) from None


def resources_of(snapshot: Discovery, gv: str) -> tuple[APIResource, ...]:
    """The resources discovered for `gv` (`"apps/v1"`, `"v1"`); `DiscoveryError` naming the discovery
    failure when the group-version was not discovered.
    """
    try:
        return snapshot.resources[gv]
    except KeyError:
        reason = snapshot.failed.get(gv)
        detail = f": {reason}" if reason else ""
        raise DiscoveryError(f"no resources discovered for {gv!r}{detail}") from None


def server_of(rest: RESTClient | AsyncRESTClient) -> str:
    """The REST client's base URL without a trailing slash: the key of its disk cache."""
    return str(rest.http_client.base_url).rstrip("/")


def json_object(document: Any, source: str) -> dict[str, Any]:
    """`document` if it is a JSON object, else `DiscoveryDocumentError` naming `source`."""
    if not isinstance(document, dict):
        raise DiscoveryDocumentError(source, "expected a JSON object")
    return document
