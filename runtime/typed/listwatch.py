"""Adapters from a typed resource to the cache's ListWatch protocols (sync and async)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any, Generic, TypeVar

from kubetyped import request as rq
from kubetyped.cache.protocols import ListOptions, ListResult, WatchEvent
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.typed.operations import ResourceOperations
from kubetyped.typed.resource import ALL_NAMESPACES, ResourceInfo
from kubetyped.watch import EventType
from kubetyped.watch import WatchEvent as RawWatchEvent

T = TypeVar("T")


def _request_options(options: ListOptions) -> rq.ListOptions:
    return rq.ListOptions(**dataclasses.asdict(options))


class _TypedListWatchBase(Generic[T]):
    def __init__(self, info: ResourceInfo, namespace: str | None) -> None:
        scope = (namespace or ALL_NAMESPACES) if info.namespaced else None
        self._ops = ResourceOperations(info, scope)
        self._model: Any = None

    def _model_class(self) -> Any:
        if self._model is None:
            self._model = self._ops.info.model_class()
        return self._model

    def _result(self, page: dict[str, Any]) -> ListResult[T]:
        model = self._model_class()
        metadata = page.get("metadata") or {}
        return ListResult(
            items=[model.from_raw(item) for item in page.get("items") or ()],
            resource_version=str(metadata.get("resourceVersion") or ""),
            continue_token=metadata.get("continue") or None,
        )

    def _event(self, event: RawWatchEvent) -> WatchEvent[Any]:
        if event.type is EventType.ERROR:
            return WatchEvent(event.type.value, event.object)
        return WatchEvent(event.type.value, self._model_class().from_raw(event.object))


class TypedListWatch(_TypedListWatchBase[T]):
    """Lists and watches one typed resource through a `RESTClient`, for informers."""

    def __init__(self, rest: RESTClient, info: ResourceInfo, namespace: str | None = None) -> None:
        super().__init__(info, namespace)
        self._rest = rest

    def list(self, options: ListOptions) -> ListResult[T]:
        page = self._rest.list(self._ops.collection(), _request_options(options))
        return self._result(page)

    def watch(self, options: ListOptions) -> Iterator[WatchEvent[Any]]:
        stream = self._rest.watch(self._ops.collection(), _request_options(options), raise_errors=False)
        with stream:
            for event in stream:
                yield self._event(event)


class AsyncTypedListWatch(_TypedListWatchBase[T]):
    """The asyncio twin of `TypedListWatch`."""

    def __init__(self, rest: AsyncRESTClient, info: ResourceInfo, namespace: str | None = None) -> None:
        super().__init__(info, namespace)
        self._rest = rest

    async def list(self, options: ListOptions) -> ListResult[T]:
        page = await self._rest.list(self._ops.collection(), _request_options(options))
        return self._result(page)

    async def watch(self, options: ListOptions) -> AsyncIterator[WatchEvent[Any]]:
        stream = self._rest.watch(self._ops.collection(), _request_options(options), raise_errors=False)
        async with stream:
            async for event in stream:
                yield self._event(event)
