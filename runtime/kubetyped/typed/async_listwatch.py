"""`AsyncTypedListWatch`: lists and watches one typed resource for an informer, through the
cache's REST adapter, decoding into (lazy) models."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Generic, Self, TypeVar

from kubetyped.cache.protocols import ListOptions, ListResult, WatchEvent
from kubetyped.concurrency import async_close_quietly
from kubetyped.rest import AsyncRESTClient
from kubetyped.typed.listwatch_decoding import Decoding
from kubetyped.typed.resource import ResourceInfo

__all__: list[str] = []

T = TypeVar("T")


class _AsyncTypedEvents:
    """A watch stream of models that closes the stream under it."""

    def __init__(self, inner: AsyncIterator[WatchEvent[Any]], decoding: Decoding[Any]) -> None:
        self._inner = inner
        self._decoding = decoding

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> WatchEvent[Any]:
        return self._decoding.event(await anext(self._inner))

    async def aclose(self) -> None:
        await async_close_quietly(self._inner)


class AsyncTypedListWatch(Generic[T]):
    """Lists and watches one typed resource (``info``) in ``namespace`` (None: all or
    cluster-scoped) through a REST client, for informers."""

    def __init__(
        self, rest: AsyncRESTClient, info: ResourceInfo, namespace: str | None = None
    ) -> None:
        self._decoding: Decoding[T] = Decoding(info, namespace)
        self._rest = rest

    async def list(self, options: ListOptions) -> ListResult[T]:
        """One list call, items kept unparsed until read."""
        return self._decoding.result(await self._rest.list_bytes(self._decoding.path, options))

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEvent[Any]]:
        """Typed events, objects kept unparsed until read; an ERROR event raises its typed
        ``ApiError``; ``close()`` ends the stream."""
        stream = self._rest.watch(self._decoding.path, options, unparsed=True)
        return _AsyncTypedEvents(stream, self._decoding)
