"""The asyncio ListWatch: the protocol an informer lists and watches through, and its one
implementation over the request core (`kubetyped.resource`), for every informer family."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Generic, Protocol, TypeVar

from kubetyped.cache.protocols import ListResult, TweakListOptions
from kubetyped.request import ListOptions
from kubetyped.resource import AsyncResourceClient
from kubetyped.watch import WatchEvent

__all__ = ["AsyncListWatch", "AsyncResourceListWatch"]

T = TypeVar("T")


class AsyncListWatch(Protocol[T]):
    """List and watch of one resource (already scoped by namespace and selectors; client-go
    ``cache.ListerWatcher``). ``watch`` raises an ERROR event's typed ``ApiError``."""

    async def list(self, options: ListOptions) -> ListResult[T]:
        """One page (or the whole list) of the resource."""
        ...

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEvent[Any]]:
        """The events after ``options.resource_version``."""
        ...


class AsyncResourceListWatch(Generic[T]):
    """Lists and watches the resource of ``client`` (bound to a namespace or none) for an
    informer, objects as its codec keeps them for caches (typed models and metadata as JSON
    until read, dicts for the dynamic codec); ``tweak`` edits every request's options (client-go
    ``cache.NewFilteredListWatchFromClient`` with ``tweakListOptions``)."""

    def __init__(
        self, client: AsyncResourceClient[T], tweak: TweakListOptions | None = None
    ) -> None:
        self.client = client
        self.tweak = tweak

    def _options(self, options: ListOptions) -> ListOptions:
        return options if self.tweak is None else self.tweak(options)

    async def list(self, options: ListOptions) -> ListResult[T]:
        """One list call (``options``: selectors, limit, continue, resourceVersion)."""
        items, meta = await self.client.list_for_cache(self._options(options))
        return ListResult(
            items, str(meta.get("resourceVersion") or ""), meta.get("continue") or None
        )

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEvent[Any]]:
        """The watch from ``options.resource_version``: BOOKMARKs as requested (a reflector
        asks for them), an ERROR event raises its typed ``ApiError`` (410 → ``ExpiredError``),
        which the reflector answers with a relist; ``close()`` ends it."""
        return self.client.watch_for_cache(self._options(options))
