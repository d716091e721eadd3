"""Typed ListWatch adapters for informers: list pages and watch events as models kept unparsed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, Generic, TypeVar

from kubetyped.cache.protocols import ListOptions, ListResult, WatchEvent, WatchEventLike
from kubetyped.model import jsonio
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.typed.operations import ResourceOperations
from kubetyped.typed.resource import ALL_NAMESPACES, ResourceInfo

T = TypeVar("T")
_ERROR = "ERROR"
_BOOKMARK = "BOOKMARK"


class _Decoding(Generic[T]):
    """Turns list pages and watch events into models that keep their JSON unparsed until read.

    An informer may cache tens of thousands of objects nobody reads: each is held as its own
    JSON bytes (about its wire size) and parsed on first attribute access (client-go keeps
    decoded structs; we keep what is cheaper in Python). The cache reads keys and metadata
    without parsing the rest (``kubetyped.cache.meta``)."""

    def __init__(self, info: ResourceInfo, namespace: str | None) -> None:
        scope = (namespace or ALL_NAMESPACES) if info.namespaced else None
        self.path = ResourceOperations(info, scope).collection().path
        self._info = info

    def result(self, data: bytes) -> ListResult[T]:
        """One list page: items split without parsing, each copied into its own buffer (so the
        page can be freed)."""
        model = self._info.model_class()
        page = jsonio.loads_list_object(data, self._info.list_model_class().__name__)
        from_unparsed = model.from_unparsed
        items = [from_unparsed(bytes(item)) for item in page.get("items") or ()]
        meta = page.get("metadata") or {}
        return ListResult(
            items, str(meta.get("resourceVersion") or ""), meta.get("continue") or None
        )

    def event(self, event: WatchEventLike[Any]) -> WatchEvent[Any]:
        obj = event.object
        if event.type in (_ERROR, _BOOKMARK):
            return WatchEvent(str(event.type), obj)
        model = self._info.model_class()
        return WatchEvent(
            str(event.type),
            model.from_raw(obj) if isinstance(obj, dict) else model.from_unparsed(obj),
        )


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
        self._rest = rest

    def list(self, options: ListOptions) -> ListResult[T]:
        return self._decoding.result(self._rest.list_bytes(self._decoding.path, options))

    def watch(self, options: ListOptions) -> Iterator[WatchEventLike[Any]]:
        """ERROR events are yielded (the reflector classifies them); `close()` from another
        thread wakes the reading thread (see `kubetyped.rest.WatchStream`)."""
        stream = self._rest.watch(self._decoding.path, options, raise_errors=False, unparsed=True)
        return _TypedEvents(stream, self._decoding)


class AsyncTypedListWatch(Generic[T]):
    """The asyncio twin of `TypedListWatch`."""

    def __init__(
        self, rest: AsyncRESTClient, info: ResourceInfo, namespace: str | None = None
    ) -> None:
        self._decoding: _Decoding[T] = _Decoding(info, namespace)
        self._rest = rest

    async def list(self, options: ListOptions) -> ListResult[T]:
        return self._decoding.result(await self._rest.list_bytes(self._decoding.path, options))

    async def watch(self, options: ListOptions) -> AsyncIterator[WatchEventLike[Any]]:
        stream = self._rest.watch(self._decoding.path, options, raise_errors=False, unparsed=True)
        async with stream:
            async for event in stream:
                yield self._decoding.event(event)
