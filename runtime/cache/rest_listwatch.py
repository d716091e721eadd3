"""ListWatch adapters over ``kubetyped.rest`` clients for one collection path (plain dicts)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from kubetyped.cache.protocols import ListResult, WatchEventLike
from kubetyped.request import ListOptions
from kubetyped.rest import AsyncRESTClient, RESTClient

Obj = dict[str, Any]


def list_result(body: Obj) -> ListResult[Obj]:
    meta = body.get("metadata") or {}
    return ListResult(
        list(body.get("items") or []),
        str(meta.get("resourceVersion") or ""),
        meta.get("continue") or None,
    )


class RestListWatch:
    """List/watch ``path`` (e.g. ``/api/v1/namespaces/ns/configmaps``) with a ``RESTClient``."""

    def __init__(self, client: RESTClient, path: str) -> None:
        self.client = client
        self.path = path

    def list(self, options: ListOptions) -> ListResult[Obj]:
        return list_result(self.client.list(self.path, options))

    def watch(self, options: ListOptions) -> Iterator[WatchEventLike[Any]]:
        """ERROR events are yielded (the reflector classifies them); `close()` from another
        thread wakes the reading thread (see `kubetyped.rest.WatchStream`)."""
        return self.client.watch(self.path, options, raise_errors=False)


class AsyncRestListWatch:
    """The asyncio twin of ``RestListWatch``."""

    def __init__(self, client: AsyncRESTClient, path: str) -> None:
        self.client = client
        self.path = path

    async def list(self, options: ListOptions) -> ListResult[Obj]:
        return list_result(await self.client.list(self.path, options))

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEventLike[Any]]:
        return self.client.watch(self.path, options, raise_errors=False)
