"""`MetadataClient` / `AsyncMetadataClient`: get, list, watch, patch and delete any resource as
`PartialObjectMetadata` (client-go's `metadata` client).

    client = MetadataClient(rest)
    cms = client.resource(GroupVersionResource("", "v1", "configmaps")).namespace("default")
    for item in cms.list().items:
        print(item.metadata.name, item.metadata.labels)

Requests are built and answers reduced by the pure functions of `negotiate`; the classes only
send them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Self

import httpx

from kubetyped import request as rq
from kubetyped.discovery import GroupVersionResource
from kubetyped.metadata.models import PartialObjectMetadata, PartialObjectMetadataList
from kubetyped.metadata.negotiate import (
    ACCEPT_LIST,
    ACCEPT_OBJECT,
    partial_event_object,
    partial_list,
    partial_object,
)
from kubetyped.rest import AsyncRESTClient, AsyncWatchStream, RESTClient, WatchStream, decode_json
from kubetyped.watch import EventType


@dataclass(frozen=True, slots=True)
class MetadataEvent:
    """A watch event whose object is a `PartialObjectMetadata` (a raw `Status` dict on ERROR)."""

    type: EventType
    object: Any


@dataclass(frozen=True, slots=True)
class _Requests:
    """Pure request builders for one resource in one namespace (None: cluster / all)."""

    gvr: GroupVersionResource
    namespace: str | None = None

    def collection(self) -> rq.ResourcePath:
        g = self.gvr
        return rq.ResourcePath(g.group, g.version, g.resource, self.namespace)

    def get(self, name: str, options: rq.GetOptions | None) -> httpx.Request:
        return rq.get_request(self.collection().named(name), options, accept=ACCEPT_OBJECT)

    def list(self, options: rq.ListOptions | None) -> httpx.Request:
        return rq.list_request(self.collection(), options, accept=ACCEPT_LIST)

    def watch(self, options: rq.ListOptions | None) -> httpx.Request:
        return rq.watch_request(self.collection(), options, accept=ACCEPT_OBJECT)

    def patch(
        self, name: str, body: Any, patch_type: rq.PatchType | str, options: rq.WriteOptions | None
    ) -> httpx.Request:
        path = self.collection().named(name)
        return rq.patch_request(path, body, patch_type, options, accept=ACCEPT_OBJECT)

    def delete(self, name: str, options: rq.DeleteOptions | None) -> httpx.Request:
        return rq.delete_request(self.collection().named(name), options, accept=ACCEPT_OBJECT)


def _object(response: httpx.Response) -> PartialObjectMetadata:
    return PartialObjectMetadata.from_raw(partial_object(decode_json(response)))


def _list(response: httpx.Response) -> PartialObjectMetadataList:
    return PartialObjectMetadataList.from_raw(partial_list(decode_json(response)))


def metadata_event(event_type: EventType, obj: dict[str, Any]) -> MetadataEvent:
    reduced = partial_event_object(event_type.value, obj)
    if event_type is EventType.ERROR:
        return MetadataEvent(event_type, reduced)
    return MetadataEvent(event_type, PartialObjectMetadata.from_raw(reduced))


class MetadataWatch:
    """Iterator of `MetadataEvent`s over one watch; `close()` (from any thread) ends it."""

    def __init__(self, open_stream: Callable[[], httpx.Response]) -> None:
        self._stream = WatchStream(open_stream, raise_errors=False)

    @property
    def resource_version(self) -> str | None:
        return self._stream.resource_version

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> MetadataEvent:
        event = next(self._stream)
        return metadata_event(event.type, event.object)

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncMetadataWatch:
    """The asyncio twin of `MetadataWatch`."""

    def __init__(self, open_stream: Callable[[], Awaitable[httpx.Response]]) -> None:
        self._stream = AsyncWatchStream(open_stream, raise_errors=False)

    @property
    def resource_version(self) -> str | None:
        return self._stream.resource_version

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> MetadataEvent:
        event = await anext(self._stream)
        return metadata_event(event.type, event.object)

    async def aclose(self) -> None:
        await self._stream.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class MetadataResource:
    """Metadata-only verbs of one resource; `namespace(ns)` narrows a namespaced one."""

    def __init__(self, rest: RESTClient, requests: _Requests) -> None:
        self._rest = rest
        self._requests = requests

    @property
    def gvr(self) -> GroupVersionResource:
        return self._requests.gvr

    def namespace(self, namespace: str) -> MetadataResource:
        return MetadataResource(self._rest, _Requests(self._requests.gvr, namespace))

    def get(self, name: str, options: rq.GetOptions | None = None) -> PartialObjectMetadata:
        return _object(self._rest.send(self._requests.get(name, options)))

    def list(self, options: rq.ListOptions | None = None) -> PartialObjectMetadataList:
        return _list(self._rest.send(self._requests.list(options)))

    def watch(self, options: rq.ListOptions | None = None) -> MetadataWatch:
        """Events until the server ends the watch or `close()`; ERROR events carry the raw
        `Status` (they are not raised)."""
        request = self._requests.watch(options)
        return MetadataWatch(lambda: self._rest.send(request, stream=True))

    def patch(
        self,
        name: str,
        body: Any,
        patch_type: rq.PatchType | str = rq.PatchType.MERGE,
        options: rq.WriteOptions | None = None,
    ) -> PartialObjectMetadata:
        """Patch the object (e.g. its labels); the answer is its new metadata."""
        return _object(self._rest.send(self._requests.patch(name, body, patch_type, options)))

    def delete(self, name: str, options: rq.DeleteOptions | None = None) -> None:
        self._rest.send(self._requests.delete(name, options))


class AsyncMetadataResource:
    """The asyncio twin of `MetadataResource`."""

    def __init__(self, rest: AsyncRESTClient, requests: _Requests) -> None:
        self._rest = rest
        self._requests = requests

    @property
    def gvr(self) -> GroupVersionResource:
        return self._requests.gvr

    def namespace(self, namespace: str) -> AsyncMetadataResource:
        return AsyncMetadataResource(self._rest, _Requests(self._requests.gvr, namespace))

    async def get(self, name: str, options: rq.GetOptions | None = None) -> PartialObjectMetadata:
        return _object(await self._rest.send(self._requests.get(name, options)))

    async def list(self, options: rq.ListOptions | None = None) -> PartialObjectMetadataList:
        return _list(await self._rest.send(self._requests.list(options)))

    def watch(self, options: rq.ListOptions | None = None) -> AsyncMetadataWatch:
        request = self._requests.watch(options)
        return AsyncMetadataWatch(lambda: self._rest.send(request, stream=True))

    async def patch(
        self,
        name: str,
        body: Any,
        patch_type: rq.PatchType | str = rq.PatchType.MERGE,
        options: rq.WriteOptions | None = None,
    ) -> PartialObjectMetadata:
        request = self._requests.patch(name, body, patch_type, options)
        return _object(await self._rest.send(request))

    async def delete(self, name: str, options: rq.DeleteOptions | None = None) -> None:
        await self._rest.send(self._requests.delete(name, options))


class MetadataClient:
    """`resource(gvr)` → metadata-only verbs of that resource (client-go `metadata.Interface`)."""

    def __init__(self, rest: RESTClient) -> None:
        self.rest = rest

    def resource(self, gvr: GroupVersionResource) -> MetadataResource:
        return MetadataResource(self.rest, _Requests(gvr))


class AsyncMetadataClient:
    """The asyncio twin of `MetadataClient`."""

    def __init__(self, rest: AsyncRESTClient) -> None:
        self.rest = rest

    def resource(self, gvr: GroupVersionResource) -> AsyncMetadataResource:
        return AsyncMetadataResource(self.rest, _Requests(gvr))
