"""The asyncio ListWatch: the protocol an informer lists and watches through, a wrapper that
tweaks the options, and the adapter over a REST client for one collection path (plain dicts)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from kubetyped.cache.protocols import ListResult, TweakListOptions, list_result
from kubetyped.request import ListOptions
from kubetyped.rest import AsyncRESTClient
from kubetyped.watch import WatchEvent

__all__ = ["AsyncListWatch", "AsyncTweakedListWatch"]

T = TypeVar("T")
Obj = dict[str, Any]


class AsyncListWatch(Protocol[T]):
    """List and watch of one resource (already scoped by namespace and selectors; client-go
    ``cache.ListerWatcher``). ``watch`` raises an ERROR event's typed ``ApiError``."""

    async def list(self, options: ListOptions) -> ListResult[T]:
        """One page (or the whole list) of the resource."""
        ...

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEvent[Any]]:
        """The events after ``options.resource_version``."""
        ...


@dataclass(frozen=True, slots=True)
class AsyncTweakedListWatch(Generic[T]):
    """A ListWatch whose options pass through ``tweak`` (e.g. to add a label selector)."""

    inner: AsyncListWatch[T]
    tweak: TweakListOptions = field(default=lambda o: o)

    async def list(self, options: ListOptions) -> ListResult[T]:
        """The inner list, with the tweaked options."""
        return await self.inner.list(self.tweak(options))

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEvent[Any]]:
        """The inner watch, with the tweaked options."""
        return self.inner.watch(self.tweak(options))


class AsyncRestListWatch:
    """List/watch ``path`` (e.g. ``/api/v1/namespaces/ns/configmaps``) with a REST client."""

    def __init__(self, client: AsyncRESTClient, path: str) -> None:
        self.client = client
        self.path = path

    async def list(self, options: ListOptions) -> ListResult[Obj]:
        """One list call."""
        return list_result(await self.client.list(self.path, options))

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEvent[Any]]:
        """The watch stream: an ERROR event raises its typed ``ApiError`` (410 →
        ``ExpiredError``), which the reflector answers with a relist; ``close()`` ends it."""
        return self.client.watch(self.path, options)
