"""Typed ListWatch adapters for informers: the cache's REST adapters, decoding into models."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, Generic, TypeVar

from kubetyped.cache.protocols import ListOptions, ListResult, WatchEvent, WatchEventLike
from kubetyped.cache.rest_listwatch import AsyncRestListWatch, RestListWatch
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.typed.operations import ResourceOperations
from kubetyped.typed.resource import ALL_NAMESPACES, ResourceInfo

T = TypeVar("T")
_ERROR = "ERROR"


class _Decoding(Generic[T]):
    """Turns the plain-dict results of the REST adapters into (lazily decoded) models."""

    def __init__(self, info: ResourceInfo, namespace: str | None) -> None:
        scope = (namespace or ALL_NAMESPACES) if info.namespaced else None
        self.path = ResourceOperations(info, scope).collection().path
        self._info = info

    def result(self, page: ListResult[dict[str, Any]]) -> ListResult[T]:
        from_raw = self._info.model_class().from_raw
        return ListResult(
            [from_raw(item) for item in page.items], page.resource_version, page.continue_token
        )

    def event(self, event: WatchEventLike[Any]) -> WatchEvent[Any]:
        if event.type == _ERROR or not isinstance(event.object, dict):
            return WatchEvent(str(event.type), event.object)
        return WatchEvent(str(event.type), self._info.model_class().from_raw(event.object))


class _TypedEvents:
    """A watch stream of models that can still be closed from another thread."""

    def __init__(self, inner: Iterator[WatchEventLike[Any]], decoding: _Decoding[Any]) -> None:
        self._inner = inner
        self._decoding = decoding

    def __iter__(self) -> _TypedEvents:
        return self

    def __next__(self) -> WatchEvent[Any]:
        return self._decoding.event(next(self._inner))

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


class TypedListWatch(Generic[T]):
    """Lists and watches one typed resource through a `RESTClient`, for informers."""

    def __init__(self, rest: RESTClient, info: ResourceInfo, namespace: str | None = None) -> None:
        self._decoding: _Decoding[T] = _Decoding(info, namespace)
        self._inner = RestListWatch(rest, self._decoding.path)

    def list(self, options: ListOptions) -> ListResult[T]:
        return self._decoding.result(self._inner.list(options))

    def watch(self, options: ListOptions) -> Iterator[WatchEventLike[Any]]:
        return _TypedEvents(self._inner.watch(options), self._decoding)


class AsyncTypedListWatch(Generic[T]):
    """The asyncio twin of `TypedListWatch`."""

    def __init__(
        self, rest: AsyncRESTClient, info: ResourceInfo, namespace: str | None = None
    ) -> None:
        self._decoding: _Decoding[T] = _Decoding(info, namespace)
        self._inner = AsyncRestListWatch(rest, self._decoding.path)

    async def list(self, options: ListOptions) -> ListResult[T]:
        return self._decoding.result(await self._inner.list(options))

    async def watch(self, options: ListOptions) -> AsyncIterator[WatchEventLike[Any]]:
        async for event in self._inner.watch(options):
            yield self._decoding.event(event)
